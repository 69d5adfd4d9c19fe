from datetime import timedelta

from fundapp.notifications.models import Notification
from grants.services.implementation import reports_remind_due
from grants.tasks import send_report_reminders
from tests.grants.implementation.helpers import active_grant, today


def test_due_and_overdue_reminders_are_sent_once_each(organisation, ngo, secretariat):
    active_grant(organisation, ngo, secretariat, start=today() - timedelta(days=170))
    assert reports_remind_due() == 1
    assert reports_remind_due() == 0
    assert send_report_reminders() == 0
    assert Notification.objects.filter(kind="report_due").count() == 1
    later = today() + timedelta(days=30)
    assert reports_remind_due(later) == 1
    assert reports_remind_due(later) == 0
    assert Notification.objects.filter(kind="report_overdue").count() == 1
