"""Shared DRF pieces: pagination, the domain-error handler, permission classes."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from fundapp.accounts.roles import user_can

from .errors import FundError


class Pagination(PageNumberPagination):
    """25 a page; a file (``?format=csv``/``xlsx``, see ``fundapp.core.renderers``) holds every
    row in one page, unless it is large enough for a background job (``exports``)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        from . import exports
        from .renderers import is_export

        self.exporting = is_export(request)
        if self.exporting and exports.async_handler_registered():
            job = exports.async_export(request, fmt=request.accepted_renderer.format,
                                       total=exports.count_rows(queryset),
                                       basename=getattr(view, "basename", None) or "export")
            if job is not None:
                raise exports.ExportStarted(job)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        if getattr(self, "exporting", False):
            return EXPORT_PAGE_SIZE
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        return 1 if getattr(self, "exporting", False) else super().get_page_number(
            request, paginator)


EXPORT_PAGE_SIZE = 10**9  # all rows: a file is never cut into pages


def exception_handler(exc, context):
    from .exports import ExportStarted

    if isinstance(exc, ExportStarted):  # a large export runs as a job: its answer
        return exc.response
    if isinstance(exc, FundError):
        return Response(exc.as_data(), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return Response({"detail": _too_big(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def _too_big(exc) -> str:
    if isinstance(exc, TooManyFieldsSent):
        return _("The request has more than %(n)s fields.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    return _("The request body is larger than %(n)s bytes.") % {
        "n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


def capability(name: str) -> type[permissions.BasePermission]:
    """A DRF permission class for one capability of fundapp.accounts.roles."""

    class HasCapability(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            return user_can(request.user, name)

    HasCapability.__name__ = f"Can_{name.replace('.', '_')}"
    return HasCapability
