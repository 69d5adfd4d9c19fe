from datetime import timedelta
from decimal import Decimal

import pytest

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import Disbursement, GrantStatus, ReportKind, TrancheCondition
from grants.services.implementation import (
    bank_details_set,
    disbursement_record,
    report_accept,
    report_submit,
)
from tests.grants.implementation.helpers import active_grant, due, report_data, today


def pay(grant, actor, position=1, amount="40000.00", reference="PAY-1"):
    tranche = grant.tranches.get(position=position)
    return disbursement_record(actor=actor, grant=grant, tranche=tranche, paid_on=today(),
                               amount_usd=Decimal(amount), reference=reference)


def test_the_first_tranche_is_paid_and_the_ngo_notified(live_grant, secretariat, ngo):
    payment = pay(live_grant, secretariat)
    assert payment.amount_usd == Decimal("40000.00")
    assert Notification.objects.filter(recipient=ngo, kind="tranche_paid").count() == 1


def test_a_tranche_is_never_overpaid_even_in_parts(live_grant, secretariat):
    pay(live_grant, secretariat, amount="30000.00", reference="PAY-1")
    with pytest.raises(ValidationFailed) as err:
        pay(live_grant, secretariat, amount="10000.01", reference="PAY-2")
    assert "amount_usd" in err.value.field_errors
    pay(live_grant, secretariat, amount="10000.00", reference="PAY-3")
    assert Disbursement.objects.count() == 2


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "NaN"])
def test_bad_amounts_are_refused(live_grant, secretariat, amount):
    with pytest.raises(ValidationFailed):
        pay(live_grant, secretariat, amount=amount)


def test_the_same_reference_twice_is_a_conflict(live_grant, secretariat):
    pay(live_grant, secretariat, amount="100.00", reference="PAY-1")
    with pytest.raises(StateConflict):
        pay(live_grant, secretariat, amount="100.00", reference="PAY-1")


def test_only_the_secretariat_records_payments(live_grant, ngo):
    with pytest.raises(NotAllowed):
        pay(live_grant, ngo)


def test_unconfirmed_bank_details_block_payment(live_grant, ngo, secretariat):
    bank_details_set(actor=ngo, grant=live_grant, account_holder="X",
                     account_number="NG000111", bank_name="Y")
    with pytest.raises(StateConflict, match="bank details"):
        pay(live_grant, secretariat)


def test_an_unsigned_grant_cannot_be_paid(organisation, ngo, secretariat):
    from tests.grants.implementation.helpers import make_grant

    grant = make_grant(organisation)
    with pytest.raises(StateConflict):
        pay(grant, secretariat)


def test_the_last_tranche_waits_for_the_accepted_final_report(live_grant, secretariat, ngo):
    pay(live_grant, secretariat)
    with pytest.raises(StateConflict, match="final report"):
        pay(live_grant, secretariat, position=2, amount="10000.00", reference="PAY-2")
    report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant), data=report_data())
    final = report_submit(actor=ngo, grant=live_grant,
                          report_due=due(live_grant, ReportKind.FINAL), data=report_data())
    report_accept(actor=secretariat, report=final)
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.CLOSING
    pay(live_grant, secretariat, position=2, amount="10000.00", reference="PAY-2")


def test_a_tranche_after_interim_report_n_waits_for_that_report(organisation, ngo,
                                                                 secretariat):
    grant = active_grant(organisation, ngo, secretariat, tranches=[
        {"percent": Decimal("50"), "condition": TrancheCondition.ON_SIGNATURE},
        {"percent": Decimal("50"), "condition": TrancheCondition.AFTER_REPORT_N,
         "report_number": 1}])
    with pytest.raises(StateConflict, match="interim report no. 1"):
        pay(grant, secretariat, position=2, amount="100.00")
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    report_accept(actor=secretariat, report=report)
    pay(grant, secretariat, position=2, amount="25000.00")


def test_an_overdue_report_blocks_the_next_tranche(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat,
                         start=today() - timedelta(days=400))
    with pytest.raises(StateConflict, match="overdue"):
        pay(grant, secretariat)
    report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    pay(grant, secretariat)
