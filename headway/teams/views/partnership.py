"""The district's labor–management–community partnership: its partners and its charter.

Community viewers see the partner names and the adopted charter only; drafts and earlier
unadopted versions are for the people doing the work and for the partners' representatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from headway.accounts.models import User
from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.lib.textdiff import Segment, diff_fields, is_changed
from headway.orgs.access import OrgAccess, signed_in
from headway.orgs.roles import Cap
from headway.teams.access import get_partnership_for_user
from headway.teams.conflicts import ConflictRow, on_stale, reopened
from headway.teams.forms.partnership import (
    CHARTER_FIELDS,
    DECISION_RULE_HELP,
    AcknowledgeForm,
    CharterForm,
    PartnerEditForm,
    PartnerForm,
    draft_charter,
)
from headway.teams.models import Acknowledgement, Charter, Partner, Partnership


@dataclass(frozen=True)
class CharterState:
    """One version of the charter with who has and has not acknowledged it."""

    charter: Charter
    acknowledgements: list[Acknowledgement]
    pending: list[Partner]

    @property
    def adopted(self) -> bool:
        return bool(self.acknowledgements) and not self.pending

    @property
    def rule_help(self) -> str:
        return str(DECISION_RULE_HELP[self.charter.decision_rule])

    def status(self) -> str:
        if self.adopted:
            return _("Adopted — acknowledged by every partner")
        if not self.acknowledgements:
            return _("Draft — not yet acknowledged")
        done, total = len(self.acknowledgements), len(self.acknowledgements) + len(self.pending)
        return ngettext(
            "Acknowledged by %(done)s of %(total)s partner",
            "Acknowledged by %(done)s of %(total)s partners",
            total,
        ) % {"done": done, "total": total}


@dataclass(frozen=True)
class FieldChange:
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return is_changed(self.segments)


def _sees_drafts(access: OrgAccess, partners: list[Partner], user: User) -> bool:
    """Drafts are work in progress; representatives see them too, to acknowledge them."""
    return access.can(Cap.VIEW_INTERNAL) or any(p.is_represented_by(user) for p in partners)


def _signers(access: OrgAccess, partners: list[Partner], user: User) -> list[Partner]:
    """The partners this person may acknowledge for: those they represent, or all (admins)."""
    if access.can(Cap.MANAGE_ORG):
        return partners
    return [partner for partner in partners if partner.is_represented_by(user)]


def _states(partnership: Partnership, partners: list[Partner]) -> list[CharterState]:
    """Every version, newest first."""
    charters = partnership.charters.order_by("-number").prefetch_related(
        "acknowledgements__partner"
    )
    states = []
    for charter in charters:
        acks = sorted(charter.acknowledgements.all(), key=lambda ack: ack.partner.name)
        signed = {ack.partner_id for ack in acks}
        states.append(CharterState(charter, acks, [p for p in partners if p.pk not in signed]))
    return states


def _partners(partnership: Partnership) -> list[Partner]:
    """The district first, then the union, then community organizations."""
    order = Partner.Kind.values
    return sorted(partnership.partners.all(), key=lambda p: (order.index(p.kind), p.name))


def _missing_kinds(partners: list[Partner]) -> list[str]:
    present = {partner.kind for partner in partners}
    return [str(label) for kind, label in Partner.Kind.choices if kind not in present]


def _texts(charter: Charter) -> dict[str, str]:
    texts = {name: str(getattr(charter, name)) for name in CHARTER_FIELDS}
    texts["decision_rule"] = str(charter.get_decision_rule_display())
    return texts


def _label(name: str) -> str:
    field = Charter._meta.get_field(name)
    assert isinstance(field, Field)
    return str(capfirst(field.verbose_name))


# /o/<code>/team/partnership/
@login_required
def detail(request: HttpRequest, code: UUID) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code)
    user = signed_in(request)
    partners = _partners(partnership)
    drafts = _sees_drafts(access, partners, user)
    states = [s for s in _states(partnership, partners) if drafts or s.adopted]
    state = states[0] if states else None
    latest = state is not None and state.charter == partnership.current_charter()
    pending_signers = [p for p in _signers(access, partners, user) if state and p in state.pending]
    context = {
        "org": access.org,
        "caps": access.cap_names,
        "partners": partners,
        "missing_kinds": _missing_kinds(partners),
        "sees_drafts": drafts,
        "state": state,
        "versions": states,
        "can_acknowledge": latest and bool(pending_signers),
    }
    return render(request, "teams/partnership.html", context)


# /o/<code>/team/partnership/partners/new/
@login_required
def partner_create(request: HttpRequest, code: UUID) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code, Cap.MANAGE_ORG)
    partner = Partner(partnership=partnership)
    missing = [kind for kind in Partner.Kind.values if not partnership.partners.filter(kind=kind)]
    initial = {"kind": missing[0] if missing else Partner.Kind.COMMUNITY}
    form = PartnerForm(request.POST or None, instance=partner, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, "partner.added", org=access.org, obj=partner)
        messages.success(
            request, _("%(name)s was added to the partnership.") % {"name": partner.name}
        )
        return redirect("teams-partnership", code=access.org.code)
    context = {"org": access.org, "form": form, "partner": None}
    return render(request, "teams/partner_form.html", context, status=400 if form.errors else 200)


# /o/<code>/team/partnership/partners/<pcode>/edit/
@login_required
def partner_edit(request: HttpRequest, code: UUID, pcode: UUID) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code, Cap.MANAGE_ORG)
    partner = get_object_or_404(partnership.partners, code=pcode)
    initial = {"revision": partner.revision}
    form = PartnerEditForm(request.POST or None, instance=partner, initial=initial)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            save_revision(partner, form.cleaned_data["revision"], PartnerForm.Meta.fields)
        except Stale:
            partner = Partner.objects.get(pk=partner.pk)
            conflict = on_stale(request, form, partner)
            form = PartnerEditForm(reopened(request, partner.revision), instance=partner)
        else:
            detail = {"fields": form.changed_data}
            record(request, "partner.updated", org=access.org, obj=partner, detail=detail)
            messages.success(request, _("Saved."))
            return redirect("teams-partnership", code=access.org.code)
    context = {"org": access.org, "form": form, "partner": partner, "conflict": conflict}
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "teams/partner_form.html", context, status=status)


# /o/<code>/team/partnership/partners/<pcode>/remove/
@login_required
def partner_remove(request: HttpRequest, code: UUID, pcode: UUID) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code, Cap.MANAGE_ORG)
    partner = get_object_or_404(partnership.partners, code=pcode)
    acknowledged = list(
        partner.acknowledgements.select_related("charter").order_by("-charter__number")
    )
    if request.method == "POST" and not acknowledged:
        partner.delete()
        record(request, "partner.removed", org=access.org, detail={"name": partner.name})
        messages.success(
            request, _("%(name)s was removed from the partnership.") % {"name": partner.name}
        )
        return redirect("teams-partnership", code=access.org.code)
    context = {"org": access.org, "partner": partner, "acknowledged": acknowledged}
    return render(request, "teams/partner_remove.html", context)


def _edit_target(partnership: Partnership, current: Charter | None, user: User) -> Charter:
    """What saving the form writes: the unacknowledged draft itself, or a new version."""
    if current is not None and not current.is_locked:
        return current
    if current is None:
        return Charter(partnership=partnership, number=1, created_by=user)
    copied = {name: getattr(current, name) for name in CHARTER_FIELDS}
    return Charter(partnership=partnership, number=current.number + 1, created_by=user, **copied)


def _stamp(target: Charter) -> dict[str, int]:
    """The version and revision a form was opened at; 0 stands for "not written yet"."""
    return {"number": target.number, "revision": target.revision if target.pk else 0}


# /o/<code>/team/partnership/charter/edit/
@login_required
def charter_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code, Cap.MANAGE_ORG)
    current = partnership.current_charter()
    target = _edit_target(partnership, current, signed_in(request))
    if request.method != "POST":
        initial = _stamp(target) | ({} if current else draft_charter())
        return _charter_form(request, access, target, CharterForm(instance=target, initial=initial))
    form = CharterForm(request.POST, instance=target)
    if not form.is_valid():
        return _charter_form(request, access, target, form, status=400)
    expected = _stamp(target)
    opened = {"number": form.cleaned_data["number"], "revision": form.cleaned_data["revision"]}
    if opened != expected:
        return _charter_conflict(request, access, partnership)
    if target.pk is None and current is not None and _texts(target) == _texts(current):
        messages.info(
            request, _("Nothing was changed, so version %(n)s stays.") % {"n": current.number}
        )
        return redirect(current)
    try:
        _save_charter(target, expected["revision"])
    except (Stale, IntegrityError):
        return _charter_conflict(request, access, partnership)
    _saved_message(request, access, target, new=expected["revision"] == 0)
    return redirect(target)


def _save_charter(charter: Charter, revision: int) -> None:
    if charter.pk is None:
        with transaction.atomic():
            charter.save()
    else:
        save_revision(charter, revision, CHARTER_FIELDS)


def _saved_message(request: HttpRequest, access: OrgAccess, charter: Charter, new: bool) -> None:
    action = "charter.created" if new else "charter.updated"
    record(request, action, org=access.org, obj=charter, detail={"version": charter.number})
    if charter.number == 1 and new:
        text = _("The charter was saved as a draft. Each partner can now read and acknowledge it.")
    elif new:
        text = _(
            "Your changes were saved as version %(n)s. Every partner is asked to acknowledge "
            "it again."
        ) % {"n": charter.number}
    else:
        text = _("The draft charter was saved.")
    messages.success(request, text)


def _charter_form(
    request: HttpRequest,
    access: OrgAccess,
    target: Charter,
    form: CharterForm,
    status: int = 200,
    conflict: list[dict[str, str]] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "org": access.org,
        "form": form,
        "target": target,
        "new_version": target.pk is None and target.number > 1,
        "conflict": conflict,
    }
    return render(request, "teams/charter_edit.html", context, status=status)


def _charter_conflict(
    request: HttpRequest, access: OrgAccess, partnership: Partnership
) -> HttpResponse:
    """Someone saved first: show their text beside this person's, and overwrite nothing."""
    stored = partnership.current_charter()
    stored_texts = _texts(stored) if stored is not None else {}
    target = _edit_target(partnership, stored, signed_in(request))
    data = request.POST.copy()
    for key, value in _stamp(target).items():
        data[key] = str(value)  # so saving again is a deliberate choice
    fresh = CharterForm(data, instance=target)
    fresh.is_valid()
    yours = _texts(target)
    rows = [
        {"label": _label(name), "stored": text, "yours": yours[name]}
        for name, text in stored_texts.items()
        if text != yours[name]
    ]
    return _charter_form(request, access, target, fresh, status=409, conflict=rows)


