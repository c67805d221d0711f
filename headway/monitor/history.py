"""The history of an organization's meetings, and searching what was said and decided in them.

Each meeting comes with its average rating and how many decisions, to-dos and solved issues
it produced, counted in the same query. A search looks for every word in the minutes, the
general notes, the decisions, headlines, to-dos, and the titles and decisions of the issues
raised or solved in a meeting, and says where each meeting matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Count,
    FloatField,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from headway.monitor.models import AgendaItem, Decision, Headline, Issue, Meeting, Rating, Todo
from headway.orgs.models import Organization

MAX_WORDS = 10
EXCERPT = 160  # characters of context shown around a match


@dataclass(frozen=True)
class Hit:
    """Where a search matched in a meeting: "a decision", and the words around the match."""

    where: str
    excerpt: str


def _per_meeting(model: type[Model], link: str, value: Any, field: Any) -> Subquery:
    rows = (
        model._default_manager.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(v=value)
        .values("v")[:1]
    )
    return Subquery(rows, output_field=field)


def meetings(org: Organization) -> QuerySet[Meeting]:
    """The organization's meetings, newest first, with their rating and counts."""
    count = IntegerField()
    return (
        Meeting.objects.filter(team__org=org)
        .select_related("team")
        .annotate(
            rating=_per_meeting(Rating, "meeting", Avg("score"), FloatField()),
            decision_count=Coalesce(_per_meeting(Decision, "meeting", Count("pk"), count), 0),
            todo_count=Coalesce(_per_meeting(Todo, "meeting", Count("pk"), count), 0),
            solved_count=Coalesce(_per_meeting(Issue, "solved_in", Count("pk"), count), 0),
        )
        .order_by("-held_on", "-started_at")
    )


def words_of(query: str) -> list[str]:
    return query.split()[:MAX_WORDS]


def _matching(field: str, words: Iterable[str]) -> Q:
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__icontains": word})
    return q


def excerpt(text: str, words: list[str]) -> str:
    """The text around the first word found, cut at about EXCERPT characters."""
    lowered = text.casefold()
    at = min((i for w in words if (i := lowered.find(w.casefold())) >= 0), default=0)
    start = max(at - EXCERPT // 3, 0)
    cut = text[start : start + EXCERPT].strip()
    return f"{'…' if start else ''}{cut}{'…' if start + EXCERPT < len(text) else ''}"


def search(org: Organization, query: str) -> dict[int, list[Hit]]:
    """Meeting id → where every word of ``query`` was found (in one place each)."""
    words = words_of(query)
    hits: dict[int, list[Hit]] = defaultdict(list)
    if not words:
        return hits
    mine = Q(meeting__team__org=org)

    def add(meeting_id: int | None, where: str, text: str) -> None:
        if meeting_id is not None:
            hits[meeting_id].append(Hit(where, excerpt(text, words)))

    kinds = dict(AgendaItem.Kind.choices)
    for item in AgendaItem.objects.filter(mine, _matching("notes", words)).order_by("order"):
        add(item.meeting_id, _("the minutes of “%(s)s”") % {"s": kinds[item.kind]}, item.notes)
    for m in Meeting.objects.filter(_matching("notes", words), team__org=org):
        add(m.pk, _("the general notes"), m.notes)
    for d in Decision.objects.filter(mine, _matching("text", words)).order_by("created_at"):
        add(d.meeting_id, _("a decision"), d.text)
    for h in Headline.objects.filter(mine, _matching("text", words)).order_by("created_at"):
        add(h.meeting_id, _("a headline"), h.text)
    for t in Todo.objects.filter(mine, _matching("text", words)).order_by("created_at"):
        add(t.meeting_id, _("a to-do"), t.text)
    _search_issues(org, words, add)
    return hits


def _search_issues(org: Organization, words: list[str], add: Any) -> None:
    issues = Issue.objects.filter(team__org=org).order_by("created_at")
    for issue in issues.filter(_matching("title", words)):
        add(issue.raised_in_id, _("an issue raised"), issue.title)
        if issue.solved_in_id != issue.raised_in_id:
            add(issue.solved_in_id, _("an issue solved"), issue.title)
    for issue in issues.filter(_matching("decision", words)).exclude(solved_in=None):
        add(issue.solved_in_id, _("the decision on an issue"), issue.decision)


def only(queryset: QuerySet[Meeting], ids: Iterable[int]) -> QuerySet[Meeting]:
    return queryset.filter(pk__in=list(ids))
