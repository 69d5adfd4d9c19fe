"""Suspension, resumption and termination of a grant: who, from which states, what changes,
what is notified, and what a suspended or terminated grant still allows."""

from datetime import timedelta
from decimal import Decimal

import pytest

from fundapp.core.audit import AuditEvent
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import Amendment, AmendmentKind, GrantStatus, ReportKind
from grants.services.implementation import (
    disbursement_record,
    report_accept,
    report_submit,
    reports_remind_due,
)
from grants.services.suspensions import (
    grant_resume,
    grant_suspend,
    grant_terminate,
    termination_figures,
)
from tests.factories import ngo_user
from tests.grants.implementation.helpers import due, report_data, today

REASON = "Project sites inaccessible since the flooding; suspended pending a security assessment."


def pay(grant, actor, amount="40000.00", reference="PAY-1", position=1):
    return disbursement_record(actor=actor, grant=grant,
                               tranche=grant.tranches.get(position=position),
                               paid_on=today(), amount_usd=Decimal(amount), reference=reference)


def test_suspending_an_active_grant_records_the_reason_audits_and_notifies(
        live_grant, secretariat, ngo, organisation):
    colleague = ngo_user(organisation, username="colleague")
    grant = grant_suspend(actor=secretariat, grant=live_grant, reason=f"  {REASON} ")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUSPENDED
    assert grant.suspension_reason == REASON and grant.suspended_at is not None
    event = AuditEvent.objects.get(verb="grant.suspend")
    assert event.note == REASON and event.after == {"status": "suspended"}
    notices = Notification.objects.filter(kind="grant_suspended")
    assert {n.recipient for n in notices} == {ngo, colleague}
    assert notices.first().data["reason"] == REASON


def test_only_the_secretariat_suspends(live_grant, ngo, board_member):
    for who in (ngo, board_member):
        with pytest.raises(NotAllowed):
            grant_suspend(actor=who, grant=live_grant, reason=REASON)
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE


def test_a_reason_is_required_to_suspend_and_to_terminate(live_grant, secretariat):
    with pytest.raises(ValidationFailed) as err:
        grant_suspend(actor=secretariat, grant=live_grant, reason="   ")
    assert "reason" in err.value.field_errors
    with pytest.raises(ValidationFailed):
        grant_terminate(actor=secretariat, grant=live_grant, reason="")
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE


def test_only_an_active_grant_is_suspended_and_only_a_suspended_one_resumed(
        grant, live_grant, secretariat):
    with pytest.raises(StateConflict):
        grant_suspend(actor=secretariat, grant=grant, reason=REASON)  # pending signature
    with pytest.raises(StateConflict):
        grant_resume(actor=secretariat, grant=live_grant, reason=REASON)
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    with pytest.raises(StateConflict):
        grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)


def test_resuming_needs_a_reason(live_grant, secretariat):
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    with pytest.raises(ValidationFailed) as err:
        grant_resume(actor=secretariat, grant=live_grant, reason="  ")
    assert "reason" in err.value.field_errors
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.SUSPENDED
    assert not AuditEvent.objects.filter(verb="grant.resume").exists()


def test_resuming_makes_the_grant_active_and_payable_again(live_grant, secretariat, ngo):
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    with pytest.raises(StateConflict, match="suspended"):
        pay(live_grant, secretariat)
    grant_resume(actor=secretariat, grant=live_grant, reason="Sites reachable again.")
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE
    assert pay(live_grant, secretariat).amount_usd == Decimal("40000.00")
    resumed = Notification.objects.get(recipient=ngo, kind="grant_resumed")
    assert resumed.data["reason"] == "Sites reachable again."
    assert AuditEvent.objects.filter(verb="grant.resume").count() == 1


def test_a_suspended_grant_still_takes_reports_and_they_are_reviewed(live_grant, secretariat,
                                                                      ngo):
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())
    report_accept(actor=secretariat, report=report)
    report.refresh_from_db()
    assert report.status == "accepted"