# /o/<code>/team/partnership/charter/<number>/
@login_required
def charter(request: HttpRequest, code: UUID, number: int) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code)
    return _charter_page(request, access, partnership, number)


def _charter_page(
    request: HttpRequest,
    access: OrgAccess,
    partnership: Partnership,
    number: int,
    form: AcknowledgeForm | None = None,
) -> HttpResponse:
    user = signed_in(request)
    partners = _partners(partnership)
    drafts = _sees_drafts(access, partners, user)
    states = [s for s in _states(partnership, partners) if drafts or s.adopted]
    state = next((s for s in states if s.charter.number == number), None)
    if state is None:
        raise Http404("No such version of the charter.")
    previous = next((s.charter for s in states if s.charter.number < number), None)
    latest = states[0].charter == partnership.current_charter()
    changes = _changes(previous, state.charter) if previous else []
    if form is None and latest and state is states[0]:
        form = _acknowledge_form(access, partners, state, user)
    context = {
        "org": access.org,
        "caps": access.cap_names,
        "sees_drafts": drafts,
        "state": state,
        "newest": states[0].charter,
        "previous": previous,
        "changes": [change for change in changes if change.changed],
        "unchanged": [change.label for change in changes if not change.changed],
        "form": form,
    }
    return render(
        request, "teams/charter.html", context, status=400 if form and form.errors else 200
    )


