"""The SMART checker: a verdict on each letter of a goal, with the reason in plain words.

``check`` reads ``Facts`` — what the goal names and what the data say about it, as the
person looking may see them — and returns five verdicts: Specific, Measurable, Attainable,
Results-oriented and Time-bound. Each is met, a warning, not met, or cannot be told yet,
and says why with the numbers behind it.

Attainable compares the yearly gain the goal needs with the yearly changes that similar
schools actually achieved on the same indicator (data.core.gains): the gain needed is
(target − baseline) / (target year − baseline year), a fall counting as the gain for an
indicator that should decrease. Its percentile among those changes (ties count as at or
below) above 90 is unrealistic; below 25 is not ambitious; with fewer than MIN_GAINS
changes to compare with, the checker cannot tell.

Also here: interim targets on a straight line, and the equity rule (at least one goal on a
gap between student groups, or a reason why not). Plain Python and gettext, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from headway.data.core.gains import improvements, percentile_of, share_at_least

MIN_GAINS = 5  # yearly changes of similar schools needed to judge attainability
UNREALISTIC_ABOVE = 90  # percentile of the gain needed
UNAMBITIOUS_BELOW = 25
ACTIVITY, OUTCOME = "activity", "outcome"  # Goal.MeasureKind values


class Status(StrEnum):
    MET = "met"
    WARNING = "warning"
    NOT_MET = "not_met"
    UNKNOWN = "cannot_tell"


STATUS_TEXT = {
    Status.MET: gettext_lazy("Met"),
    Status.WARNING: gettext_lazy("Worth a second look"),
    Status.NOT_MET: gettext_lazy("Not met"),
    Status.UNKNOWN: gettext_lazy("Cannot tell yet"),
}
ICONS = {Status.MET: "✓", Status.WARNING: "!", Status.NOT_MET: "✗", Status.UNKNOWN: "?"}
NAMES = {
    "S": gettext_lazy("Specific"),
    "M": gettext_lazy("Measurable"),
    "A": gettext_lazy("Attainable"),
    "R": gettext_lazy("Results-oriented"),
    "T": gettext_lazy("Time-bound"),
}


@dataclass(frozen=True)
class Verdict:
    letter: str
    status: Status
    reason: str

    @property
    def name(self) -> str:
        return str(NAMES[self.letter])

    @property
    def status_text(self) -> str:
        return str(STATUS_TEXT[self.status])

    @property
    def icon(self) -> str:
        return ICONS[self.status]


@dataclass(frozen=True)
class Baseline:
    """The goal's starting point as the viewer may see it."""

    year: int
    value: float | None  # None when hidden from this viewer
    text: str  # as shown: "42%", "n<10", "≥95%"
    reason: str = ""  # why it is hidden: a suppression reason (MIN_N, TOP_CODE, …)


@dataclass(frozen=True)
class Facts:
    """What a goal names and what the data say about it, for one viewer."""

    population: str = ""  # the students, in words; "" when none is named
    outcome: str = ""  # a catalog metric's words or the other measure; "" when none
    catalog: bool = True  # the outcome is in Headway's metrics catalog, with data
    measure_kind: str = ""  # for another measure: OUTCOME or ACTIVITY ("" not said)
    rate: bool = True  # values are rates (0–1), told in percentage points
    gap: bool = False  # the value is how far a group is behind another
    decrease: bool = False  # the goal is for the value to fall
    baseline: Baseline | None = None
    target: float | None = None
    target_year: int | None = None
    first_year: int = 0  # the plan period
    last_year: int = 0
    peer_changes: Sequence[float] = ()  # similar schools' yearly changes, as in the table
    peers: str = ""  # where those come from, in words: "4 similar schools in the district"


def check(facts: Facts) -> list[Verdict]:
    return [
        specific(facts),
        measurable(facts),
        attainable(facts),
        results_oriented(facts),
        time_bound(facts),
    ]


# --- the letters -------------------------------------------------------------------------------


def specific(facts: Facts) -> Verdict:
    missing = []
    if not facts.population:
        missing.append(_("which students the goal is for"))
    if not facts.outcome:
        missing.append(_("which result it should change"))
    if missing:
        reason = _("Say %(missing)s.") % {"missing": _(" and ").join(missing)}
        return Verdict("S", Status.NOT_MET, reason)
    reason = _("It names the students (%(who)s) and the result (%(what)s).") % {
        "who": facts.population,
        "what": facts.outcome,
    }
    return Verdict("S", Status.MET, reason)


