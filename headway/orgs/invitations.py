"""Invite a person to a role by email; the link carries a one-time token."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from headway.accounts.models import User
from headway.audit.log import record
from headway.orgs.models import Invitation, Organization


def invite(
    request: HttpRequest, org: Organization, email: str, role: str, expires_on: date | None
) -> Invitation:
    inviter = request.user
    assert isinstance(inviter, User)
    Invitation.objects.pending().filter(org=org, email__iexact=email, role=role).delete()
    invitation = Invitation(
        email=email.lower(), org=org, role=role, access_expires_on=expires_on, invited_by=inviter
    )
    token = invitation.issue_token()
    invitation.save()
    link = settings.SITE_URL + reverse("accounts-invitation", args=[token])
    context = {"invitation": invitation, "link": link, "inviter": inviter}
    send_mail(
        subject=render_to_string("orgs/email/invitation_subject.txt", context).strip(),
        message=render_to_string("orgs/email/invitation_body.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    record(
        request,
        "membership.invited",
        org=org,
        obj=invitation,
        detail={"email": invitation.email, "role": role},
    )
    return invitation
