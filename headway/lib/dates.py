"""How a due date stands today, in words: the one wording every page uses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def due_words(days: int) -> str:
    """From the days left until a due date (negative when late): "due today", "due in 3
    days" or "2 days late"."""
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("due in %(n)s day", "due in %(n)s days", days) % {"n": days}
    return ngettext("%(n)s day late", "%(n)s days late", -days) % {"n": -days}
