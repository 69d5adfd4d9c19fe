"""Error pages: JSON for API paths (the contract promises JSON errors), HTML elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Server error: the team has been alerted.")},
                            status=500)
    return defaults.server_error(request)