def measurable(facts: Facts) -> Verdict:
    if not facts.outcome:
        return Verdict(
            "M", Status.NOT_MET, _("No result is named, so there is nothing to measure.")
        )
    if not facts.catalog:
        reason = _(
            "Headway has no data for “%(what)s”: say how it will be measured, by whom, how "
            "often, and where its baseline comes from."
        ) % {"what": facts.outcome}
        return Verdict("M", Status.WARNING, reason)
    base = facts.baseline
    if base is None:
        reason = _(
            "There are no results for %(what)s of %(who)s before %(year)s in the data, so "
            "there is no baseline to measure progress from."
        ) % {"what": facts.outcome, "who": facts.population, "year": year_label(facts.first_year)}
        return Verdict("M", Status.NOT_MET, reason)
    if base.value is None:
        return Verdict("M", Status.NOT_MET, _hidden_reason(base))
    reason = _(
        "The baseline is %(value)s in %(year)s, from the same results as the data pages; "
        "each year's results will show the progress."
    ) % {"value": base.text, "year": year_label(base.year)}
    return Verdict("M", Status.MET, reason)


HIDDEN_REASONS = {
    "TOP_CODE": gettext_lazy(
        "The %(year)s figure is shown to you only as a range (“%(text)s”), so progress cannot "
        "be measured from it."
    ),
    "COMPLEMENTARY": gettext_lazy(
        "The %(year)s figure is hidden from you (“%(text)s”) so that a smaller group cannot be "
        "worked out from it. Choose a larger group, or ask someone with access to student "
        "records."
    ),
    "MIN_N": gettext_lazy(
        "The group is too small to report: its %(year)s figure shows as “%(text)s”. Choose a "
        "larger group, or ask someone with access to student records."
    ),
}
HIDDEN_REASONS["BOTTOM_CODE"] = HIDDEN_REASONS["TOP_CODE"]


def _hidden_reason(base: Baseline) -> str:
    """Why a baseline the viewer cannot see makes the goal unmeasurable for them."""
    message = HIDDEN_REASONS.get(base.reason, HIDDEN_REASONS["MIN_N"])
    return str(message) % {"year": year_label(base.year), "text": base.text}


def attainable(facts: Facts) -> Verdict:
    missing = _attainable_missing(facts)
    if missing:
        return Verdict("A", Status.UNKNOWN, missing)
    base = facts.baseline
    assert base is not None and base.value is not None
    assert facts.target is not None and facts.target_year is not None
    gain = required_gain(base.value, base.year, facts.target, facts.target_year, facts.decrease)
    needed = {"gain": amount(gain, facts.rate)}
    if round(gain, 9) <= 0:
        reason = _(
            "Not ambitious: the target (%(target)s) is no better than the baseline "
            "(%(base)s in %(year)s)."
        ) % {
            "target": value_text(facts.target, facts),
            "base": base.text,
            "year": year_label(base.year),
        }
        return Verdict("A", Status.WARNING, reason)
    gains = improvements(facts.peer_changes, decrease=facts.decrease)
    if len(gains) < MIN_GAINS:
        return Verdict("A", Status.UNKNOWN, _too_few(needed["gain"], len(gains), facts.peers))
    return _against_peers(gain, gains, facts)


def _too_few(gain: str, n: int, peers: str) -> str:
    shown = {"gain": gain, "n": n, "min": MIN_GAINS, "peers": peers}
    if not n:
        return (
            _(
                "The target needs a gain of %(gain)s a year, but the data hold no yearly changes "
                "of similar schools on the same result for the same students (at least %(min)s "
                "are needed to compare)."
            )
            % shown
        )
    return (
        _(
            "The target needs a gain of %(gain)s a year, but the data hold only %(n)s yearly "
            "changes of similar schools on the same result (at %(peers)s; at least %(min)s are "
            "needed to compare)."
        )
        % shown
    )


def _attainable_missing(facts: Facts) -> str:
    """Why attainability cannot be judged, or "" when it can."""
    if not facts.catalog or not facts.outcome:
        return _(
            "Headway has no figures of similar schools for this result, so it cannot judge "
            "whether the target is within reach."
        )
    base = facts.baseline
    if base is None or base.value is None:
        return _("Without a baseline you can see, Headway cannot judge the gain needed.")
    if facts.target is None or facts.target_year is None:
        return _("Set a target and a target year to see how large a gain it needs.")
    if facts.target_year <= base.year:
        return _("The target year must come after the baseline's year (%(year)s).") % {
            "year": year_label(base.year)
        }
    return ""


AGAINST_PEERS = {
    Status.NOT_MET: gettext_lazy(
        "Unrealistic: the target needs a gain of %(gain)s a year, and only %(share)s%% of "
        "similar schools' yearly changes were this large (%(n)s changes at %(peers)s)."
    ),
    Status.WARNING: gettext_lazy(
        "Not ambitious: %(share)s%% of similar schools' yearly changes were at least as large "
        "as the %(gain)s a year this target needs (percentile %(p)s; %(n)s changes at "
        "%(peers)s). Could the target be higher?"
    ),
    Status.MET: gettext_lazy(
        "Within reach and ambitious: the %(gain)s a year this target needs is at percentile "
        "%(p)s of similar schools' yearly changes (%(n)s changes at %(peers)s)."
    ),
}


