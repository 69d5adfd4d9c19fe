import zoneinfo

from django.utils import timezone, translation
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """Token auth that applies the user's display zone and language (unless Accept-Language)."""

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
