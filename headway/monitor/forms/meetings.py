"""The forms of the weekly meeting: starting it, minutes, attendance, headlines, decisions,
to-dos, ratings, and searching past meetings.

Choices (teams, members, issues) are limited to the organization's or the team's own, so a
code from elsewhere is refused like any other wrong choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.monitor.models import TODO_DAYS, Attendance, Issue, default_due
from headway.teams.models import Team, TeamMember

DATE = forms.DateInput(attrs={"type": "date"})
NOTES_MAX = 20_000  # a section's minutes: several pages, never a pasted file


class TeamField(forms.ModelChoiceField[Team]):
    """One of the organization's teams, by code; ``offer`` sets which."""

    def __init__(self, required: Any) -> None:
        super().__init__(
            Team.objects.none(),
            to_field_name="code",
            label=_("Team"),
            empty_label=None,
            error_messages={
                "required": required,
                "invalid_choice": _("Choose one of this organization's teams."),
            },
        )

    def label_from_instance(self, obj: Team) -> str:
        return obj.name

    def offer(self, teams: QuerySet[Team]) -> None:
        self.queryset = teams


def team_field(form: forms.BaseForm) -> TeamField:
    field = form.fields["team"]
    assert isinstance(field, TeamField)
    return field


class OwnerField(forms.ModelChoiceField[TeamMember]):
    """A team member; with several teams, their team is named too."""

    with_team = False

    def label_from_instance(self, obj: TeamMember) -> str:
        return f"{obj.name} — {obj.team.name}" if self.with_team else obj.name


class StartForm(forms.Form):
    team = TeamField(_("Choose the team that is meeting."))

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field(self).offer(teams)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Keep the minutes under %(limit_value)s characters.")
            % {"limit_value": NOTES_MAX}
        },
    )
    revision = RevisionField()


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Tick only members of this team.")},
    )

    def __init__(self, *args: Any, rows: Sequence[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(row.member.code), row.member.name) for row in rows]
        self.initial.setdefault("present", [str(row.member.code) for row in rows if row.present])


def member_names(members: Sequence[TeamMember]) -> list[tuple[str, str]]:
    return [(m.name, m.name) for m in members]


class HeadlineForm(forms.Form):
    text = forms.CharField(
        label=_("Headline"),
        max_length=300,
        help_text=_("One sentence of good news or a heads-up, without discussion."),
        error_messages={
            "required": _("Write the headline in a sentence."),
            "max_length": _("Keep the headline under 300 characters."),
        },
    )
    by = forms.ChoiceField(label=_("Shared by"), required=False)

    def __init__(self, *args: Any, members: Sequence[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody in particular")), *member_names(members)]


class IssueChoiceField(forms.ModelChoiceField[Issue]):
    def label_from_instance(self, obj: Issue) -> str:
        return obj.title


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what was decided.")},
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=300,
        help_text=_("Names, or “the whole team”."),
        error_messages={"required": _("Say who decided: names, or “the whole team”.")},
    )
    issue = IssueChoiceField(
        Issue.objects.none(),
        to_field_name="code",
        label=_("On the issue"),
        required=False,
        empty_label=_("No issue in particular"),
        error_messages={"invalid_choice": _("Choose one of this team's issues.")},
    )

    def __init__(self, *args: Any, issues: QuerySet[Issue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issue"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = issues


class TodoForm(forms.Form):
    text = forms.CharField(
        label=_("To-do"),
        max_length=300,
        help_text=_("One small task that can be done within a week or two."),
        error_messages={
            "required": _("Say in a few words what is to be done."),
            "max_length": _("Keep the to-do under 300 characters."),
        },
    )
    owner = OwnerField(
        TeamMember.objects.none(),
        to_field_name="code",
        label=_("Who does it"),
        error_messages={
            "required": _("Choose the team member who does it."),
            "invalid_choice": _("Choose a member of the team."),
        },
    )
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=DATE,
        help_text=_("A week from today unless you choose another day."),
        error_messages={"invalid": _("Give the day as a date, for example 2025-10-06.")},
    )

    def __init__(
        self, *args: Any, members: QuerySet[TeamMember], today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["owner"]
        assert isinstance(field, OwnerField)
        field.queryset = members.select_related("team")
        field.with_team = len({m.team_id for m in field.queryset}) > 1
        self.initial.setdefault("due", default_due())

    def clean_due(self) -> date:
        due: date | None = self.cleaned_data.get("due")
        if due is None:
            return self.today + timedelta(days=TODO_DAYS)
        if due < self.today:
            day = date_format(self.today, "DATE_FORMAT")
            raise forms.ValidationError(
                _("The due date cannot be before today (%(day)s).") % {"day": day}
            )
        return due


class RatingForm(forms.Form):
    """One rating from 1 to 10 for each member present; a blank one is skipped."""

    def __init__(self, *args: Any, members: Sequence[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {f"rating-{m.code}": m for m in members}
        for name, member in self.members.items():
            self.fields[name] = forms.IntegerField(
                label=member.name,
                required=False,
                min_value=1,
                max_value=10,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Give a whole number from 1 to 10."),
                    "min_value": _("Give a whole number from 1 to 10."),
                    "max_value": _("Give a whole number from 1 to 10."),
                },
            )

    def scores(self) -> list[tuple[TeamMember, int]]:
        return [
            (member, self.cleaned_data[name])
            for name, member in self.members.items()
            if self.cleaned_data.get(name) is not None
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the minutes"), required=False, max_length=200)
