from decimal import Decimal

import pytest

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import (
    ExpenditureLine,
    GrantStatus,
    Indicator,
    ProgressReport,
    ReportKind,
    ReportStatus,
    UnspentTreatment,
)
from grants.services.implementation import (
    closure_figures,
    disbursement_record,
    grant_close,
    report_accept,
    report_request_changes,
    report_submit,
)
from tests.grants.implementation.helpers import due, report_data, today


def submit(grant, ngo, kind=ReportKind.INTERIM, **overrides):
    return report_submit(actor=ngo, grant=grant, report_due=due(grant, kind),
                         data=report_data(**overrides))


def test_a_report_keeps_its_expenditure_with_variance_and_indicators(live_grant, ngo):
    report = submit(live_grant, ngo)
    assert report.status == ReportStatus.SUBMITTED and report.version == 1
    shelter = report.expenditure.get(category="shelter")
    assert shelter.variance_usd == Decimal("-1999.50")
    assert report.indicators.get(dimension="group", key="women").count == 60


def test_changes_requested_then_a_revision_is_a_new_version_and_both_are_kept(
        live_grant, ngo, secretariat):
    first = submit(live_grant, ngo)
    report_request_changes(actor=secretariat, report=first, comment="Split shelter costs.")
    second = submit(live_grant, ngo, achievements="Revised.")
    assert second.version == 2
    report_accept(actor=secretariat, report=second)
    statuses = list(ProgressReport.objects.order_by("version").values_list("status", flat=True))
    assert statuses == [ReportStatus.CHANGES_REQUESTED, ReportStatus.ACCEPTED]


def test_a_submitted_report_cannot_be_submitted_again(live_grant, ngo):
    submit(live_grant, ngo)
    with pytest.raises(StateConflict):
        submit(live_grant, ngo)


def test_requesting_changes_needs_a_comment(live_grant, ngo, secretariat):
    report = submit(live_grant, ngo)
    with pytest.raises(ValidationFailed):
        report_request_changes(actor=secretariat, report=report, comment=" ")


@pytest.mark.parametrize("overrides, field", [
    ({"by_group": {"women": 100, "girls": 30}}, "by_group"),
    ({"by_group": {"women": -1}}, "by_group"),
    ({"by_service": {"shelter": 121}}, "by_service"),
    ({"by_service": {"cooking": 1}}, "by_service"),
    ({"victims_total": -3}, "victims_total"),
    ({"story": "She found work.", "consent_confirmed": False}, "consent_confirmed"),
    ({"expenditure": [{"category": "shelter", "approved_usd": "1", "spent_usd": "-1"}]},
     "expenditure"),
    ({"expenditure": [{"category": "shelter", "approved_usd": "60000", "spent_usd": "1"}]},
     "expenditure"),
    ({"expenditure": [{"category": "shelter", "approved_usd": "1", "spent_usd": "1"},
                      {"category": "shelter", "approved_usd": "1", "spent_usd": "1"}]},
     "expenditure"),
    ({"achievements": " "}, "achievements"),
])
def test_bad_reports_are_refused_and_nothing_is_half_saved(live_grant, ngo, overrides, field):
    with pytest.raises(ValidationFailed) as err:
        submit(live_grant, ngo, **overrides)
    assert field in err.value.field_errors
    assert (ProgressReport.objects.count(), ExpenditureLine.objects.count(),
            Indicator.objects.count()) == (0, 0, 0)


def test_a_final_report_needs_expenditure(live_grant, ngo):
    with pytest.raises(ValidationFailed):
        submit(live_grant, ngo, ReportKind.FINAL, expenditure=[])


def test_another_ngo_cannot_submit(live_grant, other_ngo):
    with pytest.raises(NotAllowed):
        submit(live_grant, other_ngo)


def test_closure_records_paid_spent_and_the_unspent_balance_in_decimal(
        live_grant, ngo, secretariat):
    disbursement_record(actor=secretariat, grant=live_grant,
                        tranche=live_grant.tranches.get(position=1), paid_on=today(),
                        amount_usd=Decimal("40000.00"), reference="P1")
    final = submit(live_grant, ngo, ReportKind.FINAL, expenditure=[
        {"category": "shelter", "approved_usd": "30000.00", "spent_usd": "25000.10"},
        {"category": "personnel", "approved_usd": "20000.00", "spent_usd": "12000.00"}])
    report_accept(actor=secretariat, report=final)
    assert closure_figures(live_grant) == (Decimal("40000.00"), Decimal("37000.10"),
                                           Decimal("2999.90"))
    with pytest.raises(ValidationFailed):
        grant_close(actor=secretariat, grant=live_grant)
    with pytest.raises(ValidationFailed):
        grant_close(actor=secretariat, grant=live_grant,
                    treatment=UnspentTreatment.WRITTEN_OFF)
    closure = grant_close(actor=secretariat, grant=live_grant,
                          treatment=UnspentTreatment.REFUNDED)
    assert closure.unspent_usd == Decimal("2999.90")
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.CLOSED


def test_a_report_for_a_closed_grant_is_refused(live_grant, ngo):
    live_grant.status = GrantStatus.CLOSED
    live_grant.save()
    with pytest.raises(StateConflict):
        submit(live_grant, ngo)


def test_an_active_grant_cannot_be_closed(live_grant, secretariat):
    with pytest.raises(StateConflict):
        grant_close(actor=secretariat, grant=live_grant)
