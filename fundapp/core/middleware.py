import zoneinfo

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation

from .parsers import nul_message


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and display time zone (data stays UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language and "django_language" not in request.COOKIES:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone or "UTC"))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


NUL = "\x00"


def _has_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in pairs)


class RejectNulMiddleware:
    """Refuse NUL characters in the path, the query string and form bodies with a 400.

    PostgreSQL cannot hold NUL in text, so a ``?role=%00`` would otherwise fail in the
    database. JSON bodies are checked by ``fundapp.core.parsers.JSONParser``; multipart
    bodies are left to the forms and serializers (which refuse NUL) so that upload
    handlers still see the body as it arrives.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form_body = (request.method == "POST" and request.content_type
                     == "application/x-www-form-urlencoded")
        if (NUL in request.path or _has_nul(request.GET.lists())
                or (form_body and _has_nul(request.POST.lists()))):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": nul_message()}, status=400)
        return render(request, "400.html", {"detail": nul_message()}, status=400)
