"""Each state's minimum group size for public reporting: the floor a district may not go under.

Most states use 10 (NCES 2011-603); the few listed here publish a larger number. A district
administrator confirms the value on the district's reporting settings page, because state
policies change and the table cannot be more than a starting point.
"""

from __future__ import annotations

DEFAULT_REPORTING_N = 10
REPORTING_N: dict[str, int] = {
    "CA": 11,
    "DE": 15,
}


def reporting_n(state: str) -> int:
    """The state's minimum n for public reporting (10 where Headway knows no other value)."""
    return REPORTING_N.get(state.upper(), DEFAULT_REPORTING_N)
