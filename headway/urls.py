from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("headway.orgs.urls")),
    path("", include("headway.data.urls")),
    path("", include("headway.explore.urls")),
    path("", include("headway.teams.urls")),
    path("", include("headway.plans.urls")),
    path("", include("headway.monitor.urls")),
    path("accounts/", include("headway.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("headway.ops.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "headway.ops.views.bad_request"
handler403 = "headway.ops.views.permission_denied"
handler404 = "headway.ops.views.page_not_found"
handler500 = "headway.ops.views.server_error"
