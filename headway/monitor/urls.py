from django.urls import path

from headway.monitor.views import evaluation, issues, measures, meetings, mywork, strategies

M = "o/<uuid:code>/monitor"
C = f"{M}/<uuid:ccode>"
G = f"{M}/meetings/<uuid:gcode>"
MS = f"{C}/measures/<uuid:mcode>"

urlpatterns = [
    path("my-work/", mywork.page, name="my-work"),
    # /o/<code>/monitor/: the current cycle's measures, or how to start
    path(f"{M}/", measures.home, name="monitor-home"),
    path(f"{C}/", measures.dashboard, name="monitor-cycle"),
    path(f"{C}/measures/new/", measures.create, name="monitor-measure-create"),
    path(f"{MS}/", measures.detail, name="monitor-measure"),
    path(f"{MS}/edit/", measures.edit, name="monitor-measure-edit"),
    path(f"{MS}/remove/", measures.remove, name="monitor-measure-remove"),
    path(f"{MS}/points/", measures.points, name="monitor-points"),
    path(f"{MS}/points/upload/", measures.upload, name="monitor-points-upload"),
    path(f"{MS}/points/<int:pk>/remove/", measures.point_remove, name="monitor-point-remove"),
    path(f"{MS}/rebase/", measures.rebase, name="monitor-rebase"),
    path(f"{MS}/rebase/<uuid:rcode>/remove/", measures.rebase_remove, name="monitor-rebase-remove"),
    path(f"{C}/annotations/", measures.annotation_list, name="monitor-annotations"),
    path(
        f"{C}/annotations/<uuid:acode>/remove/",
        measures.annotation_remove,
        name="monitor-annotation-remove",
    ),
    # strategy reviews, the initiative inventory, the evaluation
    path(f"{C}/strategies/", strategies.overview, name="monitor-strategies"),
    path(f"{C}/strategies/<uuid:scode>/review/", strategies.review, name="monitor-strategy-review"),
    path(f"{C}/inventory/", strategies.inventory, name="monitor-inventory"),
    path(f"{C}/inventory/<uuid:icode>/", strategies.initiative, name="monitor-initiative"),
    path(
        f"{C}/inventory/<uuid:icode>/remove/",
        strategies.initiative_remove,
        name="monitor-initiative-remove",
    ),
    path(f"{C}/evaluation/", evaluation.page, name="monitor-evaluation"),
    path(f"{C}/evaluation/finish/", evaluation.finish, name="monitor-evaluation-finish"),
    # meetings, to-dos and issues: the organization's teams
    path(f"{M}/meetings/", meetings.history, name="monitor-meetings"),
    path(f"{M}/meetings/start/", meetings.start, name="monitor-meeting-start"),
    path(f"{G}/", meetings.detail, name="monitor-meeting"),
    path(f"{G}/timer/<slug:kind>/", meetings.timer, name="monitor-meeting-timer"),
    path(f"{G}/notes/<slug:kind>/", meetings.notes, name="monitor-meeting-notes"),
    path(f"{G}/attendance/", meetings.attendance, name="monitor-meeting-attendance"),
    path(f"{G}/headlines/", meetings.headline, name="monitor-meeting-headline"),
    path(f"{G}/decisions/", meetings.decision, name="monitor-meeting-decision"),
    path(f"{G}/todos/", meetings.todo, name="monitor-meeting-todo"),
    path(f"{G}/rate/", meetings.rate, name="monitor-meeting-rate"),
    path(f"{G}/end/", meetings.end, name="monitor-meeting-end"),
    path(f"{G}/recap/", meetings.recap, name="monitor-meeting-recap"),
    path(f"{M}/todos/", issues.todos, name="monitor-todos"),
    path(f"{M}/todos/<uuid:tcode>/done/", issues.todo_done, name="monitor-todo-done"),
    path(f"{M}/issues/", issues.overview, name="monitor-issues"),
    path(f"{M}/issues/<uuid:icode>/", issues.detail, name="monitor-issue"),
]
