"""The one writer of CSV and XLSX exports: columns in, a file out.

Every list (the web pages through ``export_response``, the API through the renderers of
``fundapp.core.renderers``, the background jobs through ``write``) describes its file as
``Column``s: a header in the reader's language, a value getter and a type. The writer:

- CSV: UTF-8 with a BOM (Excel reads it as UTF-8), plain decimals (money with two
  decimals), ISO dates and times, text through ``safe_cell``;
- XLSX (openpyxl, write-only): numbers as numbers, money as numbers with two decimals,
  dates and times as dates (in the reader's time zone) with a date format, booleans as
  booleans, text through ``safe_cell``; a bold, frozen header row.

Querysets are read with ``.iterator(chunk_size=…)`` (prefetches still apply), and a
``progress(done, total)`` callback hears how far the writer is (the background jobs show it).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .spreadsheet import safe_cell

TEXT, NUMBER, MONEY, DATE, DATETIME, BOOL = "text", "number", "money", "date", "datetime", "bool"
TYPES = (TEXT, NUMBER, MONEY, DATE, DATETIME, BOOL)
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MEDIA_TYPES = {"text/csv": "csv", CONTENT_TYPES["xlsx"]: "xlsx"}
CHUNK_SIZE = 2000
XLSX_TEXT_LIMIT = 32767  # characters in one cell
# Characters an XLSX file cannot hold (openpyxl refuses them): control characters but tab,
# line feed and carriage return.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CENT = Decimal("0.01")

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Column:
    """One column of an export. ``value``: a dotted path of attributes or keys
    (``"organisation.name"``; a callable at the end is called, e.g. ``"get_status_display"``)
    or a function of the row."""

    label: str | Promise
    value: str | Callable[[Any], Any]
    type: str = TEXT

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}")

    def get(self, obj) -> Any:
        if callable(self.value):
            return self.value(obj)
        return lookup(obj, self.value)

    @property
    def header(self) -> str:
        return str(self.label)


def lookup(obj, path: str) -> Any:
    """``obj.a.b`` (or ``obj["a"]["b"]``); None as soon as a step is missing or None."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
        else:
            value = getattr(value, part, None)
        if callable(value) and not isinstance(value, type):
            value = value()
    return value


# --- values ------------------------------------------------------------------------------


def _text(value) -> str:
    """Any value as one line of text: lists joined, mappings as JSON, lazy text translated."""
    if value is None:
        return ""
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_text(v) for v in value)
    if hasattr(value, "all") and callable(value.all):  # a related manager
        return ", ".join(_text(v) for v in value.all())
    return str(value)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _number(value) -> int | Decimal | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    number = _decimal(value)
    if number is not None and not number.is_finite():
        return None
    return number


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _datetime(value) -> dt.datetime | None:
    """In the reader's (active) time zone."""
    if value in (None, ""):
        return None
    if not isinstance(value, dt.datetime):
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time())
        try:
            value = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _bool(value) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def typed(value, kind: str):
    """The cell's value for ``kind``: int/Decimal, Decimal to the cent, date, aware-free
    datetime in the reader's zone, bool, or text made safe from formulas. None is empty."""
    if kind == NUMBER:
        return _number(value)
    if kind == MONEY:
        number = _decimal(value)
        return number.quantize(_CENT) if number is not None and number.is_finite() else None
    if kind == DATE:
        return _date(value)
    if kind == DATETIME:
        return _datetime(value)
    if kind == BOOL:
        return _bool(value)
    return safe_cell(_text(value))


def csv_cell(value, kind: str) -> str:
    value = typed(value, kind)
    if value is None:
        return ""
    if kind == BOOL:
        return _("yes") if value else _("no")
    if kind == DATETIME:
        return value.replace(microsecond=0).isoformat()
    if kind == DATE:
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# --- rows --------------------------------------------------------------------------------


def iter_rows(rows: Iterable, chunk_size: int = CHUNK_SIZE) -> Iterator:
    """A queryset read in chunks (its prefetches still apply); anything else as it is."""
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=chunk_size)
    return iter(rows)


def count_rows(rows) -> int | None:
    if isinstance(rows, QuerySet):
        return rows.count()
    try:
        return len(rows)
    except TypeError:
        return None


class _Counter:
    def __init__(self, total, progress: Progress | None, every: int):
        self.total, self.progress, self.every, self.done = total, progress, max(every, 1), 0

    def step(self):
        self.done += 1
        if self.progress is not None and self.done % self.every == 0:
            self.progress(self.done, self.total)

    def finish(self) -> int:
        if self.progress is not None:
            self.progress(self.done, self.total if self.total is not None else self.done)
        return self.done


# --- the writers -------------------------------------------------------------------------


