from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headway.audit.log import record
from headway.orgs.access import OrgAccess, get_org_for_user, reachable_for_request, signed_in
from headway.orgs.forms import DistrictForm, InviteForm, NetworkForm, SchoolForm, SchoolYearForm
from headway.orgs.invitations import invite
from headway.orgs.models import Invitation, Membership, Organization, SchoolYear
from headway.orgs.roles import ROLE_SUMMARY, Cap, Role
from headway.orgs.sections import SECTION_BY_SLUG

PROFILE_FORMS: dict[str, type[ModelForm[Organization]]] = {
    Organization.Kind.NETWORK: NetworkForm,
    Organization.Kind.DISTRICT: DistrictForm,
    Organization.Kind.SCHOOL: SchoolForm,
}


# /
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    memberships = Membership.objects.active().filter(user=user).select_related("org")
    roles = [{"membership": m, "summary": ROLE_SUMMARY[Role(m.role)]} for m in memberships]
    context = {"roles": roles, "orgs": reachable_for_request(request)}
    return render(request, "orgs/home.html", context)


# /switch/
@require_POST
@login_required
def switch(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("org", "")
    try:
        access = get_org_for_user(request, UUID(code))
    except ValueError:
        raise Http404("No such organization.") from None
    return redirect(access.org)


# /o/<code>/
@login_required
def detail(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    org = access.org
    schools = (
        org.children.order_by("name")
        if org.is_district
        else org.members.annotate(school_count=Count("children")).order_by("kind", "name")
    )
    context = {"org": org, "caps": access.cap_names, "schools": schools}
    if org.is_district:
        context["years"] = org.school_years.all()[:5]
    return render(request, "orgs/detail.html", context)


# /o/<code>/edit/
@login_required
def edit(request: HttpRequest, code: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.MANAGE_ORG).org
    form = PROFILE_FORMS[org.kind](request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, "org.updated", org=org, obj=org, detail={"fields": form.changed_data})
        messages.success(request, _("Saved."))
        return redirect(org)
    return render(request, "orgs/edit.html", {"org": org, "form": form})


# /o/<code>/schools/new/
@login_required
def school_create(request: HttpRequest, code: UUID) -> HttpResponse:
    district = get_org_for_user(request, code, Cap.MANAGE_ORG).org
    if not district.is_district:
        raise Http404("Schools are added to a district.")
    school = Organization(kind=Organization.Kind.SCHOOL, parent=district)
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, "org.created", org=district, obj=school)
        messages.success(request, _("%(name)s was added.") % {"name": school.name})
        return redirect(school)
    return render(request, "orgs/school_create.html", {"org": district, "form": form})


# /o/<code>/years/
@login_required
def years(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    return _years_page(request, access, SchoolYearForm(district=access.org))


def _years_page(request: HttpRequest, access: OrgAccess, form: SchoolYearForm) -> HttpResponse:
    if not access.org.is_district:
        raise Http404("School years belong to a district.")
    context = {
        "org": access.org,
        "caps": access.cap_names,
        "form": form,
        "years": access.org.school_years.all(),
    }
    return render(request, "orgs/years.html", context, status=400 if form.errors else 200)


# /o/<code>/years/new/
@require_POST
@login_required
def year_create(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code, Cap.MANAGE_ORG)
    form = SchoolYearForm(request.POST, district=access.org)
    if not (access.org.is_district and form.is_valid()):
        return _years_page(request, access, form)
    year = form.save()
    record(request, "org.year_added", org=access.org, detail={"year": year.label})
    messages.success(request, _("School year %(year)s was added.") % {"year": year.label})
    return redirect("orgs-years", code=access.org.code)


# /o/<code>/years/<start_year>/delete/
@login_required
def year_delete(request: HttpRequest, code: UUID, start_year: int) -> HttpResponse:
    district = get_org_for_user(request, code, Cap.MANAGE_ORG).org
    year = get_object_or_404(SchoolYear, district=district, start_year=start_year)
    if request.method == "POST":
        year.delete()
        record(request, "org.year_removed", org=district, detail={"year": year.label})
        messages.success(request, _("School year %(year)s was removed.") % {"year": year.label})
        return redirect("orgs-years", code=district.code)
    return render(request, "orgs/year_delete.html", {"org": district, "year": year})


# /o/<code>/people/
@login_required
def people(request: HttpRequest, code: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.MANAGE_PEOPLE).org
    return _people_page(request, org, InviteForm())


def _people_page(request: HttpRequest, org: Organization, form: InviteForm) -> HttpResponse:
    context = {
        "org": org,
        "form": form,
        "memberships": org.memberships.select_related("user").order_by("role", "user__email"),
        "invitations": org.invitations.pending(),
    }
    return render(request, "orgs/people.html", context, status=400 if form.errors else 200)


# /o/<code>/people/invite/
@require_POST
@login_required
def people_invite(request: HttpRequest, code: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.MANAGE_PEOPLE).org
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _people_page(request, org, form)
    data = form.cleaned_data
    invite(request, org, data["email"], data["role"], data["access_expires_on"])
    messages.success(request, _("An invitation was sent to %(email)s.") % {"email": data["email"]})
    return redirect("orgs-people", code=org.code)


# /o/<code>/people/<mcode>/remove/
@login_required
def membership_remove(request: HttpRequest, code: UUID, mcode: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.MANAGE_PEOPLE).org
    membership = get_object_or_404(Membership.objects.select_related("user"), org=org, code=mcode)
    last_admin = (
        membership.role == Role.ADMIN
        and org.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk).count() == 0
    )
    if request.method == "POST" and not last_admin:
        membership.delete()
        record(
            request,
            "membership.revoked",
            org=org,
            detail={"email": membership.user.email, "role": membership.role},
        )
        messages.success(
            request, _("%(name)s no longer has this role.") % {"name": membership.user.display_name}
        )
        return redirect("orgs-people", code=org.code)
    context = {"org": org, "membership": membership, "last_admin": last_admin}
    return render(request, "orgs/membership_remove.html", context)


# /o/<code>/people/invitations/<icode>/revoke/
@require_POST
@login_required
def invitation_revoke(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.MANAGE_PEOPLE).org
    invitation = get_object_or_404(Invitation.objects.pending(), org=org, code=icode)
    invitation.delete()
    record(request, "membership.invitation_revoked", org=org, detail={"email": invitation.email})
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("orgs-people", code=org.code)


# /o/<code>/<section>/
@login_required
def section(request: HttpRequest, code: UUID, section: str) -> HttpResponse:
    access = get_org_for_user(request, code)
    context = {"org": access.org, "section": SECTION_BY_SLUG[section]}
    return render(request, "orgs/section.html", context)
