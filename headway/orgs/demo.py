"""The demo district: a fictional network, district, eight schools and one person per role."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.orgs.models import Membership, Organization, SchoolYear
from headway.orgs.roles import Role

DEMO_PASSWORD = "headway-demo"
DISTRICT_NAME = "Riverbend Unified School District"

# name, code, level, grades, enrollment, % econ. disadvantaged, % EL, % SWD, locale, designation
SCHOOLS = [
    (
        "Alder Creek Elementary",
        "0101",
        "elementary",
        "KG",
        "05",
        412,
        "68.2",
        "21.4",
        "14.1",
        "city",
        "csi",
        2024,
    ),
    (
        "Birchwood Elementary",
        "0102",
        "elementary",
        "PK",
        "05",
        356,
        "41.0",
        "8.7",
        "12.3",
        "suburb",
        "none",
        None,
    ),
    (
        "Cedar Hollow Elementary",
        "0103",
        "elementary",
        "KG",
        "05",
        298,
        "74.5",
        "30.2",
        "15.8",
        "city",
        "tsi",
        2025,
    ),
    (
        "Dogwood K–8 Academy",
        "0104",
        "k8",
        "KG",
        "08",
        540,
        "55.3",
        "12.1",
        "13.0",
        "town",
        "none",
        None,
    ),
    (
        "Elm Street Middle School",
        "0201",
        "middle",
        "06",
        "08",
        610,
        "63.0",
        "15.4",
        "16.2",
        "city",
        "atsi",
        2024,
    ),
    (
        "Fairview Middle School",
        "0202",
        "middle",
        "06",
        "08",
        575,
        "38.9",
        "6.0",
        "11.5",
        "suburb",
        "none",
        None,
    ),
    (
        "Riverbend High School",
        "0301",
        "high",
        "09",
        "12",
        1240,
        "52.1",
        "9.8",
        "13.7",
        "city",
        "none",
        None,
    ),
    (
        "Westfield High School",
        "0302",
        "high",
        "09",
        "12",
        980,
        "61.7",
        "11.2",
        "14.9",
        "rural",
        "csi",
        2023,
    ),
]

# email, first name, last name, role, organization ("network", "district" or a school name)
PEOPLE = [
    ("network@headway.example", "Nadia", "Okafor", Role.ADMIN, "network"),
    ("admin@headway.example", "Dana", "Whitfield", Role.ADMIN, "district"),
    ("steward@headway.example", "Sam", "Ortiz", Role.DATA_STEWARD, "district"),
    ("lead@headway.example", "Priya", "Natarajan", Role.TEAM_LEAD, "Alder Creek Elementary"),
    ("member@headway.example", "Marcus", "Bell", Role.TEAM_MEMBER, "Alder Creek Elementary"),
    ("teacher@headway.example", "Lena", "Fischer", Role.STAFF, "Alder Creek Elementary"),
    ("reviewer@headway.example", "Grace", "Liu", Role.REVIEWER, "Elm Street Middle School"),
    ("parent@headway.example", "Rosa", "Delgado", Role.VIEWER, "Alder Creek Elementary"),
]


def demo_exists() -> bool:
    return Organization.objects.exists()


@transaction.atomic
def load_demo() -> None:
    network = Organization.objects.create(
        kind=Organization.Kind.NETWORK,
        name="Lakeshore Improvement Network",
        description="Districts and schools that share practices and compare progress.",
    )
    district = Organization.objects.create(
        kind=Organization.Kind.DISTRICT, name=DISTRICT_NAME, local_id="3900001", state="OH"
    )
    network.members.add(district)
    orgs = {"network": network, "district": district}
    for row in SCHOOLS:
        name, code, level, low, high, enrollment, econ, el, swd, locale, designation, year = row
        orgs[name] = Organization.objects.create(
            kind=Organization.Kind.SCHOOL,
            parent=district,
            name=name,
            local_id=code,
            level=level,
            grade_low=low,
            grade_high=high,
            enrollment=enrollment,
            pct_econ_disadvantaged=Decimal(econ),
            pct_english_learners=Decimal(el),
            pct_disabilities=Decimal(swd),
            locale=locale,
            designation=designation,
            designation_year=year,
        )
    for start in range(2021, 2026):
        SchoolYear.objects.create(
            district=district,
            start_year=start,
            start_date=date(start, 8, 24),
            end_date=date(start + 1, 6, 12),
        )
    for email, first, last, role, where in PEOPLE:
        user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
        expires = timezone.localdate() + timedelta(days=365) if role == Role.REVIEWER else None
        Membership.objects.create(user=user, org=orgs[where], role=role, expires_on=expires)


def logins() -> list[tuple[str, str, str]]:
    """(email, role, organization) for each demo person, for printing."""
    rows = []
    for email, _first, _last, role, where in PEOPLE:
        org = {"network": "Lakeshore Improvement Network", "district": DISTRICT_NAME}.get(
            where, where
        )
        rows.append((email, str(Role(role).label), org))
    return rows
