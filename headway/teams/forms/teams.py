"""Forms for teams, their members and the district's composition rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from headway.accounts.models import User
from headway.lib.revisions import RevisionField
from headway.orgs.models import Organization
from headway.teams.composition import RULES
from headway.teams.models import Category, CustomRule, Team, TeamMember, TeamRole

NO_CHOICE = ("", _("Choose one…"))


def kinds_for(org: Organization) -> list[tuple[str, Any]]:
    """The kinds of team an organization may have: school teams or the district team."""
    if org.is_district:
        return [(Team.Kind.DISTRICT, Team.Kind.DISTRICT.label)]
    return [
        (Team.Kind.IMPROVEMENT, Team.Kind.IMPROVEMENT.label),
        (Team.Kind.INSTRUCTIONAL, Team.Kind.INSTRUCTIONAL.label),
    ]


class TeamForm(forms.ModelForm[Team]):
    """Name, kind and vision of a team; used to start one and, with more fields, to edit it."""

    class Meta:
        model = Team
        fields = ["name", "kind", "vision"]
        widgets = {"kind": forms.RadioSelect, "vision": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "name": _("For example: Alder Creek School Improvement Team."),
            "vision": _("What the school will look like when the team's work succeeds."),
        }

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.org = org
        if org.is_district:
            # A district has one kind of team, so there is nothing to choose.
            del self.fields["kind"]
            self.instance.kind = Team.Kind.DISTRICT
        else:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.TypedChoiceField)
            kind.choices = kinds_for(org)


class TeamCreateForm(TeamForm):
    """A new team, and whether the person starting it joins it."""

    add_me = forms.BooleanField(
        label=_("Add me to the team"),
        required=False,
        initial=True,
        help_text=_("You can add everyone else on the team's page."),
    )
    my_category = forms.ChoiceField(
        label=_("On the team I speak for"),
        choices=[NO_CHOICE, *Category.choices],
        required=False,
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        if org.is_district:
            self.initial.setdefault("my_category", Category.DISTRICT_STAFF)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("add_me") and not data.get("my_category"):
            self.add_error(
                "my_category",
                _("Choose whom you speak for on the team, or untick “Add me to the team”."),
            )
        return data


class TeamEditForm(TeamForm):
    revision = RevisionField()

    class Meta(TeamForm.Meta):
        fields = ["name", "kind", "vision", "alignment", "published"]
        widgets = {
            **TeamForm.Meta.widgets,
            "alignment": forms.Textarea(attrs={"rows": 4}),
        }


class MemberForm(forms.ModelForm[TeamMember]):
    """Category and roles of a member; the add form also says who the person is."""

    roles = forms.MultipleChoiceField(
        label=_("Roles on the team"),
        choices=TeamRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick all that apply. “Member” if nothing else fits."),
    )

    class Meta:
        model = TeamMember
        fields = ["category", "roles"]

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.instance.team = team
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = [NO_CHOICE, *Category.choices]
        if not self.instance.pk:
            self.initial.setdefault("roles", [TeamRole.MEMBER])

    def clean_roles(self) -> list[str]:
        roles: list[str] = self.cleaned_data.get("roles") or []
        return roles or [TeamRole.MEMBER.value]

    def _already_on_team(self, user: User) -> bool:
        others = self.team.members.filter(user=user).exclude(pk=self.instance.pk)
        return others.exists()


class PersonField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.email})"


class MemberAddForm(MemberForm):
    """Someone with a Headway account, or a contact known by name and email."""

    user = PersonField(
        label=_("Someone with a Headway account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a person…"),
        help_text=_("People who hold a role at this school or district."),
    )

    class Meta(MemberForm.Meta):
        fields = ["user", "name", "email", "category", "roles"]
        labels = {"name": _("Name"), "email": _("Email (optional)")}
        help_texts = {
            "name": _("For someone without a Headway account: a parent, a student, a partner."),
            "email": _("If they have an account with this email, or make one later, it is linked."),
        }

    def __init__(self, *args: Any, team: Team, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, team=team, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = people
        self.fields["name"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, name = data.get("user"), (data.get("name") or "").strip()
        if user and name:
            self.add_error("name", _("Choose a person from the list or type a name, not both."))
        elif not user and not name and "name" not in self.errors:
            self.add_error(
                "user",
                _("Choose a person from the list, or type the name of someone without an account."),
            )
        elif not user and data.get("email"):
            user = User.objects.filter(email__iexact=data["email"]).first()
        if user is not None and self._already_on_team(user):
            self.add_error(
                "email" if name else "user",
                _("%(name)s is already on this team.") % {"name": user.display_name},
            )
        elif user is not None:
            data.update(user=user, name=name or user.display_name, email=user.email)
        return data


class MemberEditForm(MemberForm):
    revision = RevisionField()

    class Meta(MemberForm.Meta):
        fields = ["name", "email", "category", "roles"]
        labels = {"name": _("Name"), "email": _("Email (optional)")}
        help_texts = MemberAddForm.Meta.help_texts

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, team=team, **kwargs)
        if self.instance.user_id:
            # People with an account keep the name and address of their account.
            del self.fields["name"]
            del self.fields["email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is not None and self._already_on_team(user):
            self.add_error(
                "email", _("%(name)s is already on this team.") % {"name": user.display_name}
            )
        elif user is not None:
            self.instance.user = user
        return data


def kind_labels(kinds: frozenset[str] | list[str]) -> str:
    labels = dict(Team.Kind.choices)
    return ", ".join(str(labels[kind]) for kind in Team.Kind.values if kind in kinds)


class SwitchesForm(forms.Form):
    """One checkbox per built-in rule: ticked means the district's teams are checked for it."""

    revision = RevisionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule in RULES:
            self.fields[f"rule_{rule.slug}"] = forms.BooleanField(
                label=str(rule.title),
                required=False,
                help_text=_("For: %(kinds)s. %(reason)s")
                % {"kinds": kind_labels(rule.kinds), "reason": rule.reason},
            )

    @classmethod
    def initial_for(cls, disabled: list[str], revision: int) -> dict[str, Any]:
        initial: dict[str, Any] = {f"rule_{r.slug}": r.slug not in disabled for r in RULES}
        initial["revision"] = revision
        return initial

    def disabled(self) -> list[str]:
        return [rule.slug for rule in RULES if not self.cleaned_data.get(f"rule_{rule.slug}")]


class CustomRuleForm(forms.ModelForm[CustomRule]):
    team_kinds = forms.MultipleChoiceField(
        label=_("For these teams"),
        choices=Team.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to check every kind of team."),
    )

    class Meta:
        model = CustomRule
        fields = ["title", "reason", "category", "role", "minimum", "team_kinds"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("For example: Two parents or family leaders."),
            "reason": _("Teams see this next to the rule, so they know why it matters."),
            "role": _("Choose a group, a role, or both (then members must match both)."),
        }

    def __init__(self, *args: Any, district: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        anyone = ("", _("Anyone"))
        for name, choices in (("category", Category.choices), ("role", TeamRole.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [anyone, *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("category") and not data.get("role") and "category" not in self.errors:
            self.add_error(
                "category",
                _("Choose the group the members speak for, or a role they hold."),
            )
        return data
