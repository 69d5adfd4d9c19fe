"""PDFs handed out by the API: a PDF endpoint answers ``Accept: application/pdf`` (and
``*/*``, and JSON clients), and its errors stay JSON whatever was asked for.

An API view that returns a PDF sets ``renderer_classes = PDF_RENDERERS`` and returns
``pdf_file(content, filename)``; its schema documents the answer with ``PDF_RESPONSE``
(``responses={(200, "application/pdf"): PDF_RESPONSE, …}``).
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer

from .pdf import PDF_TYPE


class PdfRenderer(BaseRenderer):
    """Lets content negotiation accept ``application/pdf``. The file itself is an
    ``HttpResponse``; what reaches this renderer is an error, written as JSON."""

    media_type = PDF_TYPE
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or isinstance(data, bytes):
            return data or b""
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False, default=str).encode()


PDF_RENDERERS = [JSONRenderer, PdfRenderer]
PDF_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=_("The PDF document."))


def pdf_file(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF for one reader: named, never cached, never sniffed as something else."""
    response = HttpResponse(content, content_type=PDF_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
