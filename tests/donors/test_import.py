"""Bulk import from CSV and XLSX: preview per row, all or nothing, idempotent on the bank
reference, clear refusals of wrong columns, bad rows and wrong encodings."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from donors.models import Contribution, ContributionImport, PledgeStatus
from donors.services.imports import (
    contribution_import,
    contribution_import_preview,
    contribution_import_run,
    preview_content,
)
from fundapp.core.errors import StateConflict, ValidationFailed
from fundapp.notifications.models import Notification

from .factories import pledge, record

pytestmark = pytest.mark.django_db

HEADER = "donor,amount,currency,received_on,bank_reference,exchange_rate,pledge,note\n"
GOOD = HEADER + (
    "Sweden,250000.00,EUR,2024-02-15,BNK-001,,,First tranche\n"
    "Norway,\"1,500.50\",USD,2024-03-01,BNK-002,,,\n"
    "Sweden,1000,EUR,2024-03-02,BNK-003,1.2,,rate given\n")


def upload(text: str | bytes, name="statement.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ready(sweden, norway, eur_rates):
    return sweden, norway


def test_the_preview_says_what_happens_to_each_row_and_writes_nothing(ready):
    preview = preview_content(GOOD.encode(), "statement.csv")
    assert preview.ok and preview.file_format == "csv"
    assert [(r.row, r.status) for r in preview.rows] == [(2, "new"), (3, "new"), (4, "new")]
    assert [r.amount_usd for r in preview.rows] == [
        Decimal("270000.00"), Decimal("1500.50"), Decimal("1200.00")]
    assert preview.total_usd == Decimal("272700.50")
    assert Contribution.objects.count() == 0


def test_importing_records_every_row_with_receipts_and_settles_pledges(ready, secretariat):
    sweden, _norway = ready
    p = pledge(sweden, "300000.00", "EUR", pledged_on=date(2024, 1, 20))
    text = GOOD.replace("BNK-001,,,First", f"BNK-001,,{p.pk},First")
    batch, preview = contribution_import(actor=secretariat, uploaded=upload(text))
    assert batch.status == ContributionImport.Status.IMPORTED
    assert (batch.imported, batch.skipped, batch.total_usd) == (3, 0, Decimal("272700.50"))
    assert sorted(Contribution.objects.values_list("receipt_number", flat=True)) == [
        "VTF-2024-00001", "VTF-2024-00002", "VTF-2024-00003"]
    p.refresh_from_db()
    assert (p.status, p.paid_amount) == (PledgeStatus.PARTLY_PAID, Decimal("250000.00"))


def test_importing_the_same_file_twice_adds_nothing(ready, secretariat):
    contribution_import(actor=secretariat, uploaded=upload(GOOD))
    _batch, preview = contribution_import(actor=secretariat, uploaded=upload(GOOD))
    assert preview.counts == {"new": 0, "duplicate": 3, "error": 0}
    assert Contribution.objects.count() == 3
    assert "Already recorded (receipt VTF-2024-00001): skipped." in preview.rows[0].messages


def test_one_bad_row_and_nothing_is_saved(ready, secretariat):
    text = GOOD + "Sweden,-5,EUR,2024-03-03,BNK-004,,,\n"
    with pytest.raises(ValidationFailed) as info:
        contribution_import(actor=secretariat, uploaded=upload(text))
    assert info.value.field_errors["file"] == [
        "Row 5: amount: The amount must be greater than zero."]
    assert Contribution.objects.count() == 0
    assert ContributionImport.objects.count() == 0


@pytest.mark.parametrize("row, message", [
    ("Sweden,abc,EUR,2024-03-03,R", "amount: “abc” is not an amount (use e.g. 250000.00)."),
    ("Sweden,0,EUR,2024-03-03,R", "amount: The amount must be greater than zero."),
    ("Sweden,10,XYZ,2024-03-03,R", "currency: Unknown currency code: XYZ."),
    ("Sweden,10,GBP,2024-03-03,R", "exchange_rate: No exchange rate for GBP on or before "
                                   "2024-03-03"),
    ("Sweden,10,EUR,03/03/2024,R", "received_on: “03/03/2024” is not a date: use YYYY-MM-DD."),
    ("Sweden,10,EUR,2099-01-01,R", "received_on: Money cannot be received in the future"),
    ("Atlantis,10,EUR,2024-03-03,R", "donor: Unknown donor “Atlantis”"),
    ("Sweden,10,EUR,2024-03-03,", "bank_reference: Every imported row needs its bank "
                                  "reference."),
])
def test_bad_rows_are_named_by_row_and_field(ready, row, message):
    preview = preview_content(f"donor,amount,currency,received_on,bank_reference\n"
                              f"Norway,5,USD,2024-01-05,OK-1\n{row}\n".encode(), "x.csv")
    assert not preview.ok
    bad = preview.rows[1]
    assert (bad.row, bad.status) == (3, "error")
    assert bad.messages[0].startswith(message), bad.messages
    assert preview.rows[0].status == "new"


def test_a_cancelled_pledge_in_a_row_is_an_error(ready):
    from donors.services.pledges import pledge_cancel

    sweden, _ = ready
    p = pledge_cancel(actor=None, pledge=pledge(sweden), reason="Cut")
    preview = preview_content(f"donor,amount,currency,received_on,bank_reference,pledge\n"
                              f"Sweden,5,USD,2024-01-05,R1,{p.pk}\n".encode(), "x.csv")
    assert "cancelled" in preview.rows[0].messages[0]


def test_the_same_reference_twice_in_a_file_is_an_error(ready):
    preview = preview_content((HEADER + "Sweden,5,USD,2024-01-05,R1,,,\n"
                               "Sweden,6,USD,2024-01-06,R1,,,\n").encode(), "x.csv")
    assert preview.rows[1].messages == ["bank_reference: Same bank reference as row 2."]


def test_a_recorded_reference_with_other_details_is_an_error(ready):
    sweden, _ = ready
    record(sweden, "5.00", received_on=date(2024, 1, 5), bank_reference="R1")
    preview = preview_content((HEADER + "Sweden,7,USD,2024-01-05,R1,,,\n").encode(), "x.csv")
    assert preview.rows[0].status == "error"
    assert "Already recorded with other details" in preview.rows[0].messages[0]


@pytest.mark.parametrize("header, expected", [
    ("donor,amount,currency,received_on,bank_reference,colour",
     "unknown column: colour"),
    ("donor,amount,received_on,bank_reference", "missing column: currency"),
    ("amount,currency,received_on,bank_reference", "missing column: donor"),
    ("donor,amount,amount,currency,received_on,bank_reference", "appears twice"),
])
def test_wrong_columns_refuse_the_whole_file(ready, header, expected):
    preview = preview_content(f"{header}\nSweden,1,USD,2024-01-05,R\n".encode(), "x.csv")
    assert not preview.ok and preview.rows == []
    assert expected in preview.file_errors[0]


def test_a_file_in_the_wrong_encoding_is_refused_with_advice(ready):
    latin1 = (HEADER + "Sweden,5,USD,2024-01-05,RÉF-1,,,Crédit\n").encode("latin-1")
    preview = preview_content(latin1, "x.csv")
    assert "not UTF-8" in preview.file_errors[0] and "CSV UTF-8" in preview.file_errors[0]


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_is_read(ready):
    text = "\ufeffdonor;amount;currency;received_on;bank_reference\nSweden;5;USD;2024-01-05;R\n"
    assert preview_content(text.encode(), "x.csv").ok


@pytest.mark.parametrize("content, name, expected", [
    (b"", "x.csv", "The file is empty."),
    (b"donor,amount,currency,received_on,bank_reference\n", "x.csv", "no rows"),
    (b"\xd0\xcf\x11\xe0rest", "old.xls", "Old Excel files (.xls)"),
    (b"not a zip", "book.xlsx", "not an Excel workbook"),
    (b"PK\x03\x04broken", "book.xlsx", "cannot be opened"),
])
def test_unreadable_files_are_refused(ready, content, name, expected):
    preview = preview_content(content, name)
    assert expected in preview.file_errors[0]


def test_an_excel_workbook_is_read_with_its_numbers_and_dates(ready, secretariat):
    content = xlsx([["Donor", "Amount", "Currency", "Received on", "Bank reference"],
                    ["Sweden", 1234.5, "EUR", datetime(2024, 2, 15), "X-1"],
                    [None, None, None, None, None],
                    ["Norway", 99, "USD", "2024-03-01", "X-2"]])
    _batch, preview = contribution_import(actor=secretariat, uploaded=upload(
        content, "statement.xlsx"))
    assert [(r.row, r.amount, r.amount_usd) for r in preview.rows] == [
        (2, Decimal("1234.5"), Decimal("1333.26")), (4, Decimal("99"), Decimal("99.00"))]
    assert Contribution.objects.count() == 2


def test_imported_contributions_thank_the_donors_users_and_announce_milestones(
        ready, secretariat, donor):
    text = HEADER + "Sweden,760000,USD,2024-01-05,BIG,,,\n"
    contribution_import(actor=secretariat, uploaded=upload(text))
    kinds = sorted(Notification.objects.values_list("kind", "recipient__username"))
    assert kinds == [("contribution_receipt", "donor"), ("target_milestone", "sec")]


def test_the_two_step_flow_imports_the_previewed_file_once(ready, secretariat):
    batch, preview = contribution_import_preview(actor=secretariat, uploaded=upload(GOOD))
    assert preview.ok and Contribution.objects.count() == 0
    contribution_import_run(actor=secretariat, batch=batch)
    assert Contribution.objects.count() == 3
    with pytest.raises(StateConflict):
        contribution_import_run(actor=secretariat, batch=batch)


def test_only_the_secretariat_imports(ready, donor):
    from fundapp.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        contribution_import(actor=donor, uploaded=upload(GOOD))
