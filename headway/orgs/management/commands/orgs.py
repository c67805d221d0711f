"""Manage networks, districts, schools, school years and roles from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from headway.accounts.models import User
from headway.orgs.forms import DistrictForm, NetworkForm, SchoolForm, SchoolYearForm
from headway.orgs.models import Membership, Organization
from headway.orgs.roles import Role


def find_org(ref: str, kind: str | None = None) -> Organization:
    """An organization by its code (UUID), its own code (e.g. a state school code) or exact name."""
    orgs = Organization.objects.all() if kind is None else Organization.objects.filter(kind=kind)
    try:
        found = orgs.filter(code=UUID(ref))
    except ValueError:
        found = orgs.filter(local_id=ref) or orgs.filter(name=ref)
    if found.count() != 1:
        what = kind or "organization"
        raise CommandError(f"No single {what} is named or coded {ref!r}.")
    return found.get()


def _form_errors(form: Any) -> str:
    return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())


class Command(BaseCommand):
    help = "List and add networks, districts, schools and school years; grant roles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
        sub.add_parser("list", help="list every organization with its code")
        network = sub.add_parser("add-network", help="add a network")
        network.add_argument("name")
        district = sub.add_parser("add-district", help="add a district")
        district.add_argument("name")
        district.add_argument("--state", default="")
        district.add_argument("--local-id", default="")
        district.add_argument("--network", help="a network to add the district to")
        school = sub.add_parser("add-school", help="add a school to a district")
        school.add_argument("district")
        school.add_argument("name")
        school.add_argument("--local-id", default="")
        school.add_argument("--level", default="", choices=["", *Organization.Level.values])
        school.add_argument("--grades", default="", help="lowest and highest grade, e.g. KG-05")
        school.add_argument("--enrollment", default="")
        school.add_argument(
            "--designation", default="none", choices=Organization.Designation.values
        )
        school.add_argument("--designation-year", default="")
        link = sub.add_parser("link", help="add a district or school to a network")
        link.add_argument("network")
        link.add_argument("member")
        year = sub.add_parser("add-year", help="add a school year to a district")
        year.add_argument("district")
        year.add_argument("start_year", help="the calendar year it starts in, e.g. 2025")
        grant = sub.add_parser("grant", help="give an existing person a role")
        grant.add_argument("email")
        grant.add_argument("role", choices=Role.values)
        grant.add_argument("org")

    @transaction.atomic
    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handler = getattr(self, "_" + action.replace("-", "_"))
        handler(**options)

    def _list(self, **options: Any) -> None:
        for org in Organization.objects.select_related("parent").order_by("kind", "name"):
            parent = f" (in {org.parent.name})" if org.parent else ""
            self.stdout.write(f"{org.code}  {org.kind:<8}  {org.name}{parent}")

    def _save(self, form: Any) -> Organization:
        if not form.is_valid():
            raise CommandError(_form_errors(form))
        org: Organization = form.save()
        self.stdout.write(self.style.SUCCESS(f"Added {org.kind} {org.name} ({org.code})."))
        return org

    def _add_network(self, name: str, **options: Any) -> None:
        self._save(NetworkForm({"name": name}, instance=Organization(kind="network")))

    def _add_district(self, name: str, state: str, local_id: str, **options: Any) -> None:
        form = DistrictForm(
            {"name": name, "state": state, "local_id": local_id},
            instance=Organization(kind="district"),
        )
        network = find_org(options["network"], "network") if options.get("network") else None
        district = self._save(form)
        if network is not None:
            network.members.add(district)

    def _add_school(self, district: str, name: str, grades: str, **options: Any) -> None:
        parent = find_org(district, "district")
        low, _sep, high = grades.partition("-")
        data = {
            "name": name,
            "local_id": options["local_id"],
            "level": options["level"],
            "grade_low": low,
            "grade_high": high,
            "enrollment": options["enrollment"],
            "designation": options["designation"],
            "designation_year": options["designation_year"],
        }
        self._save(SchoolForm(data, instance=Organization(kind="school", parent=parent)))

    def _link(self, network: str, member: str, **options: Any) -> None:
        group = find_org(network, "network")
        org = find_org(member)
        if org.is_network:
            raise CommandError("A network groups districts and schools, not other networks.")
        group.members.add(org)
        self.stdout.write(self.style.SUCCESS(f"{org.name} is now part of {group.name}."))

    def _add_year(self, district: str, start_year: str, **options: Any) -> None:
        parent = find_org(district, "district")
        form = SchoolYearForm({"start_year": start_year}, district=parent)
        if not form.is_valid():
            raise CommandError(_form_errors(form))
        year = form.save()
        self.stdout.write(self.style.SUCCESS(f"Added school year {year.label} to {parent.name}."))

    def _grant(self, email: str, role: str, org: str, **options: Any) -> None:
        target = find_org(org)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}; invite the person from the web page.")
        try:
            Membership.objects.get_or_create(user=user, org=target, role=role)
        except ValidationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{email} is {Role(role).label} at {target.name}."))
