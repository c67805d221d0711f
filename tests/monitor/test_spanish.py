"""What a Spanish-speaking parent on the team sees of the Monitor section and My work."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.test import Client
from django.urls import reverse

from headway.orgs.roles import Role
from headway.teams.models import Category, Team, TeamMember
from tests.conftest import World


def test_a_parent_reads_where_the_public_part_is_and_their_work_in_spanish(
    world: World, client_for: Callable[..., Client]
) -> None:
    parent = world.by_role[Role.VIEWER]
    team = Team.objects.create(org=world.school, name="Alder Creek Team")
    TeamMember.objects.create(team=team, user=parent, name="Rosa", category=Category.PARENT)
    client = client_for(parent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    home = client.get(reverse("monitor-home", args=[world.school.code])).content.decode()
    assert "Seguimiento del progreso en Alder Creek Elementary" in home
    assert "resumen público del plan" in home and "Ver el plan" in home

    work = client.get(reverse("my-work")).content.decode()
    assert "<h1>Mi trabajo</h1>" in work and "No tiene nada pendiente." in work
    assert ">Mi trabajo</a>" in work  # the header's link
