"""The fund summary (API contract) and the figures behind the report pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from donors.selectors.reports import donor_totals, forecast, year_series
from donors.services.targets import annual_target_set
from grants.models import ApplicationStatus
from tests.factories import ApplicationFactory

from .factories import DonorFactory, pledge, rate, record

pytestmark = pytest.mark.django_db

CONTRACT = {"year", "target_usd", "received_usd", "percent_of_target", "by_donor_type",
            "donor_counts", "cumulative_received_usd", "disbursed_usd", "projects",
            "countries", "victims_assisted", "cumulative_disbursed_usd", "cumulative_projects",
            "cumulative_countries", "cumulative_victims_assisted"}


@pytest.fixture
def history(sweden, secret_individual, eur_rates):
    company = DonorFactory(name="Acme", donor_type="private_sector")
    record(sweden, "600000.00", received_on=date(2023, 5, 1))
    record(sweden, "200000.00", "EUR", received_on=date(2024, 2, 10))  # 216,000.00
    record(company, "50000.00", received_on=date(2024, 3, 1))
    record(secret_individual, "1000.00", received_on=date(2024, 3, 2))
    return company


def test_the_fund_summary_keeps_the_contracts_names_and_money_strings(api, history):
    body = api.get("/api/v1/reports/fund-summary/?year=2024").json()
    assert CONTRACT <= set(body)
    assert body["year"] == 2024
    assert body["target_usd"] == "1500000.00"
    assert body["received_usd"] == "267000.00"
    assert body["percent_of_target"] == "17.80"
    assert body["cumulative_received_usd"] == "867000.00"
    assert body["by_donor_type"]["member_state"] == "216000.00"
    assert body["by_donor_type"]["private_sector"] == "50000.00"
    assert body["by_donor_type"]["individual"] == "1000.00"
    assert body["donor_counts"] == {"member_state": 1, "private_sector": 1, "foundation": 0,
                                    "individual": 1, "intergovernmental": 0, "other": 0,
                                    "total": 3}
    assert body["disbursed_usd"] == "0.00" and body["victims_assisted"] == 0


def test_the_summary_uses_the_year_s_own_target(api, history, secretariat):
    annual_target_set(actor=secretariat, year=2024, amount_usd=Decimal("534000.00"))
    body = api.get("/api/v1/reports/fund-summary/?year=2024").json()
    assert (body["target_usd"], body["percent_of_target"]) == ("534000.00", "50.00")


def test_projects_and_countries_come_from_approved_applications(api, db):
    ApplicationFactory(status=ApplicationStatus.APPROVED, countries=["NG", "BJ"])
    ApplicationFactory(status=ApplicationStatus.APPROVED, countries=["NG"])
    ApplicationFactory(status=ApplicationStatus.DECLINED, countries=["KE"])
    body = api.get(f"/api/v1/reports/fund-summary/?year={timezone.localdate().year}").json()
    assert (body["projects"], body["countries"]) == (2, 2)


def test_the_summary_defaults_to_this_year(api, db):
    assert api.get("/api/v1/reports/fund-summary/").json()["year"] == timezone.localdate().year


@pytest.mark.parametrize("year", ["abc", "1999", "3000", "2024.5"])
def test_a_bad_year_is_a_400_naming_the_parameter(api, db, year):
    response = api.get(f"/api/v1/reports/fund-summary/?year={year}")
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_yearly_series_runs_from_the_first_income_with_cumulative_totals(history):
    rows = {r.year: r for r in year_series(until=2025)}
    assert sorted(rows) == [2023, 2024, 2025]
    assert (rows[2024].received, rows[2024].cumulative) == (Decimal("267000.00"),
                                                            Decimal("867000.00"))
    assert rows[2025].received == 0 and rows[2025].target == Decimal("1500000.00")


def test_multi_year_pledges_are_spread_over_their_years(sweden):
    pledge(sweden, "300000.00", year=2024, year_to=2026)
    rows = {r.year: r.pledged for r in year_series(until=2026)}
    assert rows == {2024: Decimal("100000.00"), 2025: Decimal("100000.00"),
                    2026: Decimal("100000.00")}


def test_the_forecast_adds_what_open_pledges_still_owe_at_the_latest_rate(sweden):
    rate("EUR", date(2024, 1, 1), "1.0000")
    rate("EUR", date(2024, 6, 1), "1.2000")
    p = pledge(sweden, "100000.00", "EUR", expected_on=date(2024, 12, 1))
    record(sweden, "40000.00", "EUR", received_on=date(2024, 6, 2), pledge=p)
    coming = forecast(2024)
    assert (coming.outstanding, coming.pledges) == (Decimal("72000.00"), 1)


def test_top_donors_are_ranked_and_anonymous_ones_keep_their_secret(history):
    top = donor_totals().top(10)
    assert [d.name for d in top] == ["Sweden", "Acme", "Anonymous donor"]
    assert top[0].total == Decimal("816000.00")


def test_the_annual_report_pdf_names_the_readers_zone_and_country_names(norway):
    from django.template.loader import render_to_string
    from django.utils import translation

    from donors.reporting import report

    record(norway, "250000.00", received_on=date(2024, 4, 2), bank_reference="NO-9")
    with translation.override("fr"), timezone.override("Europe/Luxembourg"):
        context = report(2024, internal=True, history_to_year=True)
        context["generated_at"] = timezone.now()
        html = render_to_string("donors/pdf/annual_report.html", context)
    assert "(Europe/Luxembourg)" in html and "(UTC)" not in html
    assert "Norvège" in html
