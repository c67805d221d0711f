from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from headway.teams.composition import checklist, seats_of
from headway.teams.models import Partnership, Team


@pytest.mark.django_db
def test_the_demo_partnership_is_adopted_and_its_team_still_needs_two_seats() -> None:
    call_command("load_demo", stdout=StringIO())
    partnership = Partnership.objects.get()
    adopted = partnership.adopted_charter()
    assert adopted is not None and adopted.number == 1
    team = Team.objects.get(name="Alder Creek School Improvement Team")
    seats = seats_of(team.members.values_list("category", "roles"))
    unmet = {line.key for line in checklist(team.kind, seats) if not line.met}
    assert unmet == {"student", "community"}
    assert team.rounds.get().responses.count() == 4
