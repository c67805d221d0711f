from django.contrib.auth import views as auth_views
from django.urls import path

from headway.accounts import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="accounts-login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="accounts-logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset_body.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url="/accounts/password/reset/sent/",
        ),
        name="accounts-password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="accounts-password-reset-sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url="/accounts/password/reset/done/",
        ),
        name="accounts-password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="accounts-password-reset-done",
    ),
    path("invitation/<str:token>/", views.invitation, name="accounts-invitation"),
    path("session/extend/", views.extend_session, name="accounts-session-extend"),
]
