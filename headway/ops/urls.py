from django.urls import path

from headway.ops import views

urlpatterns = [
    path("health/", views.health, name="ops-health"),
]
