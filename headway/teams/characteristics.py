"""The nine characteristics of effective improvement teams, rated in the self-assessment."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS: dict[int, Promise] = {
    1: _("Not at all"),
    2: _("A little"),
    3: _("Somewhat"),
    4: _("Mostly"),
    5: _("Fully"),
}
MIN_ANSWERS = 3  # results stay hidden until this many members have answered


@dataclass(frozen=True)
class Characteristic:
    slug: str
    name: Promise
    statement: Promise  # what a member rates: how true this is of the team
    prompts: tuple[Promise, ...]  # reflection questions when it is rated lowest


CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic(
        "mission",
        _("A shared mission"),
        _("We agree on what we are here to do and for which students."),
        (
            _("Could each of us say the team's mission in one sentence? Would we say the same?"),
            _("Which of our recent decisions did the mission actually shape?"),
        ),
    ),
    Characteristic(
        "trust",
        _("Trust and openness"),
        _("We trust each other and are open about what is and is not working."),
        (
            _("What would make it safer to raise a concern in our meetings?"),
            _("When did someone last change their mind because of what another member said?"),
        ),
    ),
    Characteristic(
        "communication",
        _("Open and honest communication"),
        _("We say what we think, listen, and keep each other informed between meetings."),
        (
            _("What goes unsaid in our meetings, and where does it get said instead?"),
            _("How do members who miss a meeting learn what was decided?"),
        ),
    ),
    Characteristic(
        "responsibility",
        _("Shared responsibility"),
        _("The work is spread across the team, and each of us follows through."),
        (
            _("Whose name is on most of our to-dos? Is that fair and wise?"),
            _("What happens when an agreed task is not done?"),
        ),
    ),
    Characteristic(
        "risk",
        _("Room to take risks"),
        _("We can try something new, and learn from it if it fails, without blame."),
        (
            _("What idea have we avoided because it might not work?"),
            _("How do we talk about a change that did not work out?"),
        ),
    ),
    Characteristic(
        "evaluation",
        _("Checking our progress"),
        _("We regularly look at evidence of whether our work is making a difference."),
        (
            _("Which of our goals could we report progress on today, with data?"),
            _("When did we last stop or change something because the evidence said so?"),
        ),
    ),
    Characteristic(
        "interdependence",
        _("Members who rely on each other"),
        _("We need each other's knowledge and roles to get the work done."),
        (
            _("What does each member bring that no one else on the team does?"),
            _("Where do we work in parallel when we should work together?"),
        ),
    ),
    Characteristic(
        "consensus",
        _("Decisions by consensus"),
        _("We reach decisions everyone can support, using the rule we agreed on."),
        (
            _("Do we all know how we decide, and do we stick to it?"),
            _("Which recent decision do some members not really support? Why?"),
        ),
    ),
    Characteristic(
        "leadership",
        _("Leadership that includes everyone"),
        _("Leadership is shared, and every member has a real say."),
        (
            _("Who speaks most in our meetings, and who least?"),
            _("What could a member who is not a chair lead next month?"),
        ),
    ),
)
BY_SLUG = {c.slug: c for c in CHARACTERISTICS}
