"""The secretariat's decision: who may, what approving each kind changes, declining."""

from datetime import timedelta
from decimal import Decimal

import pytest

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification
from grants.models import AmendmentStatus, ReportKind
from grants.selectors.amendments import grant_budget_lines
from grants.services.amendments import amendment_approve, amendment_decline, amendment_request
from grants.services.implementation import report_submit
from tests.grants.implementation.helpers import due, report_data, today

from .conftest import lines

pytestmark = pytest.mark.django_db


def _extension(grant, ngo, days=92):
    return amendment_request(actor=ngo, grant=grant, kind="no_cost_extension",
                             reason="Floods closed the office.",
                             new_end_date=grant.end_date + timedelta(days=days))


def test_approving_an_extension_moves_the_end_and_the_reports_still_ahead(live_grant, ngo,
                                                                          secretariat):
    end, interim, final = (live_grant.end_date, due(live_grant).due_date,
                           due(live_grant, ReportKind.FINAL).due_date)
    assert interim > today()
    amendment_approve(actor=secretariat, amendment=_extension(live_grant, ngo))
    live_grant.refresh_from_db()
    assert live_grant.end_date == end + timedelta(days=92)
    assert due(live_grant).due_date == interim + timedelta(days=92)
    assert due(live_grant, ReportKind.FINAL).due_date > final
    final_tranche = live_grant.tranches.get(position=2)
    assert final_tranche.planned_date == due(live_grant, ReportKind.FINAL).due_date
    assert AuditEvent.objects.filter(verb="grant.extend").exists()


def test_an_extension_leaves_submitted_and_overdue_reports_where_they_are(
        organisation, ngo, secretariat):
    from tests.grants.implementation.helpers import active_grant

    from .conftest import with_budget

    grant = with_budget(active_grant(organisation, ngo, secretariat, months=12,
                                     start=today() - timedelta(days=200)))
    interim = due(grant)
    assert interim.due_date < today()  # overdue: stays overdue
    amendment_approve(actor=secretariat, amendment=_extension(grant, ngo))
    interim.refresh_from_db()
    assert interim.due_date == grant.start_date + timedelta(days=180)

    fresh = with_budget(active_grant(organisation, ngo, secretariat, months=12))
    report_submit(actor=ngo, grant=fresh, report_due=due(fresh), data=report_data())
    submitted = due(fresh).due_date
    amendment_approve(actor=secretariat, amendment=_extension(fresh, ngo))
    assert due(fresh).due_date == submitted


def test_reminders_follow_the_moved_due_date(live_grant, ngo, secretariat):
    from grants.services.implementation import reports_remind_due

    interim = due(live_grant)
    day = interim.due_date - timedelta(days=3)
    assert reports_remind_due(today=day) == 1
    amendment_approve(actor=secretariat, amendment=_extension(live_grant, ngo))
    assert reports_remind_due(today=day) == 0
    assert reports_remind_due(today=due(live_grant).due_date - timedelta(days=3)) == 1


def test_approving_a_budget_revision_makes_its_lines_the_budget(live_grant, ngo, secretariat):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Rent rose",
                                  budget_lines=lines(direct="25000.00", personnel="25000.00"))
    assert grant_budget_lines(live_grant)[0]["amount_usd"] == Decimal("30000.00")
    amendment_approve(actor=secretariat, amendment=amendment, reason="Rents documented.")
    budget = {x["category"]: x["amount_usd"] for x in grant_budget_lines(live_grant)}
    assert budget == {"direct_assistance": Decimal("25000.00"),
                      "personnel": Decimal("25000.00")}
    decided = Notification.objects.get(kind="amendment_decided")
    assert decided.recipient == ngo and decided.data["status"] == "approved"


def test_only_the_secretariat_decides(live_grant, ngo, board_member):
    amendment = _extension(live_grant, ngo)
    for actor in (ngo, board_member):
        with pytest.raises(NotAllowed):
            amendment_approve(actor=actor, amendment=amendment)
        with pytest.raises(NotAllowed):
            amendment_decline(actor=actor, amendment=amendment, reason="No")


