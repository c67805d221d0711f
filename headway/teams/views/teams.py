"""The Team section: teams of a school or district, their members and the composition rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.accounts.models import User
from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.access import OrgAccess, get_org_for_user, signed_in
from headway.orgs.models import Membership, Organization
from headway.orgs.roles import Cap
from headway.teams import agreements
from headway.teams.access import get_team_for_user
from headway.teams.composition import Line, checklist, seats_of
from headway.teams.conflicts import ConflictRow, conflict_rows, on_stale, reopened, say_stale
from headway.teams.forms.teams import (
    CustomRuleForm,
    MemberAddForm,
    MemberEditForm,
    SwitchesForm,
    TeamCreateForm,
    TeamEditForm,
    kind_labels,
)
from headway.teams.models import (
    AgreementSet,
    Charter,
    CompositionSettings,
    CustomRule,
    Partnership,
    Team,
    TeamMember,
    TeamRole,
)

# Composition ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRules:
    """The district's choice of composition rules, loaded once for all the teams on a page."""

    disabled: list[str]
    custom: list[CustomRule]

    @classmethod
    def of(cls, district: Organization | None) -> DistrictRules:
        if district is None:
            return cls([], [])
        stored = CompositionSettings.objects.filter(district=district).first()
        return cls(stored.disabled if stored else [], list(district.composition_rules.all()))

    def lines(self, team: Team, members: Iterable[TeamMember]) -> list[Line]:
        seats = seats_of((member.category, member.roles) for member in members)
        return checklist(team.kind, seats, self.disabled, self.custom)


def _status(lines: Sequence[Line]) -> str:
    """One line for a list of teams: complete, or what is missing."""
    missing = [line.title for line in lines if not line.met]
    if not missing:
        return _("Has everyone it needs")
    return _("Missing %(n)s: %(what)s") % {"n": len(missing), "what": ", ".join(missing)}


def _summary(lines: Sequence[Line]) -> str:
    missing = sum(1 for line in lines if not line.met)
    if not missing:
        return _("The team has everyone it needs.")
    return ngettext("%(n)s thing still needed.", "%(n)s things still needed.", missing) % {
        "n": missing
    }


def _saved_fields(form: forms.BaseForm) -> list[str]:
    return [name for name in form.fields if name != "revision"]


# Pages ------------------------------------------------------------------------------------


def _visible(request: HttpRequest, access: OrgAccess, teams: QuerySet[Team]) -> QuerySet[Team]:
    """Community viewers see published teams, and any team they are on themselves."""
    if access.can(Cap.VIEW_INTERNAL):
        return teams
    mine = TeamMember.objects.filter(user=signed_in(request)).values("team_id")
    return teams.filter(Q(published=True) | Q(pk__in=mine))


@dataclass(frozen=True)
class TeamRow:
    team: Team
    status: str  # empty when the person may not see the checklist
    complete: bool


def _rows(request: HttpRequest, access: OrgAccess, where: Q) -> list[TeamRow]:
    teams = Team.objects.filter(where).select_related("org").prefetch_related("members")
    rules = DistrictRules.of(access.org.district())
    internal = access.can(Cap.VIEW_INTERNAL)
    user_id = signed_in(request).pk
    rows = []
    for team in _visible(request, access, teams):
        members = list(team.members.all())
        if internal or any(member.user_id == user_id for member in members):
            lines = rules.lines(team, members)
            rows.append(TeamRow(team, _status(lines), all(line.met for line in lines)))
        else:
            rows.append(TeamRow(team, "", False))
    return rows


def _partnership(district: Organization | None) -> Partnership | None:
    return Partnership.objects.filter(district=district).first() if district else None


def _adopted_charter(district: Organization | None) -> Charter | None:
    partnership = _partnership(district)
    return partnership.adopted_charter() if partnership else None


def _partnership_card(district: Organization) -> dict[str, Any]:
    partnership = _partnership(district)
    if partnership is None:
        return {"exists": False}
    return {
        "exists": True,
        "partners": partnership.partners.count(),
        "current": partnership.current_charter(),
        "adopted": partnership.adopted_charter(),
    }


def _district_context(request: HttpRequest, access: OrgAccess) -> dict[str, Any]:
    district = access.org
    rows = _rows(request, access, Q(org=district) | Q(org__parent=district))
    by_school: dict[int, list[TeamRow]] = {}
    for row in rows:
        by_school.setdefault(row.team.org_id, []).append(row)
    schools = district.children.order_by("name")
    return {
        "own_rows": by_school.get(district.pk, []),
        "schools": [(school, by_school.get(school.pk, [])) for school in schools],
        "partnership": _partnership_card(district),
        "show_status": any(row.status for row in rows),
    }


