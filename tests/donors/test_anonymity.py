"""An anonymous donor is "Anonymous donor" on every public page, report and export."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from donors.reporting import report

from .factories import record

pytestmark = pytest.mark.django_db
SECRET = "Jane Q. Secret"


@pytest.fixture
def gift(secret_individual):
    return record(secret_individual, "90000.00", received_on=date(2024, 3, 2),
                  bank_reference="JQS-1")


def test_the_public_transparency_page(client, gift):
    html = client.get("/transparency/?year=2024").content.decode()
    assert SECRET not in html


def test_the_fund_wide_reports_page_shows_anonymous_donor_among_top_donors(web_as, gift,
                                                                          donor):
    html = web_as("donor").get("/funding/reports/?year=2024").content.decode()
    assert SECRET not in html
    assert "Anonymous donor" in html


def test_the_pdf_annual_report(gift, web_as, board_member):
    html = render_to_string("donors/pdf/annual_report.html",
                            report(2024, internal=True, history_to_year=True))
    assert SECRET not in html and "Anonymous donor" in html
    response = web_as("board_member").get("/funding/reports/2024.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_public_api(api, gift):
    for url in ("/api/v1/reports/fund-summary/?year=2024", "/api/v1/reports/iati/"):
        assert SECRET not in api.get(url).content.decode()


def test_the_csv_export(web_as, gift, secretariat):
    response = web_as("secretariat").get("/funding/contributions/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert SECRET not in text
    assert "Anonymous donor" in text and "JQS-1" in text


def test_the_xlsx_export(web_as, gift, secretariat):
    import io

    from openpyxl import load_workbook

    content = web_as("secretariat").get("/funding/contributions/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert SECRET not in cells and "Anonymous donor" in cells


def test_the_secretariat_still_sees_the_real_name_on_its_own_pages(web_as, gift, secretariat):
    html = web_as("secretariat").get("/funding/contributions/").content.decode()
    assert SECRET in html and "anonymous" in html


def test_a_member_state_is_named_in_the_readers_language(norway, web_as, donor):
    from django.utils import translation

    from donors.selectors.reports import donor_totals

    record(norway, "250000.00", received_on=date(2024, 4, 2), bank_reference="NO-1")
    with translation.override("fr"):
        assert norway.public_name == "Norvège"
        assert [t.name for t in donor_totals().top()] == ["Norvège"]
    assert norway.public_name == "Norway"
    donor.language = "fr"
    donor.save()
    html = web_as("donor").get("/funding/reports/?year=2024").content.decode()
    assert "Norvège" in html and "Norway" not in html


def test_others_keep_their_name_and_the_anonymous_stay_anonymous(secret_individual):
    from django.utils import translation

    from donors.models import public_name

    assert public_name("Acme Corp", False, donor_type="private_sector", country="US") == \
        "Acme Corp"
    assert secret_individual.public_name == "Anonymous donor"
    assert public_name("Norway", True, donor_type="member_state", country="NO") == \
        "Anonymous donor"
    with translation.override("fr"):  # a State recorded under another name keeps it
        assert public_name("Kingdom of Examplia", False, donor_type="member_state",
                           country="SE") == "Kingdom of Examplia"
        assert public_name("norway", False, donor_type="member_state", country="NO") == \
            "Norvège"
