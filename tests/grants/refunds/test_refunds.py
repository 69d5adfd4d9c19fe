"""Refunds of unspent funds: the rules of recording one, and where the fund's figures read it
(fund summary for the year and since creation, the available balance, IATI)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from fundapp.core.audit import AuditEvent
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import Disbursement, GrantClosure, GrantStatus, Refund, ReportKind
from grants.selectors import impact
from grants.selectors.board import fund_available_balance
from grants.services.implementation import (
    disbursement_record,
    grant_close,
    report_accept,
    report_submit,
)
from grants.services.refunds import refund_record
from grants.services.suspensions import grant_terminate
from tests.grants.implementation.helpers import due, report_data, today


def pay(grant, actor, amount="40000.00", reference="PAY-1"):
    return disbursement_record(actor=actor, grant=grant, tranche=grant.tranches.get(position=1),
                               paid_on=today(), amount_usd=Decimal(amount), reference=reference)


def refund(grant, actor, amount="3412.50", reference="FT-0042", received_on=None, note=""):
    return refund_record(actor=actor, grant=grant, amount_usd=amount,
                         received_on=received_on or today(), reference=reference, note=note)


@pytest.fixture
def paid_grant(live_grant, secretariat):
    pay(live_grant, secretariat)
    return live_grant


def test_a_refund_is_recorded_audited_and_the_organisation_gets_a_receipt(
        paid_grant, secretariat, ngo):
    row = refund(paid_grant, secretariat, note=" Unspent shelter budget ")
    assert (row.amount_usd, row.reference, row.note, row.recorded_by) == (
        Decimal("3412.50"), "FT-0042", "Unspent shelter budget", secretariat)
    event = AuditEvent.objects.get(verb="grant.refund")
    assert event.after["amount_usd"] == "3412.50" and event.after["reference"] == "FT-0042"
    notice = Notification.objects.get(recipient=ngo, kind="refund_recorded")
    assert notice.data["amount_usd"] == "3412.50" and notice.data["refunded_usd"] == "3412.50"
    assert notice.data["reference"] == "FT-0042"


def test_only_the_secretariat_records_refunds(paid_grant, ngo, board_member):
    for who in (ngo, board_member):
        with pytest.raises(NotAllowed):
            refund(paid_grant, who)
    assert not Refund.objects.exists()


def test_a_grant_never_paid_has_nothing_to_refund(live_grant, secretariat):
    with pytest.raises(StateConflict, match="Nothing was paid"):
        refund(live_grant, secretariat)


def test_never_more_than_paid_less_already_refunded(paid_grant, secretariat):
    refund(paid_grant, secretariat, amount="39000.00", reference="R-1")
    with pytest.raises(ValidationFailed) as err:
        refund(paid_grant, secretariat, amount="1000.01", reference="R-2")
    assert "amount_usd" in err.value.field_errors
    assert "(USD 1,000.00)" in str(err.value.field_errors["amount_usd"][0])
    refund(paid_grant, secretariat, amount="1000.00", reference="R-3")
    assert Refund.objects.count() == 2


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "NaN", "abc"])
def test_bad_amounts_are_refused(paid_grant, secretariat, amount):
    with pytest.raises(ValidationFailed):
        refund(paid_grant, secretariat, amount=amount)


def test_a_duplicate_reference_is_a_field_error(paid_grant, secretariat):
    refund(paid_grant, secretariat, amount="100.00", reference="FT-1")
    with pytest.raises(ValidationFailed) as err:
        refund(paid_grant, secretariat, amount="100.00", reference=" FT-1 ")
    assert "reference" in err.value.field_errors
    with pytest.raises(ValidationFailed) as err:
        refund(paid_grant, secretariat, amount="100.00", reference="  ")
    assert "reference" in err.value.field_errors


def test_the_day_received_is_neither_in_the_future_nor_before_the_first_payment(
        paid_grant, secretariat):
    for day in (today() + timedelta(days=1), today() - timedelta(days=1)):
        with pytest.raises(ValidationFailed) as err:
            refund(paid_grant, secretariat, received_on=day)
        assert "received_on" in err.value.field_errors


def test_a_terminated_grant_takes_refunds_of_its_unspent_balance(paid_grant, secretariat):
    grant_terminate(actor=secretariat, grant=paid_grant, reason="The organisation dissolved.")
    refund(paid_grant, secretariat, amount="40000.00")
    paid_grant.refresh_from_db()
    assert paid_grant.status == GrantStatus.TERMINATED
    assert paid_grant.refunds.get().amount_usd == Decimal("40000.00")


# --- the closure ---------------------------------------------------------------------------

def _to_closing(grant, secretariat, ngo, spent="35000.00"):
    final = report_submit(actor=ngo, grant=grant, report_due=due(grant, ReportKind.FINAL),
                          data=report_data(expenditure=[{"category": "shelter",
                                                         "approved_usd": "50000.00",
                                                         "spent_usd": spent}]))
    report_accept(actor=secretariat, report=final)


def test_a_closure_refunded_records_what_earlier_refunds_do_not_cover(paid_grant, secretariat,
                                                                      ngo):
    _to_closing(paid_grant, secretariat, ngo)  # 40,000 paid, 35,000 spent: 5,000 unspent
    refund(paid_grant, secretariat, amount="1500.00", reference="FT-EARLY")
    grant_close(actor=secretariat, grant=paid_grant, treatment="refunded")
    rows = list(paid_grant.refunds.order_by("pk").values_list("reference", "amount_usd"))
    assert rows == [("FT-EARLY", Decimal("1500.00")),
                    (f"CLOSURE-{paid_grant.pk}", Decimal("3500.00"))]
    assert GrantClosure.objects.get(grant=paid_grant).unspent_usd == Decimal("5000.00")


def test_a_closure_written_off_records_no_refund(paid_grant, secretariat, ngo):
    _to_closing(paid_grant, secretariat, ngo)
    grant_close(actor=secretariat, grant=paid_grant, treatment="written_off",
                reason="Bank charges and exchange losses.")
    assert not Refund.objects.exists()


# --- the fund's figures ----------------------------------------------------------------------

def _dated_refund(grant, secretariat, day: date, amount: str, reference: str):
    """A refund received on ``day`` (the payment moved earlier so that the day is valid)."""
    Disbursement.objects.filter(grant=grant).update(paid_on=date(2024, 1, 10))
    return refund(grant, secretariat, amount=amount, reference=reference, received_on=day)


def test_refunds_in_the_fund_summary_for_that_year_and_since_creation(paid_grant, secretariat,
                                                                      client):
    _dated_refund(paid_grant, secretariat, date(2024, 6, 1), "1000.00", "R-2024")
    _dated_refund(paid_grant, secretariat, date(2025, 3, 1), "3412.50", "R-2025")
    summary = client.get("/api/v1/reports/fund-summary/?year=2025").json()
    assert summary["refunded_usd"] == "3412.50"
    assert summary["cumulative_refunded_usd"] == "4412.50"
    assert summary["disbursed_usd"] == "-3412.50"  # nothing paid in 2025, a refund received
    assert summary["cumulative_disbursed_usd"] == "35587.50"
    earlier = client.get("/api/v1/reports/fund-summary/?year=2024").json()
    assert earlier["refunded_usd"] == "1000.00" and earlier["cumulative_refunded_usd"] == "1000.00"
    assert earlier["disbursed_usd"] == "39000.00"


def test_refunds_are_negative_disbursements_in_iati(paid_grant, secretariat, client):
    _dated_refund(paid_grant, secretariat, date(2025, 3, 1), "3412.50", "R-2025")
    response = client.get("/api/v1/reports/iati/?format=xml")
    root = etree.fromstring(response.content)
    activity = next(a for a in root.iter("iati-activity")
                    if a.findtext("iati-identifier").endswith(paid_grant.agreement_number))
    rows = [(t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"),
             t.findtext("value")) for t in activity.iter("transaction")]
    assert ("3", "2025-03-01", "-3412.50") in rows
    assert ("3", "2024-01-10", "40000.00") in rows
    total = sum(Decimal(v) for code, _d, v in rows if code == "3")
    assert total == Decimal("36587.50")


def test_a_terminated_grant_in_iati_is_cancelled_with_its_end_date(paid_grant, secretariat,
                                                                   client):
    grant_terminate(actor=secretariat, grant=paid_grant, reason="The organisation dissolved.")
    root = etree.fromstring(client.get("/api/v1/reports/iati/?format=xml").content)
    activity = next(a for a in root.iter("iati-activity")
                    if a.findtext("iati-identifier").endswith(paid_grant.agreement_number))
    assert activity.find("activity-status").get("code") == "5"
    assert today().isoformat() in [d.get("iso-date") for d in activity.iter("activity-date")
                                   if d.get("type") == "4"]


def test_refunds_raise_the_fund_s_available_balance_and_termination_frees_the_rest(
        paid_grant, secretariat, monkeypatch):
    from grants.selectors import board

    monkeypatch.setattr(board, "contributions_received_usd", lambda: Decimal("100000.00"))
    assert fund_available_balance() == Decimal("50000.00")  # 50,000 approved
    refund(paid_grant, secretariat, amount="3412.50")
    assert fund_available_balance() == Decimal("53412.50")
    grant_terminate(actor=secretariat, grant=paid_grant, reason="The organisation dissolved.")
    assert fund_available_balance() == Decimal("63412.50")  # only the 40,000 paid committed


def test_a_terminated_project_ends_on_its_termination_day(paid_grant, secretariat):
    grant_terminate(actor=secretariat, grant=paid_grant, reason="The organisation dissolved.")
    project = next(p for p in impact.projects() if p.first_day == paid_grant.start_date)
    assert project.last_day == today()
    assert impact.running_projects()[0] == 0