def test_declining_needs_a_reason_and_changes_nothing(live_grant, ngo, secretariat):
    amendment = _extension(live_grant, ngo)
    with pytest.raises(ValidationFailed) as err:
        amendment_decline(actor=secretariat, amendment=amendment, reason="  ")
    assert "reason" in err.value.field_errors
    end = live_grant.end_date
    declined = amendment_decline(actor=secretariat, amendment=amendment,
                                 reason="Report on the floods first.")
    live_grant.refresh_from_db()
    assert declined.status == AmendmentStatus.DECLINED and declined.decided_by == secretariat
    assert live_grant.end_date == end
    assert not live_grant.agreement_versions.exists()
    assert Notification.objects.get(kind="amendment_decided").data["reason"]


def test_a_decided_amendment_is_not_decided_again(live_grant, ngo, secretariat):
    amendment = amendment_approve(actor=secretariat, amendment=_extension(live_grant, ngo))
    with pytest.raises(StateConflict):
        amendment_approve(actor=secretariat, amendment=amendment)
    with pytest.raises(StateConflict):
        amendment_decline(actor=secretariat, amendment=amendment, reason="Too late")


def test_a_revision_on_a_budget_changed_since_is_refused(live_grant, ngo, secretariat):
    big = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                            reason="Rent", budget_lines=lines(direct="25000.00",
                                                              personnel="25000.00"))
    # another revision can only come once this one is decided: simulate a change meanwhile
    live_grant.application.budget_lines.filter(category="personnel").update(
        amount=Decimal("19000.00"))
    with pytest.raises(StateConflict):
        amendment_approve(actor=secretariat, amendment=big)


def test_the_secretariats_queue_holds_the_requests_not_yet_decided(live_grant, ngo,
                                                                   secretariat):
    from grants.selectors.amendments import amendments_awaiting_decision

    first = _extension(live_grant, ngo)
    other = amendment_request(actor=ngo, grant=live_grant, kind="other", reason="Partner",
                              details="Second shelter.")
    assert list(amendments_awaiting_decision()) == [first, other]
    amendment_decline(actor=secretariat, amendment=first, reason="Report first.")
    assert list(amendments_awaiting_decision()) == [other]


def _decision_email(grant):
    from fundapp.notifications.rendering import build_email

    message = build_email(Notification.objects.get(kind="amendment_decided"))
    (html, _mimetype), = message.alternatives
    return message.subject, message.body, html


def test_the_approval_email_says_approved_and_the_new_end_date(live_grant, ngo, secretariat):
    previous = live_grant.end_date
    amendment_approve(actor=secretariat, amendment=_extension(live_grant, ngo))
    live_grant.refresh_from_db()
    subject, text, html = _decision_email(live_grant)
    assert subject == f"[FundApp] Approved: grant {live_grant.agreement_number}"
    from fundapp.core import formatting
    ends = (f"now ends on {formatting.date(live_grant.end_date)} instead of "
            f"{formatting.date(previous)}")
    assert ends in text and ends in html


def test_the_decline_email_says_declined_the_lines_asked_for_and_why(live_grant, ngo,
                                                                   secretariat):
    amendment = amendment_request(actor=ngo, grant=live_grant, kind="budget_revision",
                                  reason="Rent rose",
                                  budget_lines=lines(direct="20000.00", personnel="30000.00"))
    amendment_decline(actor=secretariat, amendment=amendment, reason="Rent not documented.")
    subject, text, html = _decision_email(live_grant)
    assert subject == f"[FundApp] Declined: grant {live_grant.agreement_number}"
    assert "Direct assistance to victims: USD 30,000.00 → USD 20,000.00" in text
    assert "<li>Personnel: USD 20,000.00 → USD 30,000.00</li>" in html
    assert "Reason: Rent not documented." in text and "Reason: Rent not documented." in html
