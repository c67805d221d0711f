"""The sections of the improvement cycle that every organization's navigation shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    summary: Promise
    coming: tuple[Promise, ...]
    url_name: str = ""  # the section's own page once built; empty: an empty-state page
    url_prefixes: tuple[str, ...] = ()  # URL names starting so belong to this section

    @property
    def url(self) -> str:
        return self.url_name or f"orgs-section-{self.slug}"


SECTIONS = (
    Section(
        "team",
        _("Team"),
        _("The partnership and the improvement team."),
        (
            _("The district–union–community partnership and its charter"),
            _("The team roster, with a check that the right people are on it"),
            _("Working agreements and the team-effectiveness self-assessment"),
        ),
        url_name="teams-home",
        url_prefixes=("teams-",),
    ),
    Section(
        "data",
        _("Data"),
        _("Your students' data, by student group and over time."),
        (
            _("Importing files from your student information system and state portal"),
            _("Results by student group, with small groups protected"),
            _("Gaps, trends and comparisons with similar schools"),
        ),
        url_name="data-home",
        url_prefixes=("data-", "explore-"),
    ),
    Section(
        "plan",
        _("Plan"),
        _("The needs assessment and the improvement plan."),
        (
            _("A guided needs assessment that cites the evidence"),
            _("Priorities and SMART goals checked against the data"),
            _("Strategies, action steps and 45-day rocks, with review and approval"),
        ),
        url_name="plans-home",
        url_prefixes=("plans-",),
    ),
    Section(
        "monitor",
        _("Monitor"),
        _("Progress on the plan, week by week."),
        (
            _("Indicators against their targets, on run charts"),
            _("Weekly leadership-team meetings with agenda, minutes and to-dos"),
            _("Strategy reviews: continue, adjust or stop"),
        ),
        url_name="monitor-home",
        url_prefixes=("monitor-",),
    ),
    Section(
        "learning",
        _("Learning"),
        _("Coaching, professional learning communities and bright spots."),
        (
            _("Coaching cycles for teachers and leaders"),
            _("PLC inquiry cycles that study student work"),
            _("Practices from bright-spot classrooms, shared across the network"),
        ),
    ),
)
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}


def section_of(url_name: str, kwargs: dict[str, object]) -> str | None:
    """The slug of the section a page belongs to, for the navigation's current item."""
    if isinstance(kwargs.get("section"), str):
        return str(kwargs["section"])
    return next((s.slug for s in SECTIONS if url_name.startswith(s.url_prefixes or ("\0",))), None)
