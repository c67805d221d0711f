from django.urls import path

from headway.teams.views import agreements, partnership, survey, teams

urlpatterns = [
    # /o/<code>/team/
    path("o/<uuid:code>/team/", teams.home, name="teams-home"),
    path("o/<uuid:code>/team/new/", teams.create, name="teams-create"),
    path("o/<uuid:code>/team/rules/", teams.rules, name="teams-rules"),
    path(
        "o/<uuid:code>/team/rules/<uuid:rcode>/remove/",
        teams.rule_remove,
        name="teams-rule-remove",
    ),
    # /o/<code>/team/partnership/
    path("o/<uuid:code>/team/partnership/", partnership.detail, name="teams-partnership"),
    path(
        "o/<uuid:code>/team/partnership/partners/new/",
        partnership.partner_create,
        name="teams-partner-create",
    ),
    path(
        "o/<uuid:code>/team/partnership/partners/<uuid:pcode>/edit/",
        partnership.partner_edit,
        name="teams-partner-edit",
    ),
    path(
        "o/<uuid:code>/team/partnership/partners/<uuid:pcode>/remove/",
        partnership.partner_remove,
        name="teams-partner-remove",
    ),
    path(
        "o/<uuid:code>/team/partnership/charter/edit/",
        partnership.charter_edit,
        name="teams-charter-edit",
    ),
    path(
        "o/<uuid:code>/team/partnership/charter/<int:number>/",
        partnership.charter,
        name="teams-charter",
    ),
    path(
        "o/<uuid:code>/team/partnership/charter/<int:number>/acknowledge/",
        partnership.acknowledge,
        name="teams-charter-acknowledge",
    ),
    # /o/<code>/team/<tcode>/
    path("o/<uuid:code>/team/<uuid:tcode>/", teams.detail, name="teams-detail"),
    path("o/<uuid:code>/team/<uuid:tcode>/edit/", teams.edit, name="teams-edit"),
    path("o/<uuid:code>/team/<uuid:tcode>/members/new/", teams.member_add, name="teams-member-add"),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/members/<uuid:mcode>/edit/",
        teams.member_edit,
        name="teams-member-edit",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/members/<uuid:mcode>/remove/",
        teams.member_remove,
        name="teams-member-remove",
    ),
    # /o/<code>/team/<tcode>/agreements/
    path(
        "o/<uuid:code>/team/<uuid:tcode>/agreements/",
        agreements.detail,
        name="teams-agreements",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/agreements/edit/",
        agreements.edit,
        name="teams-agreements-edit",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/agreements/accept/",
        agreements.accept,
        name="teams-agreements-accept",
    ),
    # /o/<code>/team/<tcode>/self-assessment/
    path(
        "o/<uuid:code>/team/<uuid:tcode>/self-assessment/",
        survey.rounds,
        name="teams-rounds",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/self-assessment/<uuid:rcode>/",
        survey.round_detail,
        name="teams-round",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/self-assessment/<uuid:rcode>/answer/",
        survey.answer,
        name="teams-round-answer",
    ),
    path(
        "o/<uuid:code>/team/<uuid:tcode>/self-assessment/<uuid:rcode>/close/",
        survey.close,
        name="teams-round-close",
    ),
]
