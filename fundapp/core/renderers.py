"""CSV and XLSX for every API endpoint, through the one writer (``fundapp.core.exports``).

``?format=csv``, ``?format=xlsx`` or ``Accept: text/csv`` on a list endpoint answers a file
of every row its filters and permissions give (``fundapp.core.api.Pagination`` does not cut
pages for a file). The columns come from the view's serializer: a header per field (in the
reader's language), typed by the field (numbers, money, dates, times, booleans), nested
objects flattened (``beneficiaries.women``), lists joined. A detail or an action gives a
one-row file; an error stays JSON. djangorestframework-csv and drf-excel were weighed and
not taken: the first has had no release since 2022 and neither types money and dates
the way the house writer does nor neutralises formulas in both formats.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from . import exports
from .exports import BOOL, DATE, DATETIME, MONEY, NUMBER, TEXT, Column

# Headers of the fields every app uses, in words (a field's own label wins).
LABELS = {
    "id": _("Id"), "reference": _("Reference"), "title": _("Title"), "name": _("Name"),
    "status": _("Status"), "created_at": _("Created"), "updated_at": _("Updated"),
    "submitted_at": _("Submitted"), "summary": _("Summary"), "countries": _("Countries"),
    "country": _("Country"), "call": _("Call"), "call_number": _("Call number"),
    "organisation": _("Organisation id"), "organisation_name": _("Organisation"),
    "requested_usd": _("Requested (USD)"), "approved_usd": _("Approved (USD)"),
    "paid_usd": _("Paid (USD)"), "remaining_usd": _("Remaining (USD)"),
    "amount": _("Amount"), "amount_usd": _("USD value"), "currency": _("Currency"),
    "budget_total": _("Budget total (USD)"), "priorities": _("Priorities"),
    "duration_months": _("Duration (months)"), "start_date": _("Start date"),
    "end_date": _("End date"), "due_date": _("Due date"), "services": _("Services"),
    "beneficiaries": _("Beneficiaries"), "women": _("Women"), "girls": _("Girls"),
    "men": _("Men"), "boys": _("Boys"), "email": _("E-mail"), "username": _("User name"),
    "role": _("Role"), "roles": _("Roles"), "language": _("Language"), "kind": _("Kind"),
    "message": _("Message"), "read": _("Read"), "score": _("Score"),
    "total_score": _("Total score"), "reviewer": _("Reviewer"), "application": _("Application"),
    "application_reference": _("Application reference"), "grant": _("Grant"),
    "agreement_number": _("Agreement"), "donor": _("Donor"), "received_on": _("Received on"),
    "receipt_number": _("Receipt number"), "bank_reference": _("Bank reference"),
    "description": _("Description"), "category": _("Category"), "deadline": _("Deadline"),
    "opens_at": _("Opens"), "closes_at": _("Closes"), "number": _("Number"),
    "user": _("User"), "joined_at": _("Joined"), "expires_at": _("Expires"),
    "period_start": _("Period start"), "period_end": _("Period end"),
    "indicators": _("Indicators"), "recommendation": _("Recommendation"),
    "comment": _("Comment"), "body": _("Text"), "sent_at": _("Sent"), "author": _("Author"),
    "reason": _("Reason"), "note": _("Note"),
}

NESTED_NAMES = ("name", "label", "title", "reference", "code", "username", "id")


def label_for(name: str, field: serializers.Field | None = None) -> str:
    """A field's header: its own label, the house's word for the name, or the name in
    words (through gettext, which translates it where the catalogue knows it)."""
    if field is not None and field.label and str(field.label) != capfirst(
            name.replace("_", " ")):
        return str(field.label)
    if name in LABELS:
        return str(LABELS[name])
    return gettext(capfirst(name.replace("_", " ")))


def _summary(item) -> str:
    """One item of a list of objects, in a few words."""
    if isinstance(item, dict):
        for key in NESTED_NAMES:
            if item.get(key) not in (None, ""):
                parts = [str(item[key])]
                for extra in ("amount", "score", "value", "role"):
                    if item.get(extra) not in (None, ""):
                        parts.append(str(item[extra]))
                return " ".join(parts)
        return " ".join(exports._text(v) for v in item.values()
                        if v not in (None, "") and not isinstance(v, dict | list))
    return exports._text(item)


def _type_of(field) -> str:
    if isinstance(field, serializers.BooleanField):
        return BOOL
    if isinstance(field, serializers.DateTimeField):
        return DATETIME
    if isinstance(field, serializers.DateField):
        return DATE
    if isinstance(field, serializers.DecimalField):
        return MONEY if field.decimal_places == 2 else NUMBER
    if isinstance(field, serializers.IntegerField | serializers.FloatField):
        return NUMBER
    if isinstance(field, serializers.SerializerMethodField):
        return _method_type(field)
    return TEXT


def _method_type(field) -> str:
    """A method field's type from its ``extend_schema_field`` or its return annotation."""
    parent = getattr(field, "parent", None)
    method = getattr(parent, field.method_name, None) if parent is not None else None
    if method is None:
        return TEXT
    annotation = (getattr(method, "_spectacular_annotation", None) or {}).get("field")
    if isinstance(annotation, type) and issubclass(annotation, serializers.Field):
        annotation = annotation()
    if isinstance(annotation, serializers.Field):
        return _type_of(annotation)
    try:
        kind = typing.get_type_hints(method).get("return")
    except Exception:  # noqa: BLE001 - a hint that does not resolve is just text
        return TEXT
    return {bool: BOOL, int: NUMBER, float: NUMBER, Decimal: NUMBER}.get(kind, TEXT)


