"""Confirmation before irreversible steps in the web pages.

A view decorated with ``confirmation_required(what)`` runs only when the POST carries
``confirmed=yes`` (the "I understand" box of ``templates/partials/confirm.html``, ticked by
hand or by its dialog). Otherwise nothing is done: the answer is a 400 page stating what
would happen, with the same form to confirm, so no typed value is lost. The REST API is
not concerned: its clients confirm by calling it.
"""

from collections.abc import Callable
from functools import wraps

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
NOT_REPOSTED = {CONFIRM_FIELD, "csrfmiddlewaretoken"}


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def _back_url(request) -> str:
    referer = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return referer if safe else "/"


def _confirm_page(request, what, action):
    fields = [(name, value) for name, values in request.POST.lists()
              if name not in NOT_REPOSTED for value in values]
    return render(request, "partials/confirm_required.html", {
        "what": what, "action": action, "fields": fields, "back": _back_url(request),
    }, status=400)


def confirmation_required(what, action) -> Callable:
    """Refuse a POST that does not confirm ``what`` will happen (lazy texts)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not is_confirmed(request):
                return _confirm_page(request, what, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
