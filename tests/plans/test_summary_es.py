"""The public summary in Spanish: families read the same plan in the language they chose."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from headway.orgs.roles import Role
from headway.plans.models import Plan
from tests.conftest import World
from tests.plans.conftest import cycle_url as url
from tests.plans.test_exports import STRATEGY, fill

SignIn = Callable[..., Client]


@pytest.fixture
def published(plan: Plan) -> Plan:
    fill(plan)
    Plan.objects.filter(pk=plan.pk).update(published=True, summary="Leer con alegría.")
    return plan


@pytest.fixture
def viewer(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.VIEWER])


def test_the_summary_is_in_english_by_default(published: Plan, viewer: Client) -> None:
    page = viewer.get(url("plans-summary", published.cycle)).content.decode()
    assert '<html lang="en">' in page
    assert "Improvement plan of Alder Creek Elementary" in page and "SMART goals" in page


def test_the_summary_is_in_spanish_with_the_language_cookie(
    published: Plan, viewer: Client
) -> None:
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = viewer.get(url("plans-summary", published.cycle)).content.decode()
    assert '<html lang="es">' in page
    assert "Plan de mejora de Alder Creek Elementary" in page
    assert "En pocas palabras" in page and "Metas SMART" in page and "Estrategias" in page
    assert "Palanca" in page and "Impulsor" in page and "Metas a las que contribuye" in page
    assert "Ir al contenido principal" in page and "Cerrar sesión" in page
    assert STRATEGY in page  # the team's own words stay as they were written
    assert "Improvement plan of" not in page and "SMART goals" not in page


def test_the_browsers_language_is_honoured(published: Plan, viewer: Client) -> None:
    response = viewer.get(url("plans-summary", published.cycle), HTTP_ACCEPT_LANGUAGE="es-MX,es")
    page = response.content.decode()
    assert '<html lang="es">' in page and "Plan de mejora de" in page


def test_choosing_spanish_in_the_switcher_translates_the_summary(
    published: Plan, viewer: Client
) -> None:
    summary = url("plans-summary", published.cycle)
    assert 'action="/i18n/setlang/"' in viewer.get(summary).content.decode()
    response = viewer.post(reverse("set_language"), {"language": "es", "next": summary})
    assert response.status_code == 302 and response["Location"] == summary
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = viewer.get(summary).content.decode()
    assert '<html lang="es">' in page and "Plan de mejora de" in page
    assert '<option value="es" lang="es" selected>' in page


def test_the_plans_home_of_a_viewer_is_in_spanish(
    world: World, published: Plan, viewer: Client
) -> None:
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = viewer.get(reverse("plans-home", args=[world.school.code])).content.decode()
    assert "Todavía no se ha publicado" not in page and "El plan para" in page
    assert url("plans-summary", published.cycle) in page
