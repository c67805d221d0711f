from django.urls import path

from headway.data import views

urlpatterns = [
    # /o/<code>/data/
    path("o/<uuid:code>/data/", views.home, name="data-home"),
    path("o/<uuid:code>/data/imports/new/", views.import_new, name="data-import-new"),
    # /o/<code>/data/imports/<icode>/
    path("o/<uuid:code>/data/imports/<uuid:icode>/", views.import_detail, name="data-import"),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/yaml/", views.import_yaml, name="data-import-yaml"
    ),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/mapping.yaml",
        views.import_mapping_download,
        name="data-import-mapping-download",
    ),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/report.csv",
        views.import_report_csv,
        name="data-import-report",
    ),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/cancel/",
        views.import_cancel,
        name="data-import-cancel",
    ),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/add-schools/",
        views.import_add_schools,
        name="data-import-add-schools",
    ),
    path(
        "o/<uuid:code>/data/imports/<uuid:icode>/retry/",
        views.import_retry,
        name="data-import-retry",
    ),
    # /o/<code>/data/snapshots/<scode>/
    path(
        "o/<uuid:code>/data/snapshots/<uuid:scode>/rollback/",
        views.snapshot_rollback,
        name="data-snapshot-rollback",
    ),
]