def test_reminders_continue_while_suspended(live_grant, secretariat, ngo):
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    interim = due(live_grant)
    sent = reports_remind_due(today=interim.due_date + timedelta(days=1))
    assert sent >= 1
    assert Notification.objects.filter(recipient=ngo, kind="report_overdue").exists()


def test_terminating_stores_the_unspent_balance_from_the_last_accepted_report(
        live_grant, secretariat, ngo):
    pay(live_grant, secretariat)  # 40,000 paid
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=report_data())  # 48,000.50 reported spent
    report_accept(actor=secretariat, report=report)
    assert termination_figures(live_grant) == (Decimal("40000.00"), Decimal("48000.50"),
                                               Decimal("0.00"))
    smaller = report_data(expenditure=[
        {"category": "shelter", "approved_usd": "30000.00", "spent_usd": "21450.00"}])
    final = report_submit(actor=ngo, grant=live_grant,
                          report_due=due(live_grant, ReportKind.FINAL), data=smaller)
    report_accept(actor=secretariat, report=final)  # the grant is now closing
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.CLOSING
    with pytest.raises(StateConflict):
        grant_terminate(actor=secretariat, grant=live_grant, reason="Too late to terminate.")


def test_terminating_a_suspended_grant_with_an_interim_report(live_grant, secretariat, ngo):
    pay(live_grant, secretariat)
    smaller = report_data(expenditure=[
        {"category": "shelter", "approved_usd": "30000.00", "spent_usd": "21450.00"}])
    report = report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                           data=smaller)
    report_accept(actor=secretariat, report=report)
    grant_suspend(actor=secretariat, grant=live_grant, reason=REASON)
    grant = grant_terminate(actor=secretariat, grant=live_grant,
                            reason="The organisation dissolved in October.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.TERMINATED
    assert grant.unspent_at_termination_usd == Decimal("18550.00")
    assert grant.terminated_at is not None
    notice = Notification.objects.get(recipient=ngo, kind="grant_terminated")
    assert notice.data["unspent_usd"] == "18550.00"
    assert notice.data["reason"] == "The organisation dissolved in October."
    event = AuditEvent.objects.get(verb="grant.terminate")
    assert event.before == {"status": "suspended"}
    assert event.after["unspent_usd"] == "18550.00"


def test_without_any_accepted_report_everything_paid_is_unspent(live_grant, secretariat):
    pay(live_grant, secretariat, amount="12500.00")
    grant = grant_terminate(actor=secretariat, grant=live_grant, reason="Fraud established.")
    assert grant.unspent_at_termination_usd == Decimal("12500.00")


def test_a_terminated_grant_takes_no_payment_no_report_and_no_resumption(
        live_grant, secretariat, ngo):
    grant_terminate(actor=secretariat, grant=live_grant, reason="Fraud established.")
    with pytest.raises(StateConflict, match="terminated"):
        pay(live_grant, secretariat)
    with pytest.raises(StateConflict):
        report_submit(actor=ngo, grant=live_grant, report_due=due(live_grant),
                      data=report_data())
    for step in (grant_resume, grant_suspend):
        with pytest.raises(StateConflict):
            step(actor=secretariat, grant=live_grant, reason=REASON)
    with pytest.raises(StateConflict):
        grant_terminate(actor=secretariat, grant=live_grant, reason="Again.")
    assert reports_remind_due(today=due(live_grant).due_date + timedelta(days=1)) == 0


def test_an_open_amendment_request_must_be_decided_before_terminating(live_grant,
                                                                      secretariat, ngo):
    Amendment.objects.create(grant=live_grant, kind=AmendmentKind.OTHER,
                             reason="New project coordinator.", requested_by=ngo)
    with pytest.raises(StateConflict, match="amendment"):
        grant_terminate(actor=secretariat, grant=live_grant, reason="Fraud established.")
    live_grant.refresh_from_db()
    assert live_grant.status == GrantStatus.ACTIVE


def test_only_the_secretariat_terminates(live_grant, ngo):
    with pytest.raises(NotAllowed):
        grant_terminate(actor=ngo, grant=live_grant, reason="No.")
