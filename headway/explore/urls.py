from django.urls import path

from headway.explore import views

urlpatterns = [
    # /o/<code>/data/results/
    path("o/<uuid:code>/data/results/", views.results, name="explore-results"),
    path(
        "o/<uuid:code>/data/results/export.csv",
        views.export,
        {"fmt": "csv"},
        name="explore-export-csv",
    ),
    path(
        "o/<uuid:code>/data/results/export.xlsx",
        views.export,
        {"fmt": "xlsx"},
        name="explore-export-xlsx",
    ),
    path("o/<uuid:code>/data/students/", views.student_list, name="explore-students"),
    path("o/<uuid:code>/data/reporting/", views.reporting, name="explore-reporting"),
    path(
        "o/<uuid:code>/data/findings/<uuid:fcode>/",
        views.finding_decide,
        name="explore-finding",
    ),
]
