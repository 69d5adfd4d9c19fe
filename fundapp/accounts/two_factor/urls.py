"""Mounted under /accounts/two-factor/ by fundapp/accounts/urls.py."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from . import views

urlpatterns = [
    path("", views.status, name="two-factor"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("authenticator/", views.totp_enrol, name="two-factor-totp"),
    path("authenticator/turn-off/", views.totp_turn_off, name="two-factor-totp-off"),
    path("recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    path("passkeys/", views.passkeys, name="two-factor-passkeys"),
    path("passkeys/<int:pk>/name/", views.passkey_name, name="two-factor-passkey-name"),
    path("passkeys/<int:pk>/remove/", views.passkey_delete, name="two-factor-passkey-remove"),
]

# django-otp-webauthn's JSON endpoints (its scripts find them under this namespace); the
# registration's last step goes through our service.
webauthn_patterns = ([
    path("registration/begin/", webauthn.BeginCredentialRegistrationView.as_view(),
         name="credential-registration-begin"),
    path("registration/complete/", views.PasskeyRegistrationCompleteView.as_view(),
         name="credential-registration-complete"),
    path("authentication/begin/", webauthn.BeginCredentialAuthenticationView.as_view(),
         name="credential-authentication-begin"),
    path("authentication/complete/", webauthn.CompleteCredentialAuthenticationView.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
         name="js-i18n-catalog"),
], "otp_webauthn")
