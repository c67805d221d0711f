from django.urls import path

from headway.plans.views import (
    actions,
    assessment,
    causes,
    cycles,
    goals,
    plan,
    practices,
    priorities,
    public,
    review,
    rocks,
)

C = "o/<uuid:code>/plan/<uuid:ccode>"

urlpatterns = [
    # /o/<code>/plan/
    path("o/<uuid:code>/plan/", cycles.home, name="plans-home"),
    path("o/<uuid:code>/plan/new/", cycles.create, name="plans-cycle-create"),
    path("o/<uuid:code>/plan/indicators/", practices.indicator_sets, name="plans-indicators"),
    # /o/<code>/plan/<ccode>/needs/
    path(f"{C}/needs/", assessment.overview, name="plans-assessment"),
    path(f"{C}/needs/<slug:question>/", assessment.answer, name="plans-answer"),
    path(f"{C}/needs/<slug:question>/pin/", assessment.pin, name="plans-pin"),
    path(
        f"{C}/evidence/<uuid:ecode>/remove/",
        assessment.evidence_remove,
        name="plans-evidence-remove",
    ),
    path(f"{C}/snapshots/", assessment.snapshots, name="plans-snapshots"),
    # /o/<code>/plan/<ccode>/causes/
    path(f"{C}/causes/", causes.overview, name="plans-causes"),
    path(f"{C}/causes/whys/new/", causes.why_create, name="plans-why-create"),
    path(f"{C}/causes/whys/<uuid:wcode>/", causes.why_edit, name="plans-why-edit"),
    path(f"{C}/causes/whys/<uuid:wcode>/remove/", causes.why_remove, name="plans-why-remove"),
    path(f"{C}/causes/<uuid:kcode>/remove/", causes.cause_remove, name="plans-cause-remove"),
    # /o/<code>/plan/<ccode>/practices/
    path(f"{C}/practices/", practices.ratings, name="plans-practices"),
    # /o/<code>/plan/<ccode>/priorities/
    path(f"{C}/priorities/", priorities.overview, name="plans-priorities"),
    path(f"{C}/priorities/<uuid:pcode>/", priorities.edit, name="plans-priority-edit"),
    path(f"{C}/priorities/<uuid:pcode>/remove/", priorities.remove, name="plans-priority-remove"),
    # /o/<code>/plan/<ccode>/goals/
    path(f"{C}/goals/", goals.overview, name="plans-goals"),
    path(f"{C}/goals/new/", goals.create, name="plans-goal-create"),
    path(f"{C}/goals/<uuid:gcode>/", goals.edit, name="plans-goal-edit"),
    path(f"{C}/goals/<uuid:gcode>/remove/", goals.remove, name="plans-goal-remove"),
    # /o/<code>/plan/<ccode>/plan/
    path(f"{C}/plan/", plan.overview, name="plans-plan"),
    path(f"{C}/plan/edit/", plan.edit, name="plans-plan-edit"),
    path(f"{C}/plan/alignment/", plan.alignment, name="plans-alignment"),
    path(f"{C}/plan/commitments/", plan.commitments, name="plans-commitments"),
    path(
        f"{C}/plan/commitments/<slug:kind>/<uuid:icode>/remove/",
        plan.commitment_remove,
        name="plans-commitment-remove",
    ),
    # /o/<code>/plan/<ccode>/plan/strategies/
    path(f"{C}/plan/strategies/new/", actions.strategy_create, name="plans-strategy-create"),
    path(f"{C}/plan/strategies/<uuid:scode>/", actions.strategy_edit, name="plans-strategy-edit"),
    path(
        f"{C}/plan/strategies/<uuid:scode>/remove/",
        actions.strategy_remove,
        name="plans-strategy-remove",
    ),
    path(f"{C}/plan/actions/new/", actions.action_create, name="plans-action-create"),
    path(f"{C}/plan/actions/<uuid:acode>/", actions.action_edit, name="plans-action-edit"),
    path(
        f"{C}/plan/actions/<uuid:acode>/remove/", actions.action_remove, name="plans-action-remove"
    ),
    # /o/<code>/plan/<ccode>/plan/rocks/
    path(f"{C}/plan/rocks/", rocks.board, name="plans-rocks"),
    path(f"{C}/plan/rocks/new/", rocks.create, name="plans-rock-create"),
    path(f"{C}/plan/rocks/<uuid:rcode>/", rocks.edit, name="plans-rock-edit"),
    path(f"{C}/plan/rocks/<uuid:rcode>/remove/", rocks.remove, name="plans-rock-remove"),
    # /o/<code>/plan/<ccode>/plan/review/
    path(f"{C}/plan/review/", review.overview, name="plans-review"),
    path(f"{C}/plan/review/submit/", review.submit, name="plans-submit"),
    path(f"{C}/plan/review/decide/", review.decide, name="plans-decide"),
    path(f"{C}/plan/versions/<int:number>/", review.version, name="plans-version"),
    path(f"{C}/plan/comments/<slug:section>/", review.comments, name="plans-comments"),
    path(f"{C}/plan/next-cycle/", review.next_cycle, name="plans-next-cycle"),
    path("notices/", review.notices, name="plans-notices"),
    # /o/<code>/plan/<ccode>/plan/export.pdf …
    path(f"{C}/plan/export.pdf", public.pdf, name="plans-export-pdf"),
    path(f"{C}/plan/export.docx", public.docx, name="plans-export-docx"),
    path(f"{C}/plan/publish/", public.publish, name="plans-publish"),
    path(f"{C}/plan/summary/", public.summary, name="plans-summary"),
]
