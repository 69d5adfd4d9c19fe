"""Reminders 3 days and 1 day before the due date, once each; the overdue flag and list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.notifications.models import Notification
from grants.selectors.applications import get_application_for
from grants.selectors.information import information_requests_overdue
from grants.services.applications import application_submit
from grants.services.information import information_requests_remind
from grants.tasks import send_information_reminders

pytestmark = pytest.mark.django_db


def reminders():
    return Notification.objects.filter(kind="information_reminder")


def test_a_reminder_three_days_before_then_one_day_before(asked, ngo):
    due = asked.information_requests.get().due_on
    assert information_requests_remind(today=due - timedelta(days=5)) == 0
    assert information_requests_remind(today=due - timedelta(days=3)) == 1
    assert information_requests_remind(today=due - timedelta(days=2)) == 0
    assert information_requests_remind(today=due - timedelta(days=1)) == 1
    assert information_requests_remind(today=due) == 0
    assert [n.data["days"] for n in reminders().order_by("id")] == [3, 1]


def test_reminders_go_out_once_however_often_the_task_runs(asked):
    due = asked.information_requests.get().due_on
    for _ in range(3):
        information_requests_remind(today=due - timedelta(days=3))
    assert reminders().count() == 1


def test_the_task_calls_the_service(asked):
    request = asked.information_requests.get()
    request.due_on = timezone.localdate() + timedelta(days=3)
    request.save()
    type(request).objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - timedelta(days=4))
    assert send_information_reminders() == 1


def test_a_short_request_skips_the_reminder_whose_window_it_was_made_in(submitted,
                                                                       secretariat, ngo):
    from grants.services.information import information_request

    due = timezone.localdate() + timedelta(days=2)
    information_request(actor=secretariat, application=submitted, message="Quick one.",
                        due_on=due)
    assert information_requests_remind() == 0
    assert information_requests_remind(today=due - timedelta(days=1)) == 1


def test_an_answered_request_is_not_reminded(asked, ngo):
    application_submit(actor=ngo, application=asked)
    due = asked.information_requests.get().due_on
    assert information_requests_remind(today=due - timedelta(days=1)) == 0


def test_an_unanswered_request_past_its_date_is_overdue(asked, ngo, secretariat):
    request = asked.information_requests.get()
    assert not request.is_overdue and list(information_requests_overdue()) == []
    request.due_on = timezone.localdate() - timedelta(days=1)
    request.save()
    request.refresh_from_db()
    assert request.is_overdue
    assert list(information_requests_overdue()) == [request]
    assert get_application_for(secretariat, asked.pk).information_overdue
    application_submit(actor=ngo, application=asked)
    assert list(information_requests_overdue()) == []
