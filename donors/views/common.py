"""Small helpers shared by the donor pages."""

from django.http import HttpResponse
from django.utils import timezone

from fundapp.core.pagination import PAGE_SIZE, paginate

__all__ = ["PAGE_SIZE", "columns", "paginate", "pdf_response", "year_param"]


def year_param(request, default: int | None = None) -> int:
    """``?year=`` when it is a plausible year, else ``default`` (this year)."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2010 <= int(raw) <= 2100:
        return int(raw)
    return default or timezone.localdate().year


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def columns(spec, current: str) -> list[dict]:
    """Header cells: the sort each link asks for, and aria-sort for the current column."""
    cells = []
    for key, label, numeric in spec:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        cells.append({
            "key": key, "label": label, "num": numeric,
            "next": key if active and descending else f"-{key}",
            "aria_sort": ("descending" if descending else "ascending") if active else None,
        })
    return cells
