"""Upload sizes enforced while the request arrives, not after it has been received.

A view that takes files declares its limit with ``@upload_limit(...)`` (the outermost
decorator of a function view, or of the viewset action that takes the file), and
``UploadLimitMiddleware`` reads the declaration of the view the request resolves to: this
module names no app above the ground floor. A body whose Content-Length is over the limit
(plus a small allowance for the multipart envelope and the form's other fields) is refused
before a byte of it is read; otherwise a ``SizeLimitUploadHandler`` goes first among the
upload handlers and stops the parse as soon as one file passes the limit.
Either way nothing is saved: the view never runs. The API answers 400 with the same field
error as any other refused file, the attachments form shows the error on its file field
(its view's ``on_too_large``), other upload pages answer the 413 page.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

ENVELOPE_BYTES = 256 * 1024  # boundaries, part headers and the other (small) form fields


def upload_limit(limit, on_too_large=None):
    """Declare the largest file a view accepts (bytes, or a callable read per request, e.g.
    ``max_upload_bytes``) and, for a web page that shows the refusal better
    than the 413 page, ``on_too_large(request, match, message)`` returning a response (or
    ``None`` for the 413 page). It only sets attributes: put it outermost."""

    def declare(view):
        view.upload_limit = limit
        view.upload_refusal = on_too_large
        return view

    return declare


def max_upload_bytes() -> int:
    """The attachment limit, read per request (``MAX_UPLOAD_BYTES`` may change)."""
    return settings.MAX_UPLOAD_BYTES


def _declared_handler(request, match):
    """The function that answers this request: a function view, or a DRF view's method
    (a viewset's action for this HTTP method, a class-based view's ``post``/``put``/...)."""
    view = match.func
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if cls is None:
        return view
    method = request.method.lower()
    actions = getattr(view, "actions", None)
    name = actions.get(method) if actions else method
    return getattr(cls, name, None) if name else None


class UploadTooLarge(RequestDataTooBig):
    """A file went past its route's limit (a SuspiciousOperation: 400 if not caught)."""


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and aborts the parse past ``limit``."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(f"An uploaded file is over {self.limit} bytes.")
        return raw_data  # the next handlers store it

    def file_complete(self, file_size):
        return None


def _route_for(request):
    if request.method not in ("POST", "PUT", "PATCH"):
        return None, None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None, None
    handler = _declared_handler(request, match)
    limit = getattr(handler, "upload_limit", None)
    if limit is None:
        return match, None
    return match, (limit, getattr(handler, "upload_refusal", None))


def too_large(request, limit: int, match=None, refusal=None):
    message = _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    response = None
    if request.path_info.startswith("/api/"):
        # 400 with the field error, as the API answers every other refused file
        response = JsonResponse({"file": [message]}, status=400)
    elif refusal is not None:
        response = refusal(request, match, message)
    if response is None:
        response = render(request, "413.html", {"message": message}, status=413)
    response["Connection"] = "close"  # the rest of the body is never read
    return response


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match, route = _route_for(request)
        if route is not None:
            limit, refusal = route
            if callable(limit):
                limit = limit()
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit + ENVELOPE_BYTES:
                return too_large(request, limit, match, refusal)
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit))
            try:
                request.POST  # noqa: B018 -- parse here, where an oversized file is caught
            except UploadTooLarge:
                request._post, request._files = QueryDict(), MultiValueDict()
                return too_large(request, limit, match, refusal)
            except MultiPartParserError:
                pass  # POST and FILES stay empty: the view answers "this field is required"
        return self.get_response(request)