def _changes(previous: Charter, charter: Charter) -> list[FieldChange]:
    diffs = diff_fields(_texts(previous), _texts(charter))
    return [FieldChange(_label(name), segments) for name, segments in diffs.items()]


def _acknowledge_form(
    access: OrgAccess, partners: list[Partner], state: CharterState, user: User
) -> AcknowledgeForm | None:
    pending = [p for p in _signers(access, partners, user) if p in state.pending]
    pending.sort(key=lambda partner: not partner.is_represented_by(user))  # their own first
    if not pending:
        return None
    mine = pending[0].is_represented_by(user)
    initial = {"partner": pending[0].pk, "name": user.display_name if mine else ""}
    queryset = Partner.objects.filter(pk__in=[p.pk for p in pending])
    return AcknowledgeForm(partners=queryset, initial=initial)


# /o/<code>/team/partnership/charter/<number>/acknowledge/
@require_POST
@login_required
def acknowledge(request: HttpRequest, code: UUID, number: int) -> HttpResponse:
    access, partnership = get_partnership_for_user(request, code)
    signers = _signers(access, _partners(partnership), signed_in(request))
    if not signers:
        record(
            request, "access.denied", org=access.org, outcome="denied", detail={"needs": "partner"}
        )
        raise PermissionDenied
    charter = get_object_or_404(partnership.charters, number=number)
    newest = partnership.current_charter()
    if newest is not None and newest != charter:
        messages.warning(
            request,
            _("Only the newest version can be acknowledged: please read version %(n)s.")
            % {"n": newest.number},
        )
        return redirect(newest)
    queryset = Partner.objects.filter(pk__in=[p.pk for p in signers])
    form = AcknowledgeForm(request.POST, partners=queryset)
    if not form.is_valid():
        return _charter_page(request, access, partnership, number, form)
    partner: Partner = form.cleaned_data["partner"]
    if not _record_acknowledgement(request, charter, partner, form.cleaned_data):
        messages.info(
            request,
            _("%(partner)s has already acknowledged version %(n)s. Nothing more is needed.")
            % {"partner": partner.name, "n": charter.number},
        )
    elif charter.is_adopted:
        messages.success(
            request,
            _("The charter is adopted: every partner has acknowledged version %(n)s.")
            % {"n": charter.number},
        )
    else:
        messages.success(
            request,
            _("Thank you. %(partner)s has acknowledged version %(n)s.")
            % {"partner": partner.name, "n": charter.number},
        )
    return redirect(charter)


def _record_acknowledgement(
    request: HttpRequest, charter: Charter, partner: Partner, data: dict[str, Any]
) -> bool:
    """Save the acknowledgement; False when the partner had already acknowledged."""
    user = signed_in(request)
    on_behalf = not partner.is_represented_by(user)
    day: date = data["acknowledged_on"]
    try:
        with transaction.atomic():
            Acknowledgement.objects.create(
                charter=charter,
                partner=partner,
                name=data["name"],
                acknowledged_on=day,
                recorded_by=user if on_behalf else None,
            )
    except IntegrityError:
        return False
    detail = {"partner": str(partner.code), "version": charter.number, "on_behalf": on_behalf}
    record(
        request,
        "charter.acknowledged",
        org=charter.partnership.district,
        obj=charter,
        detail=detail,
    )
    return True