# /o/<code>/team/
@login_required
def home(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    org = access.org
    context: dict[str, Any] = {"org": org, "caps": access.cap_names}
    if org.is_network:
        context["members"] = org.members.order_by("kind", "name")
    elif org.is_district:
        context.update(_district_context(request, access))
    else:
        rows = _rows(request, access, Q(org=org))
        context.update(rows=rows, show_status=any(row.status for row in rows))
        context["charter"] = _adopted_charter(org.district())
    return render(request, "teams/home.html", context)


def _start_team(request: HttpRequest, form: TeamCreateForm) -> Team:
    """Save the team with its first working agreements, and its first member if asked."""
    user = signed_in(request)
    with transaction.atomic():
        team = form.save()
        AgreementSet.objects.create(
            team=team, number=1, items=agreements.default_items(), created_by=user
        )
        if form.cleaned_data["add_me"]:
            TeamMember.objects.create(
                team=team,
                user=user,
                name=user.display_name,
                email=user.email,
                category=form.cleaned_data["my_category"],
                roles=[TeamRole.MEMBER.value],
            )
    record(request, "team.created", org=team.org, obj=team, detail={"name": team.name})
    return team


# /o/<code>/team/new/
@login_required
def create(request: HttpRequest, code: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.EDIT_PLAN).org
    if org.is_network:
        raise Http404("Teams belong to a school or a district.")
    form = TeamCreateForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        team = _start_team(request, form)
        messages.success(request, _("%(name)s was started.") % {"name": team.name})
        return redirect(team)
    return render(request, "teams/team_create.html", {"org": org, "form": form})


def _internal_context(team: Team, members: list[TeamMember]) -> dict[str, Any]:
    """What only the team and its school's staff see: checklist, acceptances, self-assessment."""
    lines = DistrictRules.of(team.org.district()).lines(team, members)
    latest = team.rounds.order_by("-opened_at").first()
    current = team.current_agreements()
    return {
        "lines": lines,
        "summary": _summary(lines),
        "complete": all(line.met for line in lines),
        "accepted": current.acceptances.filter(member__team=team).count() if current else 0,
        "latest_round": latest,
        "answered": latest.participations.count() if latest else 0,
    }


# /o/<code>/team/<tcode>/
@login_required
def detail(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    access = get_team_for_user(request, code, tcode)
    team = access.team
    members = list(team.members.select_related("user"))
    context: dict[str, Any] = {
        "org": team.org,
        "team": team,
        "access": access,
        "members": members,
        "agreements": team.current_agreements(),
        "charter": _adopted_charter(team.org.district()),
    }
    if access.sees_internal:
        context.update(_internal_context(team, members))
    return render(request, "teams/team_detail.html", context)


# /o/<code>/team/<tcode>/edit/
@login_required
def edit(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    team = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN).team
    initial = {"revision": team.revision}
    form = TeamEditForm(request.POST or None, instance=team, org=team.org, initial=initial)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            save_revision(team, form.cleaned_data["revision"], _saved_fields(form))
        except Stale:
            team = Team.objects.select_related("org").get(pk=team.pk)
            conflict = on_stale(request, form, team)
            form = TeamEditForm(reopened(request, team.revision), instance=team, org=team.org)
        else:
            record(request, "team.updated", org=team.org, obj=team, detail={"name": team.name})
            messages.success(request, _("Saved."))
            return redirect(team)
    charter = _adopted_charter(team.org.district())
    context = {"org": team.org, "team": team, "form": form, "charter": charter}
    return render(request, "teams/team_edit.html", {**context, "conflict": conflict})


def _people(team: Team) -> QuerySet[User]:
    """People who hold a role at the team's organization, its district or their networks."""
    orgs = [team.org.pk] + ([team.org.parent_id] if team.org.parent_id else [])
    networks = Organization.objects.filter(members__in=orgs).values("pk")
    holders = Membership.objects.active().filter(Q(org_id__in=orgs) | Q(org_id__in=networks))
    return User.objects.filter(pk__in=holders.values("user_id")).exclude(
        team_memberships__team=team
    )


# /o/<code>/team/<tcode>/members/new/
@login_required
def member_add(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    team = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN).team
    form = MemberAddForm(request.POST or None, team=team, people=_people(team))
    if request.method == "POST" and form.is_valid():
        member = form.save()
        detail = {"team": str(team.code), "member": member.name, "category": member.category}
        record(request, "team.member_added", org=team.org, obj=member, detail=detail)
        messages.success(request, _("%(name)s was added to the team.") % {"name": member.name})
        return redirect(team)
    return render(request, "teams/member_add.html", {"org": team.org, "team": team, "form": form})


# /o/<code>/team/<tcode>/members/<mcode>/edit/
@login_required
def member_edit(request: HttpRequest, code: UUID, tcode: UUID, mcode: UUID) -> HttpResponse:
    team = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN).team
    member = get_object_or_404(team.members, code=mcode)
    was_linked = member.user_id
    initial = {"revision": member.revision}
    form = MemberEditForm(request.POST or None, instance=member, team=team, initial=initial)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        fields = _saved_fields(form) + (["user"] if member.user_id != was_linked else [])
        try:
            save_revision(member, form.cleaned_data["revision"], fields)
        except Stale:
            member = TeamMember.objects.get(pk=member.pk)
            conflict = on_stale(request, form, member)
            form = MemberEditForm(reopened(request, member.revision), instance=member, team=team)
        else:
            record(request, "team.member_updated", org=team.org, obj=member)
            messages.success(request, _("Saved."))
            return redirect(team)
    context = {"org": team.org, "team": team, "member": member, "form": form}
    return render(request, "teams/member_edit.html", {**context, "conflict": conflict})


# /o/<code>/team/<tcode>/members/<mcode>/remove/
@login_required
def member_remove(request: HttpRequest, code: UUID, tcode: UUID, mcode: UUID) -> HttpResponse:
    team = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN).team
    member = get_object_or_404(team.members, code=mcode)
    if request.method == "POST":
        # Acceptances and the record of who answered go with the member; the anonymous
        # answers themselves stay in the team's results.
        member.delete()
        detail = {"team": str(team.code), "member": member.name}
        record(request, "team.member_removed", org=team.org, obj=team, detail=detail)
        messages.success(request, _("%(name)s is no longer on the team.") % {"name": member.name})
        return redirect(team)
    context = {"org": team.org, "team": team, "member": member}
    return render(request, "teams/member_remove.html", context)


