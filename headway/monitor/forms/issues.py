"""The forms of the issues list: raising an issue, moving it on, solving it with a decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.monitor.forms.meetings import TeamField, team_field
from headway.teams.models import Team


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("Issue"),
        max_length=300,
        help_text=_(
            "What gets in the way, in a sentence. For example: grade 3 teachers have no "
            "common planning time."
        ),
        error_messages={
            "required": _("Say in a sentence what gets in the way."),
            "max_length": _("Keep the issue under 300 characters; add the rest as details."),
        },
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the details under 5,000 characters.")},
    )
    raised_by = forms.CharField(
        label=_("Raised by"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Keep the name under 200 characters.")},
    )
    team = TeamField(_("Choose the team whose list it goes on."))

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = team_field(self)
        field.offer(teams)
        if len(teams) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("team", str(teams[0].code))


class StepForm(forms.Form):
    """Move an issue on (to discussion, or reopened), at the revision the page showed."""

    revision = RevisionField()


class SolveForm(forms.Form):
    decision = forms.CharField(
        label=_("What was decided"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the decision that solves the issue."),
            "max_length": _("Keep the decision under 5,000 characters."),
        },
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=300,
        help_text=_("Names, or “the whole team”."),
        error_messages={
            "required": _("Say who decided: names, or “the whole team”."),
            "max_length": _("Keep this under 300 characters."),
        },
    )
    revision = RevisionField()
