from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headway.accounts.forms import AcceptInvitationForm
from headway.accounts.models import User
from headway.audit.log import record
from headway.orgs.models import Invitation


# /accounts/invitation/<token>/
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = Invitation.objects.by_token(token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user
    if user.is_authenticated:
        return _accept_signed_in(request, found)
    if User.objects.filter(email__iexact=found.email).exists():
        return render(request, "accounts/invitation_sign_in.html", {"invitation": found})
    form = AcceptInvitationForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        new_user = form.save()
        _accept(request, found, new_user)
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(found.org)
    status = 400 if form.errors else 200
    context = {"invitation": found, "form": form}
    return render(request, "accounts/invitation_accept.html", context, status=status)


def _accept_signed_in(request: HttpRequest, found: Invitation) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.email.lower() != found.email.lower():
        return render(request, "accounts/invitation_wrong_user.html", {"invitation": found})
    if request.method == "POST":
        _accept(request, found, user)
        return redirect(found.org)
    return render(request, "accounts/invitation_confirm.html", {"invitation": found})


def _accept(request: HttpRequest, found: Invitation, user: User) -> None:
    membership = found.accept(user)
    record(
        request,
        "membership.granted",
        org=found.org,
        obj=membership,
        actor=user,
        detail={"role": membership.role, "via": "invitation"},
    )
    messages.success(
        request,
        _("Welcome! You are now %(role)s at %(org)s.")
        % {"role": membership.get_role_display(), "org": found.org.name},
    )


# /accounts/session/extend/
@require_POST
def extend_session(request: HttpRequest) -> HttpResponse:
    """Keep a signed-in session alive; answers 401 once it has already ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    request.session.modified = True
    return JsonResponse({"signed_in": True, "expires_in": settings.SESSION_COOKIE_AGE})
