"""GET /api/v1/reports/impact/: the impact page's figures, public like the public page, from
the same selector, at a cost that does not grow with the grants."""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import ReportKind
from grants.selectors.impact import VICTIMS_MARK
from grants.services.implementation import disbursement_record, report_accept, report_submit
from tests.grants.implementation.helpers import active_grant, due, report_data, today
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/impact/"


@pytest.fixture
def reported(organisation, other_organisation, ngo, other_ngo, secretariat):
    first = active_grant(organisation, ngo, secretariat, countries=("NG", "BJ"))
    second = active_grant(other_organisation, other_ngo, secretariat, countries=("KE",))
    disbursement_record(actor=secretariat, grant=first, tranche=first.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P1")
    report_accept(actor=secretariat, report=report_submit(
        actor=ngo, grant=first, report_due=due(first), data=report_data()))
    # submitted, not accepted: not counted
    report_submit(actor=other_ngo, grant=second, report_due=due(second, ReportKind.INTERIM),
                  data=report_data(victims_total=500, by_group={}, by_service={}))
    return first, second


def test_the_figures_are_the_impact_page_s(api, reported):
    body = api.get(URL).json()
    year = timezone.localdate().year
    assert body["first_year"] <= year and body["mark"] == VICTIMS_MARK
    assert (body["projects"], body["countries"]) == (2, 3)
    assert (body["active_projects"], body["active_countries"]) == (2, 3)
    assert body["disbursed_usd"] == "40000.00" and body["victims_assisted"] == 120
    this_year = next(row for row in body["per_year"] if row["year"] == year)
    assert this_year == {"year": year, "projects": 2, "countries": 3,
                         "disbursed_usd": "40000.00", "victims_assisted": 120,
                         "mark_reached": False}
    assert [row["year"] for row in body["per_year"]] == sorted(
        (row["year"] for row in body["per_year"]), reverse=True)
    assert body["by_group"] == {"women": 60, "girls": 30, "men": 20, "boys": 10}
    assert body["by_service"]["shelter"] == 120 and body["by_service"]["medical"] == 0
    assert body["by_country"] == [{"country": "BJ", "victims_assisted": 120}]


def test_before_any_grant_every_figure_is_zero(api, db):
    body = api.get(URL).json()
    assert body["first_year"] is None and body["per_year"] == [] and body["by_country"] == []
    assert body["disbursed_usd"] == "0.00" and set(body["by_group"].values()) == {0}


@pytest.mark.parametrize("who", ["anonymous", "ngo", "reviewer", "donor", "board_member",
                                 "secretariat"])
def test_the_figures_are_public_like_the_public_page(client_for, everyone, who):
    assert client_for(who).get(URL).status_code == 200


def test_the_cost_does_not_grow_with_the_grants(api, organisation, ngo, secretariat):
    def grant_with_report():
        grant = active_grant(organisation, ngo, secretariat)
        report_accept(actor=secretariat, report=report_submit(
            actor=ngo, grant=grant, report_due=due(grant), data=report_data()))

    grant_with_report()
    few = queries_for_get(api, URL)
    for _i in range(4):
        grant_with_report()
    assert queries_for_get(api, URL) == few <= 10
