"""/api/v1/grants/: money paid per tranche and grant, report progress, and constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest

from grants.models import Disbursement, GrantStatus, ReportKind
from grants.services.implementation import disbursement_record, report_submit
from tests.grants.implementation.helpers import (
    active_grant,
    due,
    make_grant,
    report_data,
    today,
)
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


def _paid_and_reported(grant, ngo, secretariat):
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("15000.00"), reference="PAY-1")
    report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())


@pytest.mark.parametrize("who", ["secretariat", "ngo", "board_member"])
def test_tranches_and_reports_show_progress(api_as, request, grant, ngo, secretariat, who):
    _paid_and_reported(grant, ngo, secretariat)
    client = api_as(request.getfixturevalue(who))
    listed = client.get("/api/v1/grants/").json()["results"]
    detail = client.get(f"/api/v1/grants/{grant.pk}/").json()
    for body in (listed[0], detail):
        assert body["paid_usd"] == "15000.00"
        assert [(t["paid_usd"], t["remaining_usd"]) for t in body["tranches"]] == [
            ("15000.00", "25000.00"), ("0.00", "10000.00")]
        assert [(r["kind"], r["status"], r["version"], r["overdue"])
                for r in body["reports"]] == [("interim", "submitted", 1, False),
                                              ("final", None, None, False)]
        assert body["reports"][0]["due_date"] == due(grant).due_date.isoformat()


def test_a_report_past_due_without_a_submitted_version_is_overdue(api_as, organisation,
                                                                  secretariat):
    late = make_grant(organisation, status=GrantStatus.ACTIVE,
                      start=today() - timedelta(days=400))
    body = api_as(secretariat).get(f"/api/v1/grants/{late.pk}/").json()
    assert [(r["kind"], r["overdue"]) for r in body["reports"]] == [
        ("interim", True), ("final", False)]


def test_a_donor_sees_no_money_paid_nor_schedules(api_as, grant, ngo, secretariat, donor):
    _paid_and_reported(grant, ngo, secretariat)
    client = api_as(donor)
    for body in (client.get("/api/v1/grants/").json()["results"][0],
                 client.get(f"/api/v1/grants/{grant.pk}/").json()):
        assert not {"paid_usd", "tranches", "reports", "conditions"} & set(body)


def _grants(organisation, ngo, secretariat, n):
    for _i in range(n):
        g = make_grant(organisation, status=GrantStatus.ACTIVE)
        for t in g.tranches.all():
            Disbursement.objects.create(grant=g, tranche=t, paid_on=today(),
                                        amount_usd=Decimal("1.00"),
                                        reference=f"R{g.pk}-{t.pk}", recorded_by=secretariat)
        report_submit(actor=ngo, grant=g, report_due=due(g, ReportKind.INTERIM),
                      data=report_data())


def test_the_grant_list_costs_the_same_for_3_or_15_grants(api_as, organisation, ngo,
                                                         secretariat):
    client = api_as(secretariat)
    url = "/api/v1/grants/?page_size=50"
    _grants(organisation, ngo, secretariat, 3)
    few = queries_for_get(client, url)
    _grants(organisation, ngo, secretariat, 12)
    assert client.get(url).json()["count"] == 15
    assert queries_for_get(client, url) == few
