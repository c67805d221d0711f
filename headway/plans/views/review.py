"""The review of a plan: submitting it, the district's (and state's) decision, the version
history with its differences, comments on each section, notices, and the next cycle.

The rules (who may do what in which state) are in plans/review.py; these views only check
access, read forms and say what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from headway.audit.log import record
from headway.lib import textdiff
from headway.orgs.roles import Cap
from headway.plans import review
from headway.plans.access import CycleAccess, get_plan_for_user
from headway.plans.document import Document
from headway.plans.forms.review import CommentForm, DecideForm, SubmitForm
from headway.plans.models import Comment, Cycle, Decision, Notice, Plan, PlanVersion

NOTICES_SHOWN = 100


def review_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-review", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def comments_url(cycle: Cycle, section: str, anchor: str = "") -> str:
    url = reverse("plans-comments", args=[cycle.org.code, cycle.code, section])
    return f"{url}#{anchor}" if anchor else url


def _user(request: HttpRequest) -> Any:
    return request.user


# --- the overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: PlanVersion
    status: str


@dataclass(frozen=True)
class SectionRow:
    slug: str
    title: str
    open: int
    resolved: int


def _versions(plan: Plan) -> list[VersionRow]:
    versions = plan.versions.select_related("submitted_by").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
    )
    return [VersionRow(v, review.version_status(v, plan)) for v in versions]


def _section_rows(plan: Plan) -> list[SectionRow]:
    threads = plan.comments.filter(parent=None).values("section")
    rows = threads.annotate(
        open=Count("pk", filter=Q(resolved=False)), done=Count("pk", filter=Q(resolved=True))
    )
    counts: dict[str, tuple[int, int]] = {r["section"]: (r["open"], r["done"]) for r in rows}
    return [
        SectionRow(slug, str(title), *counts.get(slug, (0, 0)))
        for slug, title in review.SECTIONS.items()
    ]


def _page(
    request: HttpRequest,
    access: CycleAccess,
    plan: Plan,
    submit_form: SubmitForm | None = None,
    decide_form: DecideForm | None = None,
) -> HttpResponse:
    plan.cycle = access.cycle  # for speed: the cycle and its organization are read once
    current = review.current_version(plan)
    level = review.expected_level(plan, current)
    can = access.org_access.can
    if submit_form is None and can(Cap.EDIT_PLAN) and review.can_submit(plan):
        submit_form = SubmitForm()
    if decide_form is None and can(Cap.APPROVE_PLAN) and level:
        decide_form = DecideForm(level=level, initial={"decided_on": timezone.localdate()})
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "access": access,
        "plan": plan,
        "current": current,
        "level": level,
        "is_state": level == Decision.Level.STATE,
        "csi": review.needs_state_approval(access.cycle),
        "next_step": review.next_step(plan, level),
        "versions": _versions(plan),
        "sections": _section_rows(plan),
        "submit_form": submit_form,
        "decide_form": decide_form,
        "can_edit": can(Cap.EDIT_PLAN),
    }
    return render(request, "plans/review.html", context)


# /o/<code>/plan/<ccode>/plan/review/
@require_GET
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode)
    return _page(request, access, plan)


# /o/<code>/plan/<ccode>/plan/review/submit/
@require_POST
@login_required
def submit(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.EDIT_PLAN)
    plan.cycle = access.cycle
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _page(request, access, plan, submit_form=form)
    try:
        version = review.submit(plan, _user(request), form.cleaned_data["note"])
    except review.Refused as refused:
        messages.info(request, str(refused))
        return redirect(review_url(access.cycle))
    detail = {"version": version.number}
    record(request, "plan.submitted", org=access.cycle.org, obj=plan, detail=detail)
    messages.success(
        request,
        _("Version %(version)s was submitted. The district's administrators were told.") % detail,
    )
    return redirect(review_url(access.cycle))


# /o/<code>/plan/<ccode>/plan/review/decide/
@require_POST
@login_required
def decide(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.APPROVE_PLAN)
    plan.cycle = access.cycle
    level = review.expected_level(plan, review.current_version(plan))
    if level is None:
        messages.info(request, _("This plan is not waiting for a decision."))
        return redirect(review_url(access.cycle))
    form = DecideForm(request.POST, level=level)
    if not form.is_valid():
        return _page(request, access, plan, decide_form=form)
    data = form.cleaned_data
    decision = review.decide(plan, _user(request), data["outcome"], data["comment"], **form.extra())
    detail = {"version": plan.version, "level": decision.level, "outcome": decision.outcome}
    record(request, "plan.decided", org=access.cycle.org, obj=plan, detail=detail)
    messages.success(request, _saying(plan))
    return redirect(review_url(access.cycle))


def _saying(plan: Plan) -> str:
    if plan.state == Plan.State.APPROVED:
        return _("The plan is approved. The team was told.")
    if plan.state == Plan.State.CHANGES:
        return _("Changes were requested. The team was told.")
    return _("The district's approval was recorded. The state's approval is recorded next.")


# --- one version ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    title: str
    segments: list[textdiff.Segment]


def _changes(old: Document, new: Document) -> tuple[list[Change], list[str]]:
    """The sections that changed, word by word, and the titles of those that did not."""
    titles = {s.slug: s.title for s in old.sections} | {s.slug: s.title for s in new.sections}
    before = {s.slug: s.text for s in old.sections}
    after = dict.fromkeys(before, "") | {s.slug: s.text for s in new.sections}
    changed, same = [], []
    for slug, segments in textdiff.diff_fields(before, after).items():
        if textdiff.is_changed(segments):
            changed.append(Change(titles[slug], segments))
        else:
            same.append(titles[slug])
    return changed, same


# /o/<code>/plan/<ccode>/plan/versions/<number>/
@require_GET
@login_required
def version(request: HttpRequest, code: UUID, ccode: UUID, number: int) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode)
    versions = plan.versions.select_related("submitted_by")
    shown = get_object_or_404(versions, number=number)
    decisions = shown.decisions.select_related("decided_by")
    previous = versions.filter(number__lt=number).first()
    doc = Document.from_json(shown.content)
    changed: list[Change] = []
    same: list[str] = []
    if previous is not None:
        changed, same = _changes(Document.from_json(previous.content), doc)
    plan.cycle = access.cycle
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "plan": plan,
        "shown": shown,
        "status": review.version_status(shown, plan),
        "decisions": decisions,
        "doc": doc,
        "previous": previous,
        "changes": changed,
        "unchanged": same,
    }
    return render(request, "plans/version.html", context)


# --- comments ------------------------------------------------------------------------------------


def _comments_page(
    request: HttpRequest, access: CycleAccess, plan: Plan, section: str, failed: CommentForm | None
) -> HttpResponse:
    replies = Comment.objects.select_related("author").order_by("created_at")
    threads = list(
        plan.comments.filter(section=section, parent=None)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    can_comment = access.org_access.can(Cap.COMMENT)
    failed_parent = failed.data.get("parent", "") if failed is not None else ""
    for thread in threads:
        thread.can_resolve = review.can_resolve(thread, _user(request), access.can_edit)  # type: ignore[attr-defined]
        bound = failed if failed is not None and failed_parent == str(thread.code) else None
        reply = bound or CommentForm(
            initial={"parent": thread.code}, auto_id=_auto_id(str(thread.code))
        )
        reply.fields["text"].label = _("Your reply")
        thread.reply_form = reply  # type: ignore[attr-defined]
    top_bound = failed is not None and not failed_parent
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "plan": plan,
        "section": section,
        "title": review.SECTIONS[section],
        "sections": review.SECTIONS,
        "threads": threads,
        "can_comment": can_comment,
        "form": failed if top_bound else CommentForm(),
    }
    return render(request, "plans/comments.html", context)


def _auto_id(parent: str) -> str:
    """Field ids of a reply form: one per thread, so every label points at its own box."""
    return f"id_reply_{parent}_%s" if parent else "id_%s"


def _resolve(request: HttpRequest, access: CycleAccess, plan: Plan, section: str) -> HttpResponse:
    comment = get_object_or_404(
        plan.comments, code=request.POST.get("comment"), section=section, parent=None
    )
    if not review.can_resolve(comment, _user(request), access.can_edit):
        raise PermissionDenied
    comment.resolved = request.POST.get("action") == "resolve"
    comment.save(update_fields=["resolved"])
    action = "plan.comment_resolved" if comment.resolved else "plan.comment_reopened"
    record(request, action, org=access.cycle.org, obj=comment)
    said = (
        _("The thread was marked resolved.") if comment.resolved else _("The thread was reopened.")
    )
    messages.success(request, said)
    return redirect(comments_url(access.cycle, section, f"comment-{comment.code}"))


def _cap_for_comments(request: HttpRequest) -> Cap:
    if request.method == "POST" and request.POST.get("action") not in ("resolve", "reopen"):
        return Cap.COMMENT
    return Cap.VIEW_INTERNAL


# /o/<code>/plan/<ccode>/plan/comments/<section>/
@login_required
def comments(request: HttpRequest, code: UUID, ccode: UUID, section: str) -> HttpResponse:
    if section not in review.SECTIONS:
        raise Http404("No such section.")
    access, plan = get_plan_for_user(request, code, ccode, _cap_for_comments(request))
    plan.cycle = access.cycle
    if request.method != "POST":
        return _comments_page(request, access, plan, section, None)
    if request.POST.get("action") in ("resolve", "reopen"):
        return _resolve(request, access, plan, section)
    form = CommentForm(request.POST, auto_id=_auto_id(request.POST.get("parent", "")))
    if not form.is_valid():
        return _comments_page(request, access, plan, section, form)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(plan.comments, code=form.cleaned_data["parent"], section=section)
    comment = review.add_comment(plan, _user(request), section, form.cleaned_data["text"], parent)
    record(request, "plan.commented", org=access.cycle.org, obj=comment)
    messages.success(request, _("Your comment was added."))
    return redirect(comments_url(access.cycle, section, f"comment-{comment.code}"))


# --- notices -------------------------------------------------------------------------------------


# /notices/
@login_required
def notices(request: HttpRequest) -> HttpResponse:
    mine = Notice.objects.filter(user=_user(request))
    if request.method == "POST":
        mine.filter(read_at=None).update(read_at=timezone.now())
        messages.success(request, _("All notices are marked read."))
        return redirect("plans-notices")
    shown = list(mine.order_by("-created_at")[:NOTICES_SHOWN])
    unread = sum(1 for notice in shown if notice.read_at is None)
    return render(request, "plans/notices.html", {"notices": shown, "unread": unread})


# --- the next cycle ------------------------------------------------------------------------------


# /o/<code>/plan/<ccode>/plan/next-cycle/
@require_POST
@login_required
def next_cycle(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.EDIT_PLAN)
    plan.cycle = access.cycle
    try:
        new = review.start_next_cycle(plan, _user(request))
    except review.Refused as refused:
        messages.error(request, str(refused))
        return redirect(review_url(access.cycle, "next-cycle"))
    record(request, "plan.next_cycle", org=access.cycle.org, obj=new.cycle)
    messages.success(
        request,
        _("The cycle %(label)s was started with a draft plan copied from this one.")
        % {"label": new.cycle.label},
    )
    return redirect(new.get_absolute_url())
