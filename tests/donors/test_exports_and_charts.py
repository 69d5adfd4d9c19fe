"""CSV/XLSX exports of contributions, and the server-side SVG charts."""

import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import load_workbook

from donors import charts
from donors.selectors.reports import year_series

from .factories import DonorFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(sweden, eur_rates):
    record(sweden, "1000.00", "EUR", received_on=date(2024, 3, 5), bank_reference="=HYPERLINK(1)")
    record(sweden, "20.00", received_on=date(2023, 6, 1))
    record(DonorFactory(name="Acme", donor_type="private_sector"), "5.00",
           received_on=date(2024, 1, 9))


def test_the_csv_export_follows_the_list_s_filters(web_as, rows, secretariat):
    response = web_as("secretariat").get("/funding/contributions/export.csv?year=2024")
    assert response["Content-Disposition"].startswith('attachment; filename="contributions-')
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Receipt number,Received on,Donor id,Donor,Donor type")
    assert len(lines) == 3
    assert "'=HYPERLINK(1)" in lines[1]  # a spreadsheet will not run it


def test_the_xlsx_export_has_numbers_a_spreadsheet_can_add_up(web_as, rows, secretariat):
    content = web_as("secretariat").get("/funding/contributions/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4
    assert sum(Decimal(str(r[9])) for r in values[1:]) == Decimal("1115.00")


def test_charts_are_well_formed_accessible_svg(rows):
    series = year_series(until=2024)
    for svg in (charts.years_chart(series), charts.pledged_received_chart(series),
                charts.bars_chart([("A & B <x>", Decimal("5"), "")], title="T", uid="t"),
                charts.progress_chart(year=2024, received=Decimal("1"),
                                      forecast=Decimal("2"), target=Decimal("3"))):
        root = etree.fromstring(str(svg).encode())
        assert root.get("role") == "img"
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text


def test_charts_cope_with_no_data(db):
    assert "No contributions yet." in charts.bars_chart([], title="T", uid="t")
    etree.fromstring(str(charts.years_chart(year_series(until=2024))).encode())