def _against_peers(gain: float, gains: Sequence[float], facts: Facts) -> Verdict:
    """Above the 90th percentile: unrealistic; below the 25th: not ambitious."""
    percentile = percentile_of(gain, gains)
    status = Status.MET
    if percentile > UNREALISTIC_ABOVE:
        status = Status.NOT_MET
    elif percentile < UNAMBITIOUS_BELOW:
        status = Status.WARNING
    shown = {
        "gain": amount(gain, facts.rate),
        "p": f"{percentile:.0f}",
        "share": f"{share_at_least(gain, gains):.0f}",
        "n": len(gains),
        "peers": facts.peers,
    }
    return Verdict("A", status, str(AGAINST_PEERS[status]) % shown)


def results_oriented(facts: Facts) -> Verdict:
    what = {"what": facts.outcome}
    if not facts.outcome:
        return Verdict("R", Status.UNKNOWN, _("Name the result first."))
    if facts.catalog or facts.measure_kind == OUTCOME:
        return Verdict("R", Status.MET, _("%(what)s is a result for students.") % what)
    if facts.measure_kind == ACTIVITY:
        reason = (
            _(
                "“%(what)s” is an activity for adults, not a result for students: say which "
                "student result it should change."
            )
            % what
        )
        return Verdict("R", Status.NOT_MET, reason)
    reason = _("Say whether “%(what)s” is a result for students or something adults do.") % what
    return Verdict("R", Status.UNKNOWN, reason)


def time_bound(facts: Facts) -> Verdict:
    period = {"first": year_label(facts.first_year), "last": year_label(facts.last_year)}
    year = facts.target_year
    if year is None:
        return Verdict(
            "T", Status.NOT_MET, _("Say by which school year the target should be reached.")
        )
    if not facts.first_year <= year <= facts.last_year:
        reason = _(
            "The target year, %(year)s, is outside the plan period (%(first)s to %(last)s)."
        ) % (period | {"year": year_label(year)})
        return Verdict("T", Status.NOT_MET, reason)
    reason = _("The target is due by the end of %(year)s, within the plan period.") % {
        "year": year_label(year)
    }
    return Verdict("T", Status.MET, reason)


# --- numbers -----------------------------------------------------------------------------------


def required_gain(
    baseline: float, baseline_year: int, target: float, target_year: int, decrease: bool
) -> float:
    """The yearly gain the target needs: a rise, or a fall for a goal to decrease."""
    change = (target - baseline) / (target_year - baseline_year)
    return -change if decrease else change


def even_interim(
    baseline: float | None,
    baseline_year: int | None,
    target: float | None,
    target_year: int | None,
    years: Sequence[int],
) -> dict[int, float]:
    """Targets for those of ``years`` strictly between the baseline's and the target's,
    on the straight line from the baseline to the target."""
    if None in (baseline, baseline_year, target, target_year):
        return {}
    assert baseline is not None and baseline_year is not None
    assert target is not None and target_year is not None
    if target_year <= baseline_year:
        return {}
    step = (target - baseline) / (target_year - baseline_year)
    return {
        y: baseline + step * (y - baseline_year) for y in years if baseline_year < y < target_year
    }


def year_label(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


def _trimmed(x: float) -> str:
    text = f"{x:.1f}"
    return text.removesuffix(".0")


def amount(x: float, rate: bool) -> str:
    """A change in words: "2.5 percentage points" for rates, "4 points" for scores."""
    if rate:
        return _("%(x)s percentage points") % {"x": _trimmed(x * 100)}
    return _("%(x)s points") % {"x": _trimmed(x)}


def points(x: float, rate: bool) -> str:
    """A gap as people read it: "12 points" (percentage points for a rate)."""
    shown = _trimmed(x * 100 if rate else x)
    return ngettext("%(x)s point", "%(x)s points", 1 if shown in ("1", "-1") else 2) % {"x": shown}


def value_text(x: float, facts: Facts) -> str:
    """A target as people read it: "55%", "12 points" for a gap, "250" for a score."""
    if facts.gap:
        return points(x, facts.rate)
    return f"{x * 100:.0f}%" if facts.rate else _trimmed(x)


# --- equity ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equity:
    satisfied: bool
    text: str


def equity(gap_goals: int, reason: str) -> Equity:
    """At least one goal on a gap between student groups, or a reason why none is."""
    if gap_goals:
        return Equity(True, _("At least one goal closes a gap between student groups."))
    if reason.strip():
        return Equity(True, _("No goal closes a gap, and the team has said why."))
    return Equity(
        False,
        _(
            "No goal closes a gap between student groups yet. Add one, or say why the plan "
            "has none."
        ),
    )
