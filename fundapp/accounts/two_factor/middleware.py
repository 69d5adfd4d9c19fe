"""The second-factor gate.

A signed-in person with an authenticator app or a passkey whose session has not passed the
second step (django-otp's ``is_verified()``) reaches only the verification page, sign-out,
the passkey check and static files; the API answers such a session with a 403. Where two
factors are required (``fundapp.accounts.mfa.mfa_required_for``) and the person has none
yet, only the two-factor pages (enrolment) and sign-out are open.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .session import factors_state

ALWAYS_OPEN = ("/favicon.ico", "/i18n/", "/jsi18n/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._always_open(request):
            return self.get_response(request)
        state = factors_state(request, user)
        if state["enabled"] and not user.is_verified():
            return self._gate(request, "accounts:two-factor-verify", self._verify_open)
        if state["required"] and not state["enabled"]:
            return self._gate(request, "accounts:two-factor", self._enrol_open)
        return self.get_response(request)

    @staticmethod
    def _always_open(request) -> bool:
        path = request.path
        if path.startswith(settings.STATIC_URL) or path.startswith(ALWAYS_OPEN):
            return True
        # An API call with a token is the token's business (the token needed the code, and
        # a bad one is a 401 before the session is looked at). Any other scheme falls back
        # on the session, so it stays gated.
        scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
        return path.startswith("/api/") and scheme == "Token"

    @staticmethod
    def _verify_open(path: str) -> bool:
        return path in (reverse("accounts:two-factor-verify"), reverse("accounts:logout"),
                        reverse("otp_webauthn:credential-authentication-begin"),
                        reverse("otp_webauthn:credential-authentication-complete"),
                        reverse("otp_webauthn:js-i18n-catalog"))

    @staticmethod
    def _enrol_open(path: str) -> bool:
        return (path.startswith(reverse("accounts:two-factor"))
                or path.startswith(reverse("api-me-totp"))
                or path == reverse("accounts:logout"))

    def _gate(self, request, url_name: str, is_open):
        if is_open(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Complete two-factor sign-in first.")},
                                status=403)
        target = reverse(url_name)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):  # an htmx fragment: the whole page moves
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
