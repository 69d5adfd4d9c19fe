"""The fund summary's figures for ``?year=`` are for that year alone; since-creation figures
are the ``cumulative_…`` ones; the pages say which they show, and the impact dashboard's
year agrees with the summary's."""

import re
from datetime import date

import pytest

from tests.pdf_text import pdf_text

from .factories import record
from .history import build

pytestmark = pytest.mark.django_db
CUMULATIVE = {"cumulative_received_usd", "cumulative_disbursed_usd", "cumulative_projects",
              "cumulative_countries", "cumulative_victims_assisted"}


@pytest.fixture
def history(organisation, other_organisation, ngo, other_ngo, secretariat, sweden):
    record(sweden, "500000.00", received_on=date(2010, 9, 1))
    record(sweden, "300000.00", received_on=date(2021, 4, 1))
    record(sweden, "250000.00", received_on=date(2022, 4, 1))
    return build(organisation, other_organisation, ngo, other_ngo, secretariat)


def summary(api, year: int) -> dict:
    response = api.get(f"/api/v1/reports/fund-summary/?year={year}")
    assert response.status_code == 200
    return response.json()


def test_the_summary_has_the_cumulative_fields(api, history):
    assert CUMULATIVE <= set(summary(api, 2022))


def test_a_payment_counts_in_its_own_year_only(api, history):
    assert summary(api, 2021)["disbursed_usd"] == "40000.00"
    assert summary(api, 2022)["disbursed_usd"] == "32000.00"  # not the 2021 payment too
    assert summary(api, 2022)["cumulative_disbursed_usd"] == "72000.00"


def test_a_refund_counts_against_the_year_it_came_back(api, history):
    body = summary(api, 2023)
    assert (body["disbursed_usd"], body["cumulative_disbursed_usd"]) == ("-2000.00",
                                                                          "70000.00")


def test_victims_count_in_the_year_of_their_report_only(api, history):
    assert summary(api, 2021)["victims_assisted"] == 120
    body = summary(api, 2022)
    assert (body["victims_assisted"], body["cumulative_victims_assisted"]) == (500, 620)
    assert summary(api, 2023)["victims_assisted"] == 0


def test_projects_and_countries_are_those_running_in_the_year(api, history):
    # The first grant runs from March 2021 to February 2022, the second from June 2022.
    years = {y: summary(api, y) for y in (2021, 2022, 2023, 2024)}
    assert [(b["projects"], b["countries"]) for b in years.values()] == [
        (1, 2), (2, 3), (1, 1), (0, 0)]
    assert [(b["cumulative_projects"], b["cumulative_countries"]) for b in years.values()] \
        == [(1, 2), (2, 3), (2, 3), (2, 3)]


def test_received_is_for_the_year_and_its_cumulative_since_creation(api, history):
    body = summary(api, 2022)
    assert (body["received_usd"], body["cumulative_received_usd"]) == ("250000.00",
                                                                        "1050000.00")


def _cell(html: str, year: int) -> list[str]:
    row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>|\s|USD|,", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                    row, re.S)]


def test_the_impact_dashboard_s_year_agrees_with_the_fund_summary(api, client, history):
    html = client.get("/impact/public/").content.decode()
    for year in (2021, 2022, 2023):
        body = summary(api, year)
        shown = _cell(html, year)
        assert shown[:5] == [str(year), str(body["projects"]), str(body["countries"]),
                             body["disbursed_usd"], str(body["victims_assisted"])]


def test_the_impact_page_says_its_rows_are_each_year_alone(client, history):
    html = client.get("/impact/public/").content.decode()
    assert "Each year's figures are for that year alone" in html
    assert "Projects active in the year" in html and "Since 2021" in html


def test_the_transparency_page_says_which_figures_are_the_year_s(client, history):
    html = client.get("/transparency/?year=2022").content.decode()
    assert "In 2022" in html and "Since 2010 (to the end of 2022)" in html
    went = html[html.index('id="went-h"'):]
    went = went[:went.index("</table>")]
    cells = [re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", went,
                                                               re.S)]
    # projects, countries, paid, refunded, disbursed net of refunds, victims: in 2022 and
    # since 2010.
    assert cells == ["2", "2", "3", "3", "USD32,000.00", "USD72,000.00", "USD0.00",
                     "USD0.00", "USD32,000.00", "USD72,000.00", "500", "620"]


def test_a_refund_year_shows_paid_refunded_and_net_as_three_labelled_figures(client, history):
    html = client.get("/transparency/?year=2023").content.decode()
    went = html[html.index('id="went-h"'):]
    went = went[:went.index("</table>")]
    rows = {re.sub(r"<[^>]+>|\s+", " ", label).strip(): [
        re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for label, row in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', went, re.S)}
    assert rows["paid to NGOs"] == ["USD0.00", "USD72,000.00"]
    assert rows["refunded to the fund (unspent funds returned)"] == ["USD2,000.00",
                                                                     "USD2,000.00"]
    assert rows["disbursed to NGOs, net of refunds"] == ["-USD2,000.00", "USD70,000.00"]


def test_the_summary_adds_gross_payments_beside_the_net_disbursed(api, history):
    body = summary(api, 2023)
    assert (body["paid_usd"], body["refunded_usd"], body["disbursed_usd"]) == (
        "0.00", "2000.00", "-2000.00")
    assert (body["cumulative_paid_usd"], body["cumulative_refunded_usd"],
            body["cumulative_disbursed_usd"]) == ("72000.00", "2000.00", "70000.00")
    assert summary(api, 2022)["paid_usd"] == "32000.00"


def test_the_impact_pages_say_disbursed_is_net_of_refunds(client, history):
    html = client.get("/impact/public/").content.decode()
    assert "disbursed to NGOs, net of refunds" in html
    assert "Disbursed in the year, net of refunds" in html


def test_the_reports_page_shows_both_columns_too(login, secretariat, history):
    html = login(secretariat).get("/funding/reports/?year=2021").content.decode()
    assert "In 2021" in html and "Since 2010 (to the end of 2021)" in html


def test_the_annual_report_pdf_names_the_year_and_the_since_creation_figures(
        login, secretariat, history):
    text = pdf_text(login(secretariat).get("/funding/reports/2022.pdf").content)
    assert "NGO projects active in 2022 2" in text
    assert "Paid to NGOs in 2022 USD 32,000.00" in text


def test_the_annual_report_pdf_shows_paid_refunded_and_net(login, secretariat, history):
    text = pdf_text(login(secretariat).get("/funding/reports/2023.pdf").content)
    assert "Paid to NGOs in 2023 USD 0.00" in text
    assert "Paid to NGOs since 2010 USD 72,000.00" in text
    assert "Refunded to the fund in 2023 USD 2,000.00" in text
    assert "Disbursed to NGOs in 2023, net of refunds -USD 2,000.00" in text
    assert "Disbursed to NGOs since 2010, net of refunds USD 70,000.00" in text
    assert "Victims assisted since 2010 (reported) 620" in text
