from django.urls import path

from headway.orgs import views
from headway.orgs.sections import SECTION_BY_SLUG

section_pattern = "|".join(SECTION_BY_SLUG)

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="orgs-switch"),
    # /o/<code>/
    path("o/<uuid:code>/", views.detail, name="orgs-detail"),
    path("o/<uuid:code>/edit/", views.edit, name="orgs-edit"),
    path("o/<uuid:code>/schools/new/", views.school_create, name="orgs-school-create"),
    # /o/<code>/years/
    path("o/<uuid:code>/years/", views.years, name="orgs-years"),
    path("o/<uuid:code>/years/new/", views.year_create, name="orgs-year-create"),
    path(
        "o/<uuid:code>/years/<int:start_year>/delete/", views.year_delete, name="orgs-year-delete"
    ),
    # /o/<code>/people/
    path("o/<uuid:code>/people/", views.people, name="orgs-people"),
    path("o/<uuid:code>/people/invite/", views.people_invite, name="orgs-people-invite"),
    path(
        "o/<uuid:code>/people/<uuid:mcode>/remove/",
        views.membership_remove,
        name="orgs-membership-remove",
    ),
    path(
        "o/<uuid:code>/people/invitations/<uuid:icode>/revoke/",
        views.invitation_revoke,
        name="orgs-invitation-revoke",
    ),
]
urlpatterns += [
    path(f"o/<uuid:code>/{slug}/", views.section, {"section": slug}, name=f"orgs-section-{slug}")
    for slug, section in SECTION_BY_SLUG.items()
    if not section.url_name
]
