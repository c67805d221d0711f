from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from headway.orgs.demo import DEMO_PASSWORD, demo_exists, load_demo, logins


class Command(BaseCommand):
    help = "Load the fictional demo district, once. Existing data is never overwritten."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write(
                "Organizations already exist: the demo district was not loaded again."
            )
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Loaded the demo district."))
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role, org in logins():
            self.stdout.write(f"  {email:<28} {role} — {org}")
