"""Template helpers of the Plan section."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class CyclePage:
    slug: str
    url_name: str
    title: Promise


CYCLE_PAGES = (
    CyclePage("assessment", "plans-assessment", _("Needs assessment")),
    CyclePage("causes", "plans-causes", _("Root causes")),
    CyclePage("practices", "plans-practices", _("Practices")),
    CyclePage("priorities", "plans-priorities", _("Priorities")),
    CyclePage("goals", "plans-goals", _("Goals")),
    CyclePage("snapshots", "plans-snapshots", _("Snapshots")),
    CyclePage("plan", "plans-plan", _("The plan")),
    CyclePage("rocks", "plans-rocks", _("45-day rocks")),
)


@register.simple_tag
def cycle_pages() -> tuple[CyclePage, ...]:
    """The pages of one cycle, in the order a team works through them."""
    return CYCLE_PAGES
