"""API token authentication: ``Authorization: Token <key>``.

Keys are looked up by their SHA-256 (``fundapp.accounts.models.ApiToken``); an expired or
revoked token, or one of an inactive user, is a 401. The user's display zone and language
apply to the response (unless the client sends Accept-Language).
"""

import zoneinfo

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        from fundapp.accounts.services import token_authenticate

        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked token, or an inactive account."))
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone or "UTC"))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
            if user.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
                translation.activate(user.language)
        return result
