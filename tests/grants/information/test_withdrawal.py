"""Withdrawing an application that awaits information closes the request: it no longer
counts as open or overdue, reminders stop, and the audit trail says why."""

from datetime import timedelta

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, InformationRequest
from grants.services.applications import application_withdraw
from grants.services.information import information_requests_remind

pytestmark = pytest.mark.django_db


def test_withdrawing_closes_the_open_request(asked, ngo):
    assert asked.status == ApplicationStatus.INFORMATION_REQUESTED
    application_withdraw(actor=ngo, application=asked, reason="Merged with a partner's")
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.WITHDRAWN
    request = InformationRequest.objects.get(application=asked)
    assert not request.is_open and not request.is_overdue
    assert request.answered_by == ngo and request.changes == []
    events = {e.verb: e for e in audit_trail_for(asked)}
    assert events["application.information_closed"].after == {
        "information_request": request.pk, "open": False}


def test_no_reminder_follows_a_withdrawn_application(asked, ngo):
    application_withdraw(actor=ngo, application=asked)
    request = InformationRequest.objects.get(application=asked)
    information_requests_remind(today=request.due_on - timedelta(days=1))
    assert not Notification.objects.filter(kind="information_reminder").exists()


def test_withdrawing_without_a_request_closes_nothing(submitted, ngo):
    application_withdraw(actor=ngo, application=submitted)
    assert not InformationRequest.objects.exists()
    assert "application.information_closed" not in {
        e.verb for e in audit_trail_for(submitted)}
