"""Forms of the needs assessment: answers, pinned evidence and snapshots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from headway.explore.models import Finding
from headway.lib.revisions import RevisionField
from headway.orgs.models import school_year_label
from headway.plans.models import Answer, Cycle, NeedsAssessment, Snapshot
from headway.plans.questions import Question

NOTE_HELP = _("Optional: what this evidence shows about the question, in your own words.")


class AnswerForm(forms.ModelForm[Answer]):
    revision = RevisionField()

    class Meta:
        model = Answer
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = str(question.hint)


class FindingChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class FindingPinForm(forms.Form):
    findings = FindingChoiceField(
        label=_("Findings to pin"),
        queryset=Finding.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one finding to pin."),
            "invalid_choice": _("That finding is not one of this organization's findings."),
            "invalid_pk_value": _("That finding is not one of this organization's findings."),
        },
    )
    note = forms.CharField(
        label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        findings: QuerySet[Finding],
        assessment: NeedsAssessment,
        question: Question,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["findings"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = findings
        self.fields["note"].help_text = NOTE_HELP
        self.assessment = assessment
        self.question = question

    def clean_findings(self) -> list[Finding]:
        chosen: list[Finding] = list(self.cleaned_data["findings"])
        pinned = set(
            self.assessment.evidence.filter(
                question=self.question.slug, finding__in=chosen
            ).values_list("finding_id", flat=True)
        )
        twice = [finding.title for finding in chosen if finding.pk in pinned]
        if twice:
            raise forms.ValidationError(
                _("Already pinned to this question: %(titles)s. Untick it to pin the others.")
                % {"titles": "; ".join(twice)}
            )
        return chosen


class FigurePinForm(forms.Form):
    """A figure of the results page: its title and the filters that show it."""

    title = forms.CharField(label=_("Title"), max_length=300)
    note = forms.CharField(
        label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year = forms.CharField(required=False, widget=forms.HiddenInput)
    subject = forms.CharField(required=False, widget=forms.HiddenInput)
    grade = forms.CharField(required=False, widget=forms.HiddenInput)
    metric = forms.CharField(required=False, widget=forms.HiddenInput)
    compare = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _("How the figure is named in the needs assessment.")
        self.fields["note"].help_text = NOTE_HELP


class SnapshotForm(forms.Form):
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    moment = forms.ChoiceField(label=_("When"), choices=Snapshot.Moment.choices)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(cycle.first_year, cycle.last_year + 1)
        field = self.fields["school_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, school_year_label(y)) for y in years]