# Composition rules ------------------------------------------------------------------------


def _rules_district(request: HttpRequest, code: UUID) -> Organization:
    district = get_org_for_user(request, code, Cap.MANAGE_ORG).org
    if not district.is_district:
        raise Http404("Composition rules belong to a district.")
    return district


def _stored_settings(district: Organization) -> CompositionSettings:
    stored = CompositionSettings.objects.filter(district=district).first()
    return stored or CompositionSettings(district=district)


def _save_switches(request: HttpRequest, district: Organization, form: SwitchesForm) -> None:
    stored, _created = CompositionSettings.objects.get_or_create(district=district)
    stored.disabled = form.disabled()
    save_revision(stored, form.cleaned_data["revision"], ["disabled"])
    record(request, "team.rules_changed", org=district, detail={"disabled": stored.disabled})


def _rules_page(
    request: HttpRequest,
    district: Organization,
    switches: SwitchesForm | None = None,
    new_rule: CustomRuleForm | None = None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    stored = _stored_settings(district)
    if switches is None:
        switches = SwitchesForm(initial=SwitchesForm.initial_for(stored.disabled, stored.revision))
    own = [(rule, kind_labels(rule.team_kinds)) for rule in district.composition_rules.all()]
    context = {
        "org": district,
        "switches": switches,
        "new_rule": new_rule or CustomRuleForm(district=district),
        "own": own,
        "conflict": conflict or [],
    }
    return render(request, "teams/rules.html", context)


def _switches_posted(request: HttpRequest, district: Organization) -> HttpResponse:
    form = SwitchesForm(request.POST)
    if not form.is_valid():
        return _rules_page(request, district, switches=form)
    try:
        _save_switches(request, district, form)
    except Stale:
        stored = _stored_settings(district)
        conflict = conflict_rows(form, SwitchesForm.initial_for(stored.disabled, stored.revision))
        say_stale(request)
        return _rules_page(
            request, district, SwitchesForm(reopened(request, stored.revision)), None, conflict
        )
    messages.success(request, _("The composition rules were saved."))
    return redirect("teams-rules", code=district.code)


def _rule_posted(request: HttpRequest, district: Organization) -> HttpResponse:
    form = CustomRuleForm(request.POST, district=district)
    if not form.is_valid():
        return _rules_page(request, district, new_rule=form)
    rule = form.save()
    record(request, "team.rule_added", org=district, obj=rule, detail={"title": rule.title})
    messages.success(request, _("The rule “%(title)s” was added.") % {"title": rule.title})
    return redirect("teams-rules", code=district.code)


# /o/<code>/team/rules/
@login_required
def rules(request: HttpRequest, code: UUID) -> HttpResponse:
    district = _rules_district(request, code)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "switches":
        return _switches_posted(request, district)
    if action == "add":
        return _rule_posted(request, district)
    return _rules_page(request, district)


# /o/<code>/team/rules/<rcode>/remove/
@login_required
def rule_remove(request: HttpRequest, code: UUID, rcode: UUID) -> HttpResponse:
    district = _rules_district(request, code)
    rule = get_object_or_404(CustomRule, district=district, code=rcode)
    if request.method == "POST":
        rule.delete()
        record(request, "team.rule_removed", org=district, detail={"title": rule.title})
        messages.success(request, _("The rule “%(title)s” was removed.") % {"title": rule.title})
        return redirect("teams-rules", code=district.code)
    return render(request, "teams/rules_remove.html", {"org": district, "rule": rule})
