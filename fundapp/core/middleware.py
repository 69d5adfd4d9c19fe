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


def _nul_in(pairs) -> str | None:
    """The first name whose name or value holds a NUL ("" when the name itself does)."""
    for key, values in pairs:
        if NUL in key:
            return ""
        if any(NUL in v for v in values):
            return key
    return None


class RejectNulMiddleware:
    """Refuse NUL characters in the path, the query string and form bodies with a 400.

    PostgreSQL cannot hold NUL in text, so a ``?role=%00`` would otherwise fail in the
    database. The API answers like a bad filter (``{"role": [...]}``) or with a ``detail``.
    JSON bodies are checked by ``fundapp.core.parsers.JSONParser``; multipart bodies are
    left to the forms and serializers (which refuse NUL) so that upload handlers still see
    the body as it arrives.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return self.refuse(request, None)
        field = _nul_in(request.GET.lists())
        if field is None and request.method == "POST" and (
                request.content_type == "application/x-www-form-urlencoded"):
            field = _nul_in(request.POST.lists())
        if field is not None:
            return self.refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def refuse(request, field: str | None):
        message = nul_message()
        if request.path.startswith("/api/"):
            return JsonResponse({field: [message]} if field else {"detail": message},
                                status=400)
        return render(request, "400.html", {"detail": message}, status=400)
