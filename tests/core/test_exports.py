"""The one export writer (fundapp.core.exports): typed cells, formulas neutralised in both
formats, headers in the reader's language, progress, the capture the background jobs use."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from fundapp.core import exports
from fundapp.core.exports import BOOL, DATE, DATETIME, MONEY, NUMBER, Column

DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@x", "\tTAB", "\rCR"]

COLUMNS = [
    Column(gettext_lazy("Reference"), "ref"),
    Column(gettext_lazy("Title"), lambda r: r["title"]),
    Column("Count", "n", NUMBER),
    Column("Amount", "amount", MONEY),
    Column("Day", "day", DATE),
    Column("At", "at", DATETIME),
    Column("Flag", "flag", BOOL),
]


def row(title="Safe", **extra):
    return {"ref": "VTF1-0001", "title": title, "n": 3, "amount": Decimal("1234.5"),
            "day": dt.date(2026, 3, 5), "flag": True,
            "at": dt.datetime(2026, 3, 5, 12, 30, tzinfo=dt.UTC)} | extra


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_csv_has_plain_decimals_iso_dates_and_words_for_booleans():
    with timezone.override("UTC"):
        lines = read_csv(exports.to_bytes("csv", [row()], COLUMNS))
    assert lines[0] == ["Reference", "Title", "Count", "Amount", "Day", "At", "Flag"]
    assert lines[1] == ["VTF1-0001", "Safe", "3", "1234.50", "2026-03-05",
                        "2026-03-05T12:30:00+00:00", "yes"]


def test_xlsx_cells_are_typed():
    with timezone.override("Europe/Vienna"):
        rows = read_xlsx(exports.to_bytes("xlsx", [row(), row(n=None, amount=None)], COLUMNS))
    assert rows[0] == ("Reference", "Title", "Count", "Amount", "Day", "At", "Flag")
    ref, title, n, amount, day, at, flag = rows[1]
    assert isinstance(n, int) and n == 3
    assert isinstance(amount, float | int | Decimal) and Decimal(str(amount)) == Decimal("1234.5")
    assert isinstance(day, dt.datetime) and day.date() == dt.date(2026, 3, 5)
    assert at == dt.datetime(2026, 3, 5, 13, 30)  # in the reader's zone
    assert flag is True
    assert rows[2][2] is None and rows[2][3] is None  # empty stays empty


def test_xlsx_formats_money_dates_and_a_bold_frozen_header():
    book = load_workbook(io.BytesIO(exports.to_bytes("xlsx", [row()], COLUMNS)))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["E2"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_is_neutralised_in_csv(value):
    lines = read_csv(exports.to_bytes("csv", [row(title=value, ref=value)], COLUMNS))
    assert lines[1][0] == "'" + value and lines[1][1] == "'" + value


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_is_neutralised_in_xlsx(value):
    book = load_workbook(io.BytesIO(exports.to_bytes("xlsx", [row(title=value)], COLUMNS)))
    cell = book.active["B2"]
    assert cell.data_type == "s" and cell.value == "'" + value
    assert not str(cell.value).startswith(exports.safe_cell.__globals__["FORMULA_START"])


def test_a_formula_in_a_header_is_neutralised_too():
    columns = [Column("=SUM(A1)", "ref")]
    assert read_csv(exports.to_bytes("csv", [row()], columns))[0] == ["'=SUM(A1)"]
    assert read_xlsx(exports.to_bytes("xlsx", [row()], columns))[0] == ("'=SUM(A1)",)


def test_control_characters_an_xlsx_cannot_hold_are_dropped():
    rows = read_xlsx(exports.to_bytes("xlsx", [row(title="a\x00b\x1fc")], COLUMNS))
    assert rows[1][1] == "abc"


def test_headers_follow_the_readers_language():
    with translation.override("fr"):
        assert read_csv(exports.to_bytes("csv", [row()], COLUMNS))[0][:2] == [
            "Référence", "Titre"]
        assert read_xlsx(exports.to_bytes("xlsx", [row()], COLUMNS))[0][:2] == (
            "Référence", "Titre")
        assert read_csv(exports.to_bytes("csv", [row()], COLUMNS))[1][6] == "oui"


def test_paths_follow_attributes_keys_and_methods():
    class Thing:
        name = "x"

        def get_status_display(self):
            return "Active"

    thing = Thing()
    thing.parent = {"title": "T"}
    assert exports.lookup(thing, "name") == "x"
    assert exports.lookup(thing, "parent.title") == "T"
    assert exports.lookup(thing, "get_status_display") == "Active"
    assert exports.lookup(thing, "missing.deeper") is None


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_progress_is_reported_every_n_rows_and_at_the_end(fmt):
    seen = []
    done = exports.write(fmt, [row() for _ in range(7)], COLUMNS, io.BytesIO(),
                         progress=lambda d, t: seen.append((d, t)), every=3)
    assert done == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_a_generator_without_length_reports_its_count_at_the_end():
    seen = []
    exports.write("csv", (row() for _ in range(2)), COLUMNS, io.BytesIO(),
                  progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 2)]


def test_the_requested_format():
    factory = RequestFactory()
    assert exports.requested_format(factory.get("/?format=csv")) == "csv"
    assert exports.requested_format(factory.get("/?format=xlsx")) == "xlsx"
    assert exports.requested_format(factory.get("/", HTTP_ACCEPT="text/csv")) == "csv"
    assert exports.requested_format(factory.get("/?format=pdf")) is None
    assert exports.requested_format(factory.get("/", HTTP_ACCEPT="text/html")) is None


def test_export_response_names_the_file_with_the_day():
    request = RequestFactory().get("/?format=xlsx")
    response = exports.export_response(request, [row()], COLUMNS, "My list")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="my-list-{day}.xlsx"'
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    csv_response = exports.export_response(RequestFactory().get("/?format=csv"), [row()],
                                           COLUMNS, "things")
    assert csv_response.streaming
    assert read_csv(b"".join(csv_response.streaming_content))[1][0] == "VTF1-0001"


def test_capture_writes_into_the_jobs_file_and_starts_no_job(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    started = []
    exports.register_async_handler(lambda request, **kw: started.append(kw))
    try:
        out, seen = io.BytesIO(), []
        with exports.capture(out, progress=lambda d, t: seen.append(d)) as sink:
            response = exports.export_response(RequestFactory().get("/?format=csv"),
                                               [row(), row()], COLUMNS, "things")
        assert response.status_code == 200 and sink.rows == 2 and seen == [2]
        assert read_csv(out.getvalue())[2][0] == "VTF1-0001"
        assert started == []
        # Outside a capture, over the threshold, the handler answers.
        exports.export_response(RequestFactory().get("/?format=csv"), [row(), row()],
                                COLUMNS, "things")
        assert started == [{"fmt": "csv", "total": 2, "basename": "things"}]
    finally:
        exports.register_async_handler(None)


def test_a_queryset_is_read_in_chunks(db, django_assert_num_queries):
    from fundapp.accounts.models import User

    User.objects.create(username="a")
    User.objects.create(username="b")
    columns = [Column("User", "username")]
    with django_assert_num_queries(2):  # the count, then the rows
        content = exports.to_bytes("csv", User.objects.order_by("username"), columns)
    assert read_csv(content)[1:] == [["a"], ["b"]]
