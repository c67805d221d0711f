"""The self-assessment's summary maths: plain lists of ratings in, small value objects out.

A response is a mapping of characteristic slug → rating (1–5). Results are worked out only
from MIN_ANSWERS responses on: with fewer, a summary would all but name who said what.
No database and no request here, so the numbers can be tested by hand.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from headway.teams.characteristics import CHARACTERISTICS, MIN_ANSWERS, SCALE

Ratings = Mapping[str, object]
SLUGS: tuple[str, ...] = tuple(c.slug for c in CHARACTERISTICS)


@dataclass(frozen=True)
class Summary:
    """One characteristic in one round: how many answered, the average and the spread.

    ``sd`` is the population standard deviation: it describes these members' answers,
    not an estimate for a larger group. ``previous_mean`` is None unless the previous round
    also had enough answers to show.
    """

    slug: str
    n: int
    mean: float
    sd: float
    low: int
    high: int
    previous_mean: float | None = None

    @property
    def change(self) -> float | None:
        """The change in the average since the previous round, or None without one."""
        if self.previous_mean is None:
            return None
        return self.mean - self.previous_mean


def results_ready(count: int) -> bool:
    """Whether enough members have answered for results to show."""
    return count >= MIN_ANSWERS


def ratings_for(responses: Iterable[Ratings], slug: str) -> list[int]:
    """The valid ratings (whole numbers on the scale) given for one characteristic."""
    values = (response.get(slug) for response in responses)
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v in SCALE]


def summarise(
    responses: Sequence[Ratings],
    previous: Sequence[Ratings] = (),
    slugs: Sequence[str] = SLUGS,
) -> list[Summary]:
    """A summary per characteristic, in the order of ``slugs``; empty below MIN_ANSWERS.

    A characteristic with fewer than MIN_ANSWERS valid ratings is left out; the change since
    the previous round is given only when that round also reached MIN_ANSWERS.
    """
    if not results_ready(len(responses)):
        return []
    before = previous if results_ready(len(previous)) else ()
    summaries = []
    for slug in slugs:
        values = ratings_for(responses, slug)
        if not results_ready(len(values)):
            continue
        earlier = ratings_for(before, slug)
        summaries.append(
            Summary(
                slug=slug,
                n=len(values),
                mean=statistics.fmean(values),
                sd=statistics.pstdev(values),
                low=min(values),
                high=max(values),
                previous_mean=statistics.fmean(earlier) if results_ready(len(earlier)) else None,
            )
        )
    return summaries


def lowest(summaries: Sequence[Summary], k: int = 2) -> list[Summary]:
    """The ``k`` characteristics with the lowest averages; ties keep the given order."""
    return sorted(summaries, key=lambda s: s.mean)[:k]


def one_decimal(value: float) -> Decimal:
    """Rounded half up to one decimal, as people round by hand (2.25 → 2.3)."""
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_shown(summary: Summary) -> Decimal | None:
    """The change between the two averages as shown, so the figures on the page add up."""
    if summary.previous_mean is None:
        return None
    return one_decimal(summary.mean) - one_decimal(summary.previous_mean)


def sorted_comments(comments: Iterable[Mapping[str, object]], slug: str) -> list[str]:
    """One characteristic's comments in alphabetical order, which says nothing of who wrote them."""
    texts = (c.get(slug) for c in comments)
    found = [t.strip() for t in texts if isinstance(t, str) and t.strip()]
    return sorted(found, key=lambda t: (t.casefold(), t))