def _getter(path: tuple[str, ...]):
    def get(row):
        value = row
        for key in path:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        if isinstance(value, list):
            return ", ".join(_summary(item) for item in value)
        return value
    return get


def serializer_columns(serializer, prefix: tuple[str, ...] = (),
                       heading: str = "") -> list[Column]:
    """Columns of a serializer's readable fields: nested serializers flattened, lists of
    objects joined."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        label = label_for(name, field)
        if heading:
            label = f"{heading}: {label}"
        path = (*prefix, name)
        if isinstance(field, serializers.Serializer):  # one nested object
            columns.extend(serializer_columns(field, path, label))
            continue
        kind = TEXT if isinstance(field, serializers.ListSerializer) else _type_of(field)
        columns.append(Column(label, _getter(path), kind))
    return columns


def data_columns(row: dict, known: set[str] = frozenset()) -> list[Column]:
    """Columns for the keys of a row that no serializer field describes."""
    columns = []
    for key, value in row.items():
        if key in known:
            continue
        if isinstance(value, dict) and value and all(
                not isinstance(v, dict | list) for v in value.values()):
            columns.extend(Column(f"{label_for(key)}: {label_for(k)}", _getter((key, k)))
                           for k in value)
        else:
            columns.append(Column(label_for(key), _getter((key,))))
    return columns


def rows_of(data) -> list:
    """The rows of a response: a list, a page's results, or one object."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        results = data.get("results")
        if isinstance(results, list) and {"count", "next", "previous"} & set(data):
            return results
        return [data]
    return [{"value": data}]


def columns_for(view, rows: list) -> Sequence[Column]:
    columns: list[Column] = []
    serializer = None
    if view is not None and hasattr(view, "get_serializer"):
        try:
            serializer = view.get_serializer()
        except Exception:  # noqa: BLE001 - a view without a plain serializer: from the data
            serializer = None
    first = rows[0] if rows and isinstance(rows[0], dict) else None
    if serializer is not None and hasattr(serializer, "fields"):
        names = set(serializer.fields)
        if first is None or names & set(first):
            columns = serializer_columns(serializer)
            return columns + (data_columns(first, names) if first else [])
    if first is not None:
        return data_columns(first)
    return [Column(gettext("Value"), lambda row: row)]


def basename_of(view) -> str:
    name = getattr(view, "basename", None) or getattr(
        getattr(view, "queryset", None), "model", type(view)).__name__
    action = getattr(view, "action", None)
    if action and action not in ("list", "retrieve"):
        name = f"{name}-{action}"
    return str(name).replace("_", "-")


class ExportRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and (response.status_code >= 400 or data is None):
            # Errors (and empty answers) stay JSON, whatever was asked.
            response["Content-Type"] = "application/json"
            response.headers.pop("Content-Disposition", None)
            return JSONRenderer().render(data, "application/json", context) if data else b""
        rows = rows_of(data)
        columns = columns_for(view, rows)
        title = basename_of(view)
        sink = exports.capturing()
        if sink is not None:
            sink.rows = exports.write(self.format, rows, columns, sink.out,
                                      progress=sink.progress, every=sink.every, title=title)
            return b""
        if response is not None:
            response["Content-Disposition"] = (
                f'attachment; filename="{exports.export_filename(title, self.format)}"')
        return exports.to_bytes(self.format, rows, columns, title=title)


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XLSXRenderer(ExportRenderer):
    media_type = exports.CONTENT_TYPES["xlsx"]
    format = "xlsx"


def is_export(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) in exports.FORMATS
