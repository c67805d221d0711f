from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from headway.data.demo import import_demo_files
from headway.data.models import Coverage
from headway.monitor.demo import load_demo_monitor
from headway.orgs.demo import DEMO_PASSWORD, DISTRICT_NAME, demo_exists, load_demo, logins
from headway.orgs.models import Organization
from headway.teams.demo import load_demo_teams


class Command(BaseCommand):
    help = "Load the fictional demo district and its student data, once; never overwrites data."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write(
                "Organizations already exist: the demo district was not loaded again."
            )
        else:
            load_demo()
            load_demo_teams(Organization.objects.get(kind="district", name=DISTRICT_NAME))
            self.stdout.write(self.style.SUCCESS("Loaded the demo district and its team."))
            self._import_data()
            load_demo_monitor(Organization.objects.get(kind="district", name=DISTRICT_NAME))
            self.stdout.write(
                self.style.SUCCESS("Loaded Alder Creek's plans, measures and meetings.")
            )
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role, org in logins():
            self.stdout.write(f"  {email:<28} {role} — {org}")

    def _import_data(self) -> None:
        district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
        if Coverage.objects.filter(district=district).exists():
            return
        self.stdout.write("Importing the demo district's student data…")
        for imp in import_demo_files(district):
            if imp.status != imp.Status.DONE:
                raise CommandError(f"The demo file {imp.file_name} was not imported: {imp.report}")
            self.stdout.write(f"  {imp.file_name}: {imp.rows_read} rows")
