from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.notifications.models import Notification
from grants.models import ReviewStatus
from grants.tasks import send_review_reminders
from grants.services.reviews import reviews_remind_pending
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_assignment(open_call):
    app = eligible_application(call=open_call)
    return assign(app, make_reviewer("slow"), assigned_at=timezone.now() - timedelta(days=8))


def reminders():
    return Notification.objects.filter(kind="review_reminder")


def test_a_review_pending_for_a_week_is_reminded_once(old_assignment):
    assert send_review_reminders() == 1
    assert send_review_reminders() == 0  # idempotent: not again the same week
    assert reminders().get().recipient == old_assignment.reviewer


def test_a_week_later_it_is_reminded_again(old_assignment):
    reviews_remind_pending()
    assert reviews_remind_pending(now=timezone.now() + timedelta(days=7, minutes=1)) == 1
    old_assignment.refresh_from_db()
    assert old_assignment.reminders_sent == 2


def test_recent_submitted_and_conflicted_reviews_are_not_reminded(open_call):
    app = eligible_application(call=open_call)
    assign(app, make_reviewer("fresh"))
    week_ago = timezone.now() - timedelta(days=8)
    done = assign(app, make_reviewer("done"), status=ReviewStatus.DRAFT, assigned_at=week_ago)
    scored(done, submitted=True)
    assign(app, make_reviewer("conflicted"), status=ReviewStatus.CONFLICT, assigned_at=week_ago)
    assert reviews_remind_pending() == 0


def test_the_secretariat_can_remind_at_once(secretariat, open_call):
    app = eligible_application(call=open_call)
    assign(app, make_reviewer("fresh"), status=ReviewStatus.DRAFT)
    assert reviews_remind_pending(actor=secretariat, call=open_call, force=True) == 1
    assert reminders().get().data["declared"] is True
