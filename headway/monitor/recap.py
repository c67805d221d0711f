"""The recap of a meeting, sent by email to every team member with an address.

It carries the record a member who missed the meeting needs: who came, how the meeting was
rated, the minutes of each section, the decisions, the to-dos with their owners and due
dates, the issues solved, and a link to the meeting. Agenda figures are left out: the
measures stay behind sign-in.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Avg
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from headway.monitor.models import AgendaItem, Meeting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    recipients: int
    failed: bool = False


def recipients(meeting: Meeting) -> list[str]:
    """Every team member's address, once each: their own, else their account's."""
    seen: dict[str, str] = {}
    for member in meeting.team.members.select_related("user"):
        email = member.email or (member.user.email if member.user else "")
        if email:
            seen.setdefault(email.lower(), email)
    return list(seen.values())


def average_rating(meeting: Meeting) -> float | None:
    value = meeting.ratings.aggregate(avg=Avg("score"))["avg"]
    return round(float(value), 1) if value is not None else None


def context(meeting: Meeting) -> dict[str, Any]:
    attendance = list(meeting.attendance.select_related("member").order_by("member__name"))
    agenda: list[AgendaItem] = list(meeting.agenda.order_by("order"))
    return {
        "meeting": meeting,
        "present": [row.member for row in attendance if row.present],
        "absent": [row.member for row in attendance if not row.present],
        "rating": average_rating(meeting),
        "ratings": meeting.ratings.count(),
        "minutes": [item for item in agenda if item.notes.strip()],
        "decisions": list(meeting.decisions.select_related("issue").order_by("created_at")),
        "todos": list(meeting.todos.select_related("owner").order_by("due", "created_at")),
        "solved": list(meeting.issues_solved.order_by("solved_at", "created_at")),
        "link": settings.SITE_URL
        + reverse("monitor-meeting", args=[meeting.team.org.code, meeting.code]),
    }


def send_recap(meeting: Meeting) -> Sent:
    """Email the recap to the team; records when it was sent. Failing mail is reported."""
    to = recipients(meeting)
    if not to:
        return Sent(0)
    ctx = context(meeting)
    subject = render_to_string("monitor/recap_subject.txt", ctx).strip()
    text = render_to_string("monitor/recap.txt", ctx)
    html = render_to_string("monitor/recap.html", ctx)
    messages = []
    for address in to:
        message = EmailMultiAlternatives(subject, text, None, [address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    try:
        mailers.default.send_messages(messages)
    except (smtplib.SMTPException, OSError):
        log.exception("The recap of meeting %s could not be sent.", meeting.code)
        return Sent(len(to), failed=True)
    meeting.recap_sent_at = timezone.now()
    meeting.save(update_fields=["recap_sent_at"])
    return Sent(len(to))
