"""The demo district's partnership and Alder Creek's improvement team, part-way through.

The team is missing a student leader and a community partner (an elected official sits on
it, which does not count), so the composition checklist has something to say; two members
have accepted the agreements; one self-assessment round is closed with four answers.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.orgs.models import Organization
from headway.teams.agreements import default_items
from headway.teams.characteristics import CHARACTERISTICS
from headway.teams.models import (
    Acceptance,
    Acknowledgement,
    AgreementSet,
    Category,
    Charter,
    Participation,
    Partner,
    Partnership,
    Response,
    Round,
    Team,
    TeamMember,
    TeamRole,
)

PARTNERS = [
    (
        Partner.Kind.DISTRICT,
        "Riverbend Unified School District",
        "Dana Whitfield",
        "Superintendent",
        "admin@headway.example",
    ),
    (Partner.Kind.UNION, "Riverbend Federation of Teachers", "Jordan Reyes", "President", ""),
    (Partner.Kind.COMMUNITY, "Riverbend Family Resource Center", "Aisha Brooks", "Director", ""),
]
CHARTER = {
    "mission": "Every Riverbend student reads, writes and reasons at grade level, in schools "
    "where students, families and staff feel they belong.",
    "vision": "Schools that families choose, where teachers want to stay and every student "
    "leaves ready for what comes next.",
    "values": "Students first\nShared responsibility\nHonest use of evidence\nRespect for every "
    "voice at the table",
    "decision_rule": Charter.DecisionRule.CONSENSUS,
    "decision_notes": "When consensus is not reached in two meetings, the co-chairs bring a "
    "proposal and the partners decide by fist-to-five; three or more is support.",
    "meeting_cadence": "Monthly, on the second Tuesday",
    "data_use": "Data serve improvement. Results for individual teachers are never used in "
    "evaluations, and no student-level records leave the district.",
}
# name, email (a demo login or empty), speaks for, roles
MEMBERS = [
    ("Marisol Vega", "", Category.PRINCIPAL, [TeamRole.CO_CHAIR]),
    ("Jordan Reyes", "", Category.UNION_REP, [TeamRole.CO_CHAIR, TeamRole.VISIONARY]),
    (
        "Priya Natarajan",
        "lead@headway.example",
        Category.COACH,
        [TeamRole.FACILITATOR, TeamRole.INTEGRATOR],
    ),
    ("Marcus Bell", "member@headway.example", Category.TEACHER, [TeamRole.NOTE_TAKER]),
    ("Lena Fischer", "teacher@headway.example", Category.TEACHER, [TeamRole.MEMBER]),
    ("Hannah Kim", "", Category.PARAPROFESSIONAL, [TeamRole.MEMBER]),
    ("Rosa Delgado", "parent@headway.example", Category.PARENT, [TeamRole.MEMBER]),
    ("Sam Ortiz", "steward@headway.example", Category.DISTRICT_STAFF, [TeamRole.MEMBER]),
    ("Tom Hale", "", Category.ELECTED, [TeamRole.MEMBER]),
]
# One closed round: each row is one member's ratings of the nine characteristics, in order.
RATINGS = [
    (4, 3, 3, 2, 3, 2, 4, 4, 3),
    (5, 4, 3, 3, 2, 2, 4, 3, 4),
    (4, 3, 4, 2, 3, 1, 3, 4, 3),
    (4, 4, 3, 3, 2, 2, 4, 4, 4),
]


@transaction.atomic
def load_demo_teams(district: Organization) -> None:
    _partnership(district)
    school = Organization.objects.get(parent=district, name="Alder Creek Elementary")
    team = Team.objects.create(
        org=school,
        name="Alder Creek School Improvement Team",
        kind=Team.Kind.IMPROVEMENT,
        vision="Every Alder Creek reader on grade level by third grade, with families as "
        "partners in the work.",
        alignment="Carries the partnership's first aim, reading at grade level, into our "
        "early grades.",
        published=True,
    )
    members = [_member(team, name, email, cat, roles) for name, email, cat, roles in MEMBERS]
    agreements = AgreementSet.objects.create(team=team, number=1, items=default_items())
    for member in members[2:4]:
        Acceptance.objects.create(agreement_set=agreements, member=member)
    _closed_round(team, [m for m in members if m.user_id][:4])


def _partnership(district: Organization) -> None:
    partnership = Partnership.objects.create(district=district)
    charter = Charter.objects.create(partnership=partnership, number=1, **CHARTER)
    signed_on = timezone.localdate() - timedelta(days=60)
    for kind, name, representative, title, email in PARTNERS:
        partner = Partner.objects.create(
            partnership=partnership,
            kind=kind,
            name=name,
            representative=representative,
            title=title,
            email=email,
        )
        Acknowledgement.objects.create(
            charter=charter, partner=partner, name=representative, acknowledged_on=signed_on
        )


def _member(team: Team, name: str, email: str, category: str, roles: list[TeamRole]) -> TeamMember:
    user = User.objects.filter(email=email).first() if email else None
    return TeamMember.objects.create(
        team=team,
        user=user,
        name=name,
        email=email,
        category=category,
        roles=[str(r) for r in roles],
    )


def _closed_round(team: Team, answered: list[TeamMember]) -> None:
    round_ = Round.objects.create(team=team, title="Self-assessment, start of the year")
    Round.objects.filter(pk=round_.pk).update(closed_at=timezone.now())
    for member, row in zip(answered, RATINGS, strict=False):
        Participation.objects.create(round=round_, member=member)
        ratings = {c.slug: score for c, score in zip(CHARACTERISTICS, row, strict=True)}
        Response.objects.create(round=round_, ratings=ratings, comments={})
