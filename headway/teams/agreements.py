"""The working agreements a new team starts from, drafted from common member commitments."""

from __future__ import annotations

from django.utils.translation import gettext as _


def default_items() -> list[str]:
    return [
        _("We come with open minds, look for solutions, and admit what we do not know."),
        _("We model focus, discipline and follow-through, so others see it in us first."),
        _("We treat every problem in the school as ours, not only the ones we control."),
        _(
            "We run our meetings with proven routines: an agenda, a timekeeper, and decisions "
            "written down."
        ),
        _("We speak openly in the room and keep what is shared there in confidence."),
        _("We decide by the rule we agreed on and then support the decision together."),
    ]
