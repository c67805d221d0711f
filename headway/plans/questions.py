"""The guided questions of the needs assessment, in four groups, in the order a team works."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    slug: str
    text: Promise
    hint: Promise  # what a good answer covers, and where in Headway to look


@dataclass(frozen=True)
class Group:
    slug: str
    title: Promise
    questions: tuple[Question, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "data",
        _("What the data say, and for whom"),
        (
            Question(
                "achievement",
                _("What do your students' results tell you?"),
                _(
                    "Start from the results page: proficiency, scale scores, attendance and "
                    "discipline for all students, this year and last."
                ),
            ),
            Question(
                "groups",
                _("Which groups of students are not yet succeeding?"),
                _(
                    "Look at every student group, not only the largest. Name the groups and the "
                    "size of their gaps."
                ),
            ),
        ),
    ),
    Group(
        "comparisons",
        _("Comparisons and trends"),
        (
            Question(
                "similar",
                _("How do your results compare with similar schools?"),
                _(
                    "Similar schools serve students much like yours. Where do you stand among "
                    "them, and what might they be doing differently?"
                ),
            ),
            Question(
                "trends",
                _("Which trends do you want to keep, and which to turn around?"),
                _("Look at up to five years. Say which changes are larger than chance."),
            ),
        ),
    ),
    Group(
        "causes",
        _("Underlying causes"),
        (
            Question(
                "causes",
                _("What lies behind your strengths and your weaknesses?"),
                _(
                    "Use the five-whys chains and the fishbone. Causes the school can act on "
                    "matter most."
                ),
            ),
            Question(
                "practices",
                _("What do your own practices contribute?"),
                _(
                    "The practice self-assessment shows where implementation is full, limited "
                    "or missing."
                ),
            ),
        ),
    ),
    Group(
        "focus",
        _("Where to focus"),
        (
            Question(
                "focus",
                _("Given all this, where will you focus, and what stands in the way?"),
                _("Three or four priorities at most. Say which barriers must be overcome."),
            ),
            Question(
                "equity",
                _("What will you do so that every group of students succeeds?"),
                _("Equity of outcomes: which gaps will you close, and how will you know?"),
            ),
        ),
    ),
)
QUESTIONS: dict[str, Question] = {q.slug: q for g in GROUPS for q in g.questions}
GROUP_OF: dict[str, Group] = {q.slug: g for g in GROUPS for q in g.questions}