def csv_chunks(rows: Iterable, columns: Sequence[Column], *, total: int | None = None,
               progress: Progress | None = None, every: int = 500,
               counter: _Counter | None = None) -> Iterator[bytes]:
    """The CSV file as UTF-8 pieces (the header, then about 100 rows a piece), for a
    streaming response; ``write_csv`` writes the same pieces into a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    counter = counter or _Counter(total if total is not None else count_rows(rows), progress,
                                  every)
    writer.writerow([safe_cell(c.header) for c in columns])
    yield "\ufeff".encode() + flush()  # the BOM lets Excel read UTF-8
    for row in iter_rows(rows):
        writer.writerow([csv_cell(c.get(row), c.type) for c in columns])
        counter.step()
        if counter.done % 100 == 0:
            yield flush()
    counter.finish()
    yield flush()


def write_csv(rows: Iterable, columns: Sequence[Column], out: BinaryIO, *,
              total: int | None = None, progress: Progress | None = None,
              every: int = 500) -> int:
    """Writes the header and one line per row into ``out`` (binary); the number of rows."""
    counter = _Counter(total if total is not None else count_rows(rows), progress, every)
    for chunk in csv_chunks(rows, columns, counter=counter):
        out.write(chunk)
    return counter.done


def _xlsx_text(value: str) -> str:
    return _ILLEGAL_XML.sub("", value)[:XLSX_TEXT_LIMIT]


def write_xlsx(rows: Iterable, columns: Sequence[Column], out: BinaryIO, *,
               total: int | None = None, progress: Progress | None = None, every: int = 500,
               title: str = "Export") -> int:
    """One sheet, write-only: a bold, frozen header and one row per row; the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_xlsx_text(re.sub(r"[\[\]:*?/\\]", " ", str(title)))[:31]
                              or "Export")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = min(max(len(column.header) + 2, 12), 50)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(safe_cell(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
    counter = _Counter(total if total is not None else count_rows(rows), progress, every)
    for row in iter_rows(rows):
        cells = []
        for column in columns:
            value = typed(column.get(row), column.type)
            if isinstance(value, str):
                value = _xlsx_text(value)
            elif isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None, microsecond=0)
            if value is not None and column.type in formats:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[column.type]
                value = cell
            cells.append(value)
        sheet.append(cells)
        counter.step()
    book.save(out)
    return counter.finish()


def write(fmt: str, rows: Iterable, columns: Sequence[Column], out: BinaryIO, *,
          total: int | None = None, progress: Progress | None = None, every: int = 500,
          title: str = "Export") -> int:
    """``fmt`` csv or xlsx; see ``write_csv`` and ``write_xlsx``."""
    if fmt == "csv":
        return write_csv(rows, columns, out, total=total, progress=progress, every=every)
    if fmt == "xlsx":
        return write_xlsx(rows, columns, out, total=total, progress=progress, every=every,
                          title=title)
    raise ValueError(f"unknown export format {fmt!r}")


def to_bytes(fmt: str, rows: Iterable, columns: Sequence[Column], **options) -> bytes:
    out = io.BytesIO()
    write(fmt, rows, columns, out, **options)
    return out.getvalue()


# --- requests and responses --------------------------------------------------------------


def requested_format(request) -> str | None:
    """csv or xlsx when the request asks for a file (``?format=`` or its Accept header)."""
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return fmt
    if fmt:
        return None
    accept = request.headers.get("Accept", "")
    for media in accept.split(","):
        found = MEDIA_TYPES.get(media.split(";")[0].strip().lower())
        if found:
            return found
    return None


def export_filename(basename: str, fmt: str) -> str:
    return f"{slugify(basename) or 'export'}-{timezone.localdate().isoformat()}.{fmt}"


def file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(request, rows: Iterable, columns: Sequence[Column], basename: str, *,
                    fmt: str | None = None, title: str | None = None) -> HttpResponse:
    """The file of a list page: ``rows`` is the page's own queryset (same filters, same
    permissions), all of it, not one page. Over the asynchronous threshold a registered
    job handler answers instead (a job page); inside a job, the file goes to its output."""
    fmt = fmt or requested_format(request) or "csv"
    title = title or basename
    sink = _capture.get()
    if sink is not None:
        sink.rows = write(fmt, rows, columns, sink.out, progress=sink.progress,
                          every=sink.every, title=title)
        return HttpResponse(b"", content_type=CONTENT_TYPES[fmt])
    if async_handler_registered() and (job := async_export(
            request, fmt=fmt, total=count_rows(rows), basename=basename)):
        return job
    filename = export_filename(basename, fmt)
    if fmt == "csv":  # streamed: a large file never sits whole in memory
        response = StreamingHttpResponse(csv_chunks(rows, columns),
                                         content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return file_response(to_bytes(fmt, rows, columns, title=title), fmt, filename)


# --- background jobs ---------------------------------------------------------------------

_async_handler: Callable[..., HttpResponse | None] | None = None


def register_async_handler(handler: Callable[..., HttpResponse | None] | None) -> None:
    """``handler(request, *, fmt, total, basename)`` answers exports over
    ``EXPORT_ASYNC_THRESHOLD`` rows (it starts a job and returns its response)."""
    global _async_handler
    _async_handler = handler


def async_export(request, *, fmt: str, total: int | None, basename: str):
    """The job's response when this export should run in the background, else None."""
    if _async_handler is None or _capture.get() is not None or total is None:
        return None
    if total <= getattr(settings, "EXPORT_ASYNC_THRESHOLD", 5000):
        return None
    return _async_handler(getattr(request, "_request", request), fmt=fmt, total=total,
                          basename=basename)


class Capture:
    def __init__(self, out: BinaryIO, progress: Progress | None, every: int):
        self.out, self.progress, self.every, self.rows = out, progress, every, None


_capture: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "export_capture", default=None)


@contextlib.contextmanager
def capture(out: BinaryIO, progress: Progress | None = None, every: int = 500):
    """Within: exports write into ``out`` (reporting ``progress``) instead of answering the
    file, and never start a job. ``with capture(f, cb) as cap: view(request)``; ``cap.rows``."""
    sink = Capture(out, progress, every)
    token = _capture.set(sink)
    try:
        yield sink
    finally:
        _capture.reset(token)


def capturing() -> Capture | None:
    return _capture.get()


def async_handler_registered() -> bool:
    return _async_handler is not None and _capture.get() is None


class ExportStarted(Exception):  # noqa: N818 - not an error: the list answers a job instead
    """Raised by the API's pagination when a large export became a job: the DRF exception
    handler answers ``response`` (the job's 202)."""

    def __init__(self, response):
        super().__init__("export started as a job")
        self.response = response
