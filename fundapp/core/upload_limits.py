"""Upload sizes enforced while the request arrives, not after it has been received.

``UploadLimitMiddleware`` knows the routes that take files and each one's limit. A body
whose Content-Length is over the limit (plus a small allowance for the multipart envelope
and the form's other fields) is refused before a byte of it is read; otherwise a
``SizeLimitUploadHandler`` goes first among the upload handlers and stops the parse as
soon as one file passes the limit. Either way nothing is saved: the view never runs.
The API answers 400 with the same field error as any other refused file, the attachments
form shows the error on its file field, other upload pages answer the 413 page.
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


def _attachment_limit() -> int:
    return settings.MAX_UPLOAD_BYTES


def _sanctions_limit() -> int:
    from grants.services.sanctions import MAX_LIST_BYTES

    return MAX_LIST_BYTES


def _import_limit() -> int:
    from donors.services.imports import MAX_BYTES

    return MAX_BYTES


def _attachment_form(request, match, message: str):
    """The attachments form with the error on its file field, as the upload view answers
    any other refused file (the partial for htmx, the edit page otherwise)."""
    from grants.forms import AttachmentForm
    from grants.views.applications import _attachments_response, _member_application

    if not request.user.is_authenticated:
        return None
    app = _member_application(request, match.kwargs["pk"])  # 404 for someone else's
    form = AttachmentForm(data={}, files={})
    form.errors.clear()  # only the size is wrong: nothing else was read
    form.add_error("file", message)
    return _attachments_response(request, app, form, failed=True)


# view name (as ``resolve`` gives it) -> (the largest file that route accepts, and how a web
# route shows the refusal when it has better than the 413 page)
UPLOAD_ROUTES = {
    "grants:attachment-upload": (_attachment_limit, _attachment_form),
    "application-attachment-list": (_attachment_limit, None),
    "grants:sanctions-lists": (_sanctions_limit, None),
    "sanctions-list-list": (_sanctions_limit, None),
    "donors:import-upload": (_import_limit, None),
    "contribution-import": (_import_limit, None),
}


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
    return match, UPLOAD_ROUTES.get(match.view_name)


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
            limit, refusal = route[0](), route[1]
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
