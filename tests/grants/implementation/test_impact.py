from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from donors.selectors.reports import where_money_went
from grants.models import ReportKind
from grants.selectors import impact
from grants.services.implementation import disbursement_record, report_accept, report_submit
from tests.grants.implementation.helpers import active_grant, due, report_data, today


def test_impact_counts_accepted_reports_payments_projects_and_countries(
        organisation, other_organisation, ngo, other_ngo, secretariat):
    first = active_grant(organisation, ngo, secretariat, countries=("NG", "BJ"))
    second = active_grant(other_organisation, other_ngo, secretariat, countries=("KE",))
    disbursement_record(actor=secretariat, grant=first, tranche=first.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P1")
    accepted = report_submit(actor=ngo, grant=first, report_due=due(first),
                             data=report_data())
    report_accept(actor=secretariat, report=accepted)
    report_submit(actor=other_ngo, grant=second, report_due=due(second, ReportKind.INTERIM),
                  data=report_data(victims_total=500, by_group={}, by_service={}))
    figures = impact.impact()
    year = timezone.localdate().year
    assert figures.victims_per_year == {year: 120}
    assert figures.disbursed_per_year == {year: Decimal("40000.00")}
    assert figures.by_group == {"women": 60, "girls": 30, "men": 20, "boys": 10}
    assert figures.by_service == {"shelter": 120, "legal": 45}
    assert figures.by_country == {"BJ": 120}  # the first country, alphabetically
    assert (figures.projects, figures.countries) == (2, 3)
    assert (figures.active_projects, figures.active_countries) == (2, 3)
    for outcomes in where_money_went(year):  # that year alone, and since creation
        assert (outcomes.projects, outcomes.countries, outcomes.disbursed_usd,
                outcomes.victims_assisted) == (2, 3, Decimal("40000.00"), 120)
    assert all(o.disbursed_usd == Decimal("0") for o in where_money_went(year - 1))


def test_a_cancelled_grant_is_not_a_project(organisation, ngo, secretariat):
    from grants.services.implementation import agreement_decline
    from tests.grants.implementation.helpers import make_grant

    grant = make_grant(organisation, start=today() - timedelta(days=5))
    agreement_decline(actor=ngo, grant=grant, reason="No longer able")
    assert impact.projects_and_countries() == (0, [])
