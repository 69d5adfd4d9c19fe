"""The file of a grant's progress reports (``/api/v1/grants/{id}/reports/?format=…``): the
reports' own columns (not the payments'), labels not codes, typed money and counts, one
column per budget category and per indicator."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from grants.services.implementation import report_submit
from tests.grants.implementation.helpers import active_grant, due, report_data
from tests.queries import queries_for_get


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


@pytest.fixture
def report(grant, ngo):
    return report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_the_reports_columns_and_labels(api_as, secretariat, grant, report):
    response = api_as(secretariat).get(f"/api/v1/grants/{grant.pk}/reports/?format=csv")
    assert response.status_code == 200
    [row] = _rows(response)
    for payment_column in ("Tranche", "Paid on", "USD value", "Recorded at"):
        assert payment_column not in row
    assert row["Agreement"] == grant.agreement_number
    assert row["Organisation"] == "Hope Shelter Nigeria"
    assert row["Kind"] == "Interim report"
    assert row["Status"] == report.get_status_display()
    assert row["Victims assisted"] == str(report.victims_total)
    line = report.expenditure.all()[0]
    assert row[f"Spent (USD): {line.get_category_display()}"] == f"{line.spent_usd:.2f}"
    assert not any(value.startswith("{") or value.startswith("[") for value in row.values())


def test_the_xlsx_cells_are_typed(api_as, secretariat, grant, report):
    response = api_as(secretariat).get(f"/api/v1/grants/{grant.pk}/reports/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, values = (list(row) for row in sheet.iter_rows(values_only=True))
    cells = dict(zip(header, values, strict=True))
    assert isinstance(cells["Victims assisted"], int)
    assert isinstance(cells["Number"], int)
    total = cells["Total spent (USD)"]
    assert isinstance(total, float | int | Decimal)
    assert Decimal(str(total)) == sum(line.spent_usd for line in report.expenditure.all())
    groups = [h for h in header if h.startswith("Victims: ")]
    assert groups and all(cells[h] is None or isinstance(cells[h], int) for h in groups)


def test_another_ngo_gets_no_file(api_as, other_ngo, grant, report):
    response = api_as(other_ngo).get(f"/api/v1/grants/{grant.pk}/reports/?format=csv")
    assert response.status_code == 404


def test_the_file_costs_the_same_for_few_or_many_versions(api_as, secretariat, grant, ngo,
                                                          report):
    from grants.services.implementation import report_request_changes

    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/reports/?format=csv"
    few = queries_for_get(client, url)
    current = report
    for _i in range(3):
        report_request_changes(actor=secretariat, report=current, comment="Again")
        current = report_submit(actor=ngo, grant=grant, report_due=due(grant),
                                data=report_data())
    assert queries_for_get(client, url) == few
