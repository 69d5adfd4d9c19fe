from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .two_factor import urls as two_factor_urls

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.set_language, name="set-language"),
    path("email/", views.email_change, name="email-change"),
    path("email/confirm/<str:token>/", views.email_change_confirm,
         name="email-change-confirm"),
    path("password/", views.password_change, name="password-change"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("password-reset/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password-reset/done/", views.password_reset_complete,
         name="password-reset-complete"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/sign-out/<str:scope>/", views.sessions_sign_out, name="sessions-sign-out"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("two-factor/", include(two_factor_urls.urlpatterns)),
]
