"""The IATI 2.03 export validates against the official schema in ../shared/iati/."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from donors.iati import budget_periods
from grants.models import ApplicationStatus
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
SCHEMA_DIR = Path(settings.BASE_DIR).parent / "shared" / "iati"


@pytest.fixture(scope="module")
def schema():
    path = SCHEMA_DIR / "iati-activities-schema.xsd"
    if not path.exists():
        pytest.skip(f"the IATI schemas are not beside the clone ({SCHEMA_DIR})")
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def approved(db):
    first = ApplicationFactory(status=ApplicationStatus.APPROVED, countries=["NG", "BJ", "TG"],
                               reference="VTF7-0001", requested_usd=Decimal("58000.00"),
                               duration_months=24)
    second = ApplicationFactory(status=ApplicationStatus.APPROVED, countries=["UA"],
                                reference="VTF7-0002", title="Safe homes & legal aid <UA>")
    ApplicationFactory(status=ApplicationStatus.DECLINED, reference="VTF7-0003")
    return first, second


def fetch(api) -> etree._Element:
    response = api.get("/api/v1/reports/iati/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_the_export_validates_against_the_iati_203_schema(api, approved, schema):
    root = fetch(api)
    schema.assertValid(root)
    assert root.get("version") == "2.03"


def test_with_no_grant_to_publish_the_answer_is_no_content(api, db):
    # The schema requires at least one activity: an empty file would not be valid IATI.
    assert api.get("/api/v1/reports/iati/").status_code == 204


def test_one_activity_per_approved_grant_with_the_fund_s_sector(api, approved):
    activities = fetch(api).findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == [
        "XM-DAC-41128-VTF-VTF7-0001", "XM-DAC-41128-VTF-VTF7-0002"]
    first = activities[0]
    assert first.find("sector").get("code") == "15180"
    assert [p.get("role") for p in first.findall("participating-org")] == ["1", "3", "4"]
    shares = [Decimal(c.get("percentage")) for c in first.findall("recipient-country")]
    assert sum(shares) == 100
    commitment = first.find("transaction")
    assert commitment.find("transaction-type").get("code") == "2"
    assert commitment.findtext("value") == "58000.00"
    assert sum(Decimal(b.findtext("value")) for b in first.findall("budget")) == Decimal(
        "58000.00")
    assert activities[1].find("title/narrative").text == "Safe homes & legal aid <UA>"


def test_budget_periods_last_at_most_a_year_and_add_up():
    periods = budget_periods(date(2024, 3, 1), date(2026, 2, 28), Decimal("1000.00"))
    assert len(periods) == 2
    assert all((end - start).days < 366 for start, end, _v in periods)
    assert sum(v for *_d, v in periods) == Decimal("1000.00")
