"""The roles a membership grants and what each role may do: the one table of access rules."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Network or district administrator")
    DATA_STEWARD = "data_steward", _("Data steward")
    TEAM_LEAD = "team_lead", _("Team lead or facilitator")
    TEAM_MEMBER = "team_member", _("Team member")
    STAFF = "staff", _("School staff (teacher, coach)")
    REVIEWER = "reviewer", _("Reviewer or outside facilitator")
    VIEWER = "viewer", _("Community viewer")


class Cap(StrEnum):
    """Capabilities checked by the access helpers."""

    VIEW = "view"  # see the organization, its profile and what is published
    MANAGE_ORG = "manage_org"  # edit profiles, add schools and school years
    MANAGE_PEOPLE = "manage_people"  # invite people, grant and revoke roles
    MANAGE_DATA = "manage_data"  # import and correct student data
    VIEW_STUDENTS = "view_students"  # student-level records (legitimate educational interest)
    VIEW_INTERNAL = "view_internal"  # team work in progress and unsuppressed internal figures
    EDIT_PLAN = "edit_plan"  # write the plan, run meetings, submit for approval
    CONTRIBUTE = "contribute"  # add to the plan, meetings and monitoring
    COMMENT = "comment"  # read and comment on plans
    APPROVE_PLAN = "approve_plan"  # approve or send back submitted plans


CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.ADMIN: frozenset(Cap),
    Role.DATA_STEWARD: frozenset(
        {Cap.VIEW, Cap.MANAGE_DATA, Cap.VIEW_STUDENTS, Cap.VIEW_INTERNAL, Cap.COMMENT}
    ),
    Role.TEAM_LEAD: frozenset(
        {Cap.VIEW, Cap.VIEW_INTERNAL, Cap.EDIT_PLAN, Cap.CONTRIBUTE, Cap.COMMENT}
    ),
    Role.TEAM_MEMBER: frozenset({Cap.VIEW, Cap.VIEW_INTERNAL, Cap.CONTRIBUTE, Cap.COMMENT}),
    Role.STAFF: frozenset({Cap.VIEW, Cap.VIEW_STUDENTS, Cap.VIEW_INTERNAL, Cap.CONTRIBUTE}),
    Role.REVIEWER: frozenset({Cap.VIEW, Cap.VIEW_INTERNAL, Cap.COMMENT}),
    Role.VIEWER: frozenset({Cap.VIEW}),
}

# What the home page tells each role it can do, in the order of the cycle.
ROLE_SUMMARY: dict[Role, Promise] = {
    Role.ADMIN: _(
        "Manage schools, school years and people; oversee data; approve plans for every "
        "school you lead."
    ),
    Role.DATA_STEWARD: _("Import and check student data; see student-level records."),
    Role.TEAM_LEAD: _("Lead the improvement team: edit the plan, run meetings, submit for review."),
    Role.TEAM_MEMBER: _("Contribute to the plan, the weekly meetings and progress monitoring."),
    Role.STAFF: _("See your own students' records and your coaching and PLC work."),
    Role.REVIEWER: _("Read and comment on the plans you were asked to review."),
    Role.VIEWER: _("Read published plans and results for the whole school community."),
}


def capabilities(roles: Iterable[Role | str]) -> frozenset[Cap]:
    caps: set[Cap] = set()
    for role in roles:
        caps |= CAPABILITIES[Role(role)]
    return frozenset(caps)
