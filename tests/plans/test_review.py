"""The review workflow: submit, decide (district, then state for CSI), locking and versions,
the version diff, comments, notices and starting the next cycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from headway.accounts.models import User
from headway.audit.models import AuditEvent
from headway.lib.revisions import save_revision
from headway.orgs.roles import Role
from headway.plans import document, review
from headway.plans.models import (
    BudgetLine,
    Comment,
    Communication,
    Cycle,
    Decision,
    Goal,
    Notice,
    Plan,
    PlanVersion,
    Rock,
    Strategy,
)
from headway.plans.views.review import _changes
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]


@pytest.fixture
def lead(world: World) -> object:
    return world.by_role[Role.TEAM_LEAD]


def story(plan: Plan, vision: str) -> None:
    plan.vision = vision
    save_revision(plan, plan.revision, ["vision"])


def submit(client_for: SignIn, world: World, cycle: Cycle, note: str = "") -> Client:
    client = client_for(world.by_role[Role.TEAM_LEAD])
    client.post(url("plans-submit", cycle), {"note": note})
    return client


def decide(client_for: SignIn, world: World, cycle: Cycle, **data: str) -> Client:
    client = client_for(world.alice)
    client.post(url("plans-decide", cycle), {"outcome": "approved", "comment": ""} | data)
    return client


def notices_of(user: User) -> list[str]:
    return list(Notice.objects.filter(user=user).values_list("text", flat=True))


# --- submitting ----------------------------------------------------------------------------------


def test_submitting_freezes_version_1_and_tells_the_district(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    story(plan, "Every child reads by grade 3.")
    cycle = plan.cycle
    client = submit(client_for, world, cycle, note="Please look at the goals.")
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED and plan.version == 1
    version = plan.versions.get()
    assert version.number == 1 and version.note == "Please look at the goals."
    assert "Every child reads by grade 3." in str(version.content)
    assert "Submitted for review" in version.content["subtitle"]
    assert version.submitted_by == world.by_role[Role.TEAM_LEAD]
    assert any("submitted for review" in text for text in notices_of(world.alice))
    assert notices_of(world.nora)  # the network's administrator too
    assert not notices_of(world.dave)
    assert AuditEvent.objects.filter(action="plan.submitted").exists()
    html = client.get(url("plans-review", cycle)).content.decode()
    assert "Under review" in html and "Submit for review" not in html


def test_a_double_submit_is_refused_politely(world: World, plan: Plan, client_for: SignIn) -> None:
    submit(client_for, world, plan.cycle)
    client = client_for(world.by_role[Role.TEAM_LEAD])
    response = client.post(url("plans-submit", plan.cycle), {"note": ""}, follow=True)
    assert "already submitted" in response.content.decode()
    assert plan.versions.count() == 1
    with pytest.raises(review.Refused):
        review.submit(Plan.objects.get(pk=plan.pk), world.alice)


def test_team_members_cannot_submit_and_team_leads_cannot_decide(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    member = client_for(world.by_role[Role.TEAM_MEMBER])
    assert member.post(url("plans-submit", plan.cycle)).status_code == 403
    submit(client_for, world, plan.cycle)
    lead = client_for(world.by_role[Role.TEAM_LEAD])
    assert lead.post(url("plans-decide", plan.cycle), {"outcome": "approved"}).status_code == 403
    assert client_for(world.dave).get(url("plans-review", plan.cycle)).status_code == 404
    assert member.get(url("plans-submit", plan.cycle)).status_code == 405


# --- deciding ------------------------------------------------------------------------------------


def test_asking_for_changes_needs_a_comment_and_tells_the_team(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    submit(client_for, world, cycle)
    client = client_for(world.alice)
    response = client.post(url("plans-decide", cycle), {"outcome": "changes", "comment": ""})
    assert "Say what needs to change." in response.content.decode()
    decide(client_for, world, cycle, outcome="changes", comment="Add a reading goal.")
    plan.refresh_from_db()
    assert plan.state == Plan.State.CHANGES and plan.version == 2
    assert any("Changes were requested" in t for t in notices_of(world.by_role[Role.TEAM_LEAD]))
    assert AuditEvent.objects.filter(action="plan.decided").exists()
    html = client.get(url("plans-review", cycle)).content.decode()
    assert "Add a reading goal." in html and "Changes requested" in html


def test_resubmitting_after_changes_freezes_version_2_and_keeps_version_1(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    story(plan, "First vision.")
    submit(client_for, world, cycle)
    decide(client_for, world, cycle, outcome="changes", comment="Sharper vision, please.")
    story(Plan.objects.get(pk=plan.pk), "Sharper vision.")
    plan.refresh_from_db()
    assert plan.state == Plan.State.CHANGES  # editing while changes are asked does not reopen
    submit(client_for, world, cycle)
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED and plan.version == 2
    first, second = plan.versions.order_by("number")
    assert "First vision." in str(first.content) and "Sharper vision." in str(second.content)
    decide(client_for, world, cycle)
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED
    assert PlanVersion.objects.get(plan=plan, number=2).approved_at is not None


def test_an_edit_of_an_approved_plan_starts_the_next_version_as_a_draft(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    story(plan, "Approved vision.")
    submit(client_for, world, cycle)
    decide(client_for, world, cycle)
    approved = PlanVersion.objects.get(plan=plan, number=1)
    member = client_for(world.by_role[Role.TEAM_MEMBER])
    edit = {"vision": "A new vision.", "revision": Plan.objects.get(pk=plan.pk).revision}
    assert member.post(url("plans-plan-edit", cycle), edit).status_code == 302
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT and plan.version == 2
    approved.refresh_from_db()
    assert "Approved vision." in str(approved.content) and approved.approved_at is not None
    assert "A new vision." not in str(approved.content)
    html = member.get(url("plans-plan", cycle)).content.decode()
    assert "Version 2" in html and url("plans-review", cycle) in html


@pytest.mark.parametrize("change", ["strategy", "budget", "communication", "delete"])
def test_any_change_to_a_submitted_plan_withdraws_it(
    world: World, plan: Plan, client_for: SignIn, change: str
) -> None:
    strategy = Strategy.objects.create(
        plan=plan, title="Coaching", lever="coaching", driver="competency"
    )
    submit(client_for, world, plan.cycle)
    if change == "strategy":
        Strategy.objects.create(plan=plan, title="PLCs", lever="plc", driver="organization")
    elif change == "budget":
        BudgetLine.objects.create(
            strategy=strategy, item="Coach", amount=Decimal(1), source="local"
        )
    elif change == "communication":
        Communication.objects.create(
            plan=plan, audience="Families", message="Hi", channel="Mail", when="May"
        )
    else:
        strategy.delete()
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT and plan.version == 2
    assert any("withdrawn" in text for text in notices_of(world.alice))
    row = review.version_status(plan.versions.get(), plan)
    assert row.startswith("Withdrawn")


def test_progress_updates_and_publishing_do_not_reopen_an_approved_plan(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    rock = Rock.objects.create(
        plan=plan,
        title="Launch PLCs",
        owner="Ms. Lee",
        set_on=date(2025, 9, 1),
        due=date(2025, 10, 1),
    )
    submit(client_for, world, plan.cycle)
    decide(client_for, world, plan.cycle)
    rock.status = Rock.Status.DONE
    save_revision(rock, rock.revision, ["status"])
    plan.refresh_from_db()
    plan.published = True
    save_revision(plan, plan.revision, ["published", "summary"])
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED and plan.version == 1


# --- CSI: the state's approval -------------------------------------------------------------------


def test_a_csi_plan_needs_the_states_approval_recorded(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    world.school.designation = "csi"
    world.school.save()
    cycle = Cycle.objects.get(pk=plan.cycle.pk)
    submit(client_for, world, cycle)
    client = decide(client_for, world, cycle)
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED
    html = client.get(url("plans-review", cycle)).content.decode()
    assert "Record the state" in html and "Approved by the district" in html
    response = client.post(url("plans-decide", cycle), {"outcome": "approved"})
    html = response.content.decode()
    assert "Say who decided at the state." in html and "Give the date" in html
    state = {"outcome": "approved", "name": "Dr. Ruiz, Ohio DoE", "decided_on": "2025-08-20"}
    client.post(url("plans-decide", cycle), state)
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED
    levels = list(Decision.objects.values_list("level", "name", "decided_on"))
    assert levels == [
        ("district", "", levels[0][2]),
        ("state", "Dr. Ruiz, Ohio DoE", date(2025, 8, 20)),
    ]
    response = client.post(url("plans-decide", cycle), state, follow=True)
    assert "not waiting for a decision" in response.content.decode()


# --- versions ------------------------------------------------------------------------------------


def test_a_version_shows_its_text_and_the_words_changed_since_the_last(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    story(plan, "Every child reads by grade 3.")
    submit(client_for, world, cycle)
    decide(client_for, world, cycle, outcome="changes", comment="Say more.")
    story(Plan.objects.get(pk=plan.pk), "Every child writes by grade 4.")
    submit(client_for, world, cycle)
    client = client_for(world.by_role[Role.REVIEWER])
    html = client.get(url("plans-version", cycle, 2)).content.decode()
    assert "What changed since version 1" in html
    assert "<del>" in html and "reads" in html and "<ins>" in html and "writes" in html
    assert "Vision and approach" in html
    first = client.get(url("plans-version", cycle, 1)).content.decode()
    assert "This is the first version of the plan." in first and "Say more." in first
    assert client.get(url("plans-version", cycle, 9)).status_code == 404


def test_unchanged_sections_are_named_not_repeated(plan: Plan) -> None:
    old = document.Document("P", "", [document.Section("narrative", "Vision", ["Same."])])
    new = document.Document(
        "P",
        "",
        [
            document.Section("narrative", "Vision", ["Same."]),
            document.Section("goals", "Goals", ["New goal."]),
        ],
    )
    changed, same = _changes(old, new)
    assert [c.title for c in changed] == ["Goals"] and same == ["Vision"]


def test_every_section_of_the_document_can_take_comments(plan: Plan) -> None:
    Strategy.objects.create(plan=plan, title="Coaching", lever="coaching", driver="competency")
    story(plan, "A vision.")
    slugs = {section.slug for section in document.build(plan).sections}
    assert slugs and slugs <= set(review.SECTIONS)


# --- comments ------------------------------------------------------------------------------------


def test_a_comment_thread_with_replies_notices_and_resolving(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    page = url("plans-comments", cycle, "strategies")
    reviewer, member = world.by_role[Role.REVIEWER], world.by_role[Role.TEAM_MEMBER]
    client = client_for(reviewer)
    assert client.post(page, {"text": "Which study backs coaching?"}).status_code == 302
    thread = Comment.objects.get()
    assert thread.section == "strategies" and thread.author == reviewer
    assert notices_of(world.by_role[Role.TEAM_LEAD])
    client = client_for(member)
    client.post(page, {"text": "The WWC review.", "parent": str(thread.code)})
    reply = Comment.objects.exclude(pk=thread.pk).get()
    assert reply.parent == thread
    assert any("commented" in text for text in notices_of(reviewer))
    assert client.post(page, {"action": "resolve", "comment": str(thread.code)}).status_code == 403
    html = client.get(page).content.decode()
    assert "Which study backs coaching?" in html and "The WWC review." in html
    client = client_for(reviewer)  # the author may resolve
    client.post(page, {"action": "resolve", "comment": str(thread.code)})
    thread.refresh_from_db()
    assert thread.resolved
    html = (
        client_for(world.by_role[Role.TEAM_LEAD]).get(url("plans-review", cycle)).content.decode()
    )
    assert "Strategies" in html


def test_comment_rules(world: World, plan: Plan, client_for: SignIn) -> None:
    cycle = plan.cycle
    staff = client_for(world.by_role[Role.STAFF])  # reads the plan, does not comment
    page = url("plans-comments", cycle, "general")
    assert staff.get(page).status_code == 200
    assert staff.post(page, {"text": "Hello"}).status_code == 403
    lead = client_for(world.by_role[Role.TEAM_LEAD])
    assert lead.get(url("plans-comments", cycle, "nonsense")).status_code == 404
    assert "Write your comment first." in lead.post(page, {"text": ""}).content.decode()
    lead.post(page, {"text": "Looks good."})
    thread = Comment.objects.get()
    lead.post(page, {"action": "resolve", "comment": str(thread.code)})
    thread.refresh_from_db()
    assert thread.resolved
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT  # comments are not changes to the plan


def test_a_reviewer_comments_but_cannot_edit_the_plan(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.REVIEWER])
    assert client.get(url("plans-review", plan.cycle)).status_code == 200
    page = url("plans-comments", plan.cycle, "narrative")
    assert client.post(page, {"text": "Clear vision."}).status_code == 302
    assert (
        client.post(url("plans-plan-edit", plan.cycle), {"vision": "x", "revision": 1}).status_code
        == 403
    )
    assert client.post(url("plans-submit", plan.cycle)).status_code == 403


# --- notices -------------------------------------------------------------------------------------


def test_notices_list_newest_first_and_are_marked_read(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    submit(client_for, world, plan.cycle)
    client = client_for(world.alice)
    html = client.get("/notices/").content.decode()
    assert "1 unread notice." in html and url("plans-review", plan.cycle) in html
    client.post("/notices/")
    assert not Notice.objects.filter(user=world.alice, read_at=None).exists()
    assert client_for(None).get("/notices/").status_code == 302


# --- the next cycle ------------------------------------------------------------------------------


def test_the_next_cycle_copies_the_plan_without_its_goals(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    cycle = plan.cycle
    story(plan, "Every child reads.")
    goal = Goal.objects.create(assessment=cycle.assessment, statement="Reading rises.")
    strategy = Strategy.objects.create(
        plan=plan, title="Coaching", lever="coaching", driver="competency", tier=2
    )
    strategy.goals.add(goal)
    BudgetLine.objects.create(
        strategy=strategy, item="Coach", amount=Decimal(52000), source="title_i"
    )
    Communication.objects.create(
        plan=plan, audience="Families", message="News", channel="Mail", when="May"
    )
    client = client_for(world.by_role[Role.TEAM_LEAD])
    response = client.post(url("plans-next-cycle", cycle))
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.cycle.first_year == 2027 and new.cycle.years == 2 and new.state == "draft"
    assert new.vision == "Every child reads." and new.cycle.assessment
    copy = new.strategies.get()
    assert copy.title == "Coaching" and copy.tier == 2 and not copy.goals.exists()
    assert copy.budget.get().amount == Decimal(52000)
    assert new.communications.get().audience == "Families"
    assert strategy.goals.get() == goal  # the old plan keeps its links
    assert AuditEvent.objects.filter(action="plan.next_cycle").exists()
    response = client.post(url("plans-next-cycle", cycle), follow=True)
    assert "already been started" in response.content.decode()
    assert Cycle.objects.count() == 2
    member = client_for(world.by_role[Role.TEAM_MEMBER])
    assert member.post(url("plans-next-cycle", cycle)).status_code == 403
