"""The IATI 2.03 export: one activity per grant with its transactions, valid against the
official schema (a copy in tests/data/iati/), and agreeing with the fund summary."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from donors.iati import budget_periods, sectors_for
from grants.models import ApplicationStatus, GrantStatus
from tests.factories import ApplicationFactory
from tests.grants.implementation.helpers import make_grant

from .history import build

pytestmark = pytest.mark.django_db
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "iati"
URL = "/api/v1/reports/iati/"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


@pytest.fixture
def history(organisation, other_organisation, ngo, other_ngo, secretariat):
    return build(organisation, other_organisation, ngo, other_ngo, secretariat)


def fetch(api, **headers) -> etree._Element:
    response = api.get(URL, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def activity(root, grant) -> etree._Element:
    found = [a for a in root.findall("iati-activity")
             if a.findtext("iati-identifier") == f"XM-DAC-41128-{grant.agreement_number}"]
    assert len(found) == 1
    return found[0]


def transactions(act, code: str) -> list[tuple[str, Decimal]]:
    return [(t.find("transaction-date").get("iso-date"), Decimal(t.findtext("value")))
            for t in act.findall("transaction")
            if t.find("transaction-type").get("code") == code]


def test_the_export_validates_against_the_iati_203_schema(api, history, schema):
    root = fetch(api)
    schema.assertValid(root)
    assert root.get("version") == "2.03"


def test_accept_application_xml_is_answered_with_xml(api, history):
    root = fetch(api, HTTP_ACCEPT="application/xml")
    assert root.tag == "iati-activities"


def test_format_xml_in_the_query_is_answered_with_xml(api, history):
    response = api.get(URL + "?format=xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert etree.fromstring(response.content).tag == "iati-activities"


def test_text_xml_is_accepted_and_json_only_is_not(api, history):
    assert api.get(URL, HTTP_ACCEPT="text/xml")["Content-Type"].startswith("text/xml")
    assert api.get(URL, HTTP_ACCEPT="application/json").status_code == 406


def test_with_no_grant_to_publish_the_answer_is_no_content(api, db):
    # The schema requires at least one activity: an empty file would not be valid IATI.
    ApplicationFactory(status=ApplicationStatus.APPROVED)
    assert api.get(URL, HTTP_ACCEPT="application/xml").status_code == 204


def test_one_activity_per_grant_not_per_application(api, history, organisation):
    ApplicationFactory(status=ApplicationStatus.APPROVED, reference="VTF7-0099")
    ApplicationFactory(status=ApplicationStatus.DECLINED, reference="VTF7-0098")
    never_paid = make_grant(organisation, status=GrantStatus.CANCELLED)
    identifiers = [a.findtext("iati-identifier") for a in fetch(api).findall("iati-activity")]
    assert identifiers == [f"XM-DAC-41128-{g.agreement_number}"
                           for g in (history.first, history.second)]
    assert f"XM-DAC-41128-{never_paid.agreement_number}" not in identifiers


def test_the_commitment_is_the_approved_amount(api, history):
    act = activity(fetch(api), history.second)
    assert [value for _day, value in transactions(act, "2")] == [Decimal("40000.00")]
    assert sum(Decimal(b.findtext("value")) for b in act.findall("budget")) == Decimal(
        "40000.00")


def test_every_payment_and_refund_is_a_dated_disbursement(api, history):
    act = activity(fetch(api), history.first)
    assert transactions(act, "3") == [("2021-03-10", Decimal("40000.00")),
                                      ("2023-01-15", Decimal("-2000.00"))]


def test_disbursements_add_up_to_the_fund_summary_in_total_and_per_year(api, history):
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for act in fetch(api).findall("iati-activity"):
        for day, value in transactions(act, "3"):
            per_year[int(day[:4])] += value
    for year in (2021, 2022, 2023, 2024):
        summary = api.get(f"/api/v1/reports/fund-summary/?year={year}").json()
        assert Decimal(summary["disbursed_usd"]) == per_year.get(year, Decimal("0"))
        assert Decimal(summary["cumulative_disbursed_usd"]) == sum(
            v for y, v in per_year.items() if y <= year)
    assert sum(per_year.values()) == Decimal("70000.00")


def test_countries_sectors_organisations_and_dates_come_from_the_grant(api, history):
    act = activity(fetch(api), history.first)
    assert [(c.get("code"), c.get("percentage")) for c in act.findall("recipient-country")] \
        == [("BJ", "50"), ("NG", "50")]
    # The factory's services: shelter (social protection) and legal aid (legal development).
    assert [(s.get("code"), s.get("percentage")) for s in act.findall("sector")] == [
        ("15130", "50"), ("16010", "50")]
    assert [(p.get("role"), p.findtext("narrative")) for p in act.findall(
        "participating-org")][::2] == [
        ("1", "United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, "
              "Especially Women and Children"), ("4", "Hope Shelter Nigeria")]
    dates = {d.get("type"): d.get("iso-date") for d in act.findall("activity-date")}
    assert dates == {"1": "2021-03-01", "2": "2021-03-01",
                     "3": history.first.end_date.isoformat(), "4": "2023-01-15"}
    assert act.find("activity-status").get("code") == "4"  # closed


def test_results_give_the_victims_of_each_accepted_report(api, history):
    act = activity(fetch(api), history.first)
    period = act.find("result/indicator/period")
    assert period.find("period-end").get("iso-date") == "2021-09-01"
    actuals = period.findall("actual")
    assert actuals[0].get("value") == "120" and actuals[0].find("dimension") is None
    by_group = {tuple(d.get("value") for d in a.findall("dimension")): a.get("value")
                for a in actuals[1:]}
    assert by_group == {("female", "adult"): "60", ("female", "child"): "30",
                        ("male", "adult"): "20", ("male", "child"): "10"}


def test_text_that_xml_cannot_hold_is_dropped_not_a_server_error(api, history, schema):
    app = history.second.application
    app.title = "Safe homes & legal aid <UA>\x0b\x1f"
    app.save(update_fields=["title"])
    act = activity(fetch(api), history.second)
    assert act.find("title/narrative").text == "Safe homes & legal aid <UA>"


def test_the_export_s_queries_do_not_grow_with_the_grants(api, history, organisation):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    before = count()
    for _ in range(3):
        make_grant(organisation)
    assert count() == before


def test_sectors_map_each_service_to_its_dac_code_once():
    assert sectors_for(["shelter", "reintegration", "medical", "psychological"]) == [
        "12220", "12340", "16010"]
    assert sectors_for([]) == ["15160"]  # human rights: programmes for victims of trafficking


def test_budget_periods_last_at_most_a_year_and_add_up():
    periods = budget_periods(date(2024, 3, 1), date(2026, 2, 28), Decimal("1000.00"))
    assert len(periods) == 2
    assert all((end - start).days < 366 for start, end, _v in periods)
    assert sum(v for *_d, v in periods) == Decimal("1000.00")
