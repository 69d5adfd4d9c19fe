"""Asking: who may, from which states, the due date, one open request, what it stores and
whom it notifies."""

import pytest

from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.models import AuditEvent
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, InformationRequest
from grants.services.information import information_request

from .conftest import in_days

pytestmark = pytest.mark.django_db


def ask(actor, app, days=7, message="Please upload the audited accounts."):
    return information_request(actor=actor, application=app, message=message,
                               due_on=in_days(days))


@pytest.mark.parametrize("state", [ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING,
                                   ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW])
def test_the_secretariat_asks_from_each_state_before_ranking(submitted, secretariat, state):
    submitted.status = state
    submitted.save()
    request = ask(secretariat, submitted)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.INFORMATION_REQUESTED
    assert request.returns_to == state
    assert request.requested_by == secretariat and request.is_open


@pytest.mark.parametrize("state", [ApplicationStatus.DRAFT, ApplicationStatus.RANKED,
                                   ApplicationStatus.RECOMMENDED, ApplicationStatus.APPROVED,
                                   ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN])
def test_asking_in_other_states_is_a_conflict(submitted, secretariat, state):
    submitted.status = state
    submitted.save()
    with pytest.raises(StateConflict):
        ask(secretariat, submitted)
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("who", ["ngo", "reviewer", "board_member", "donor", "other_ngo"])
def test_only_the_secretariat_may_ask(request, submitted, who):
    with pytest.raises(NotAllowed):
        ask(request.getfixturevalue(who), submitted)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("days", [0, -3])
def test_the_due_date_must_be_in_the_future(submitted, secretariat, days):
    with pytest.raises(ValidationFailed) as exc:
        ask(secretariat, submitted, days=days)
    assert "due_on" in exc.value.field_errors


def test_a_message_is_required(submitted, secretariat):
    with pytest.raises(ValidationFailed) as exc:
        ask(secretariat, submitted, message="   ")
    assert "message" in exc.value.field_errors


def test_one_open_request_at_a_time(asked, secretariat):
    with pytest.raises(StateConflict):
        ask(secretariat, asked)
    assert InformationRequest.objects.filter(application=asked).count() == 1


def test_the_snapshot_holds_fields_lines_priorities_and_attachments(asked):
    snapshot = asked.information_requests.get().snapshot
    assert snapshot["title"] == asked.title
    assert snapshot["requested_usd"] == "50000.00"
    assert snapshot["countries"] == ["NG"]
    assert [line["amount"] for line in snapshot["budget_lines"]] == ["30000.00", "20000.00"]
    assert list(snapshot["priorities"]) == ["armed-conflict"]
    assert [a["name"] for a in snapshot["attachments"]] == ["certificate.pdf"]


def test_every_member_is_notified_with_what_and_when(submitted, secretariat, ngo, editor,
                                                     viewer, other_ngo):
    ask(secretariat, submitted, message="Explain the rent line.")
    notes = Notification.objects.filter(kind="information_requested")
    assert {n.recipient for n in notes} == {ngo, editor, viewer}
    assert notes[0].data["message"] == "Explain the rent line."
    assert notes[0].data["due_on"] == in_days(7).isoformat()


def test_asking_is_audited(asked, secretariat):
    entry = AuditEvent.objects.get(verb="application.request_information")
    assert entry.actor == secretariat
    assert entry.after["status"] == ApplicationStatus.INFORMATION_REQUESTED
