"""The periodic sweep dispatches again what the broker never took, and only that."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from fundapp.notifications import services
from fundapp.notifications.models import DeliveryState, EmailStatus, Notification
from fundapp.notifications.tasks import sweep_pending

LATER = timedelta(minutes=6)


def test_a_notification_still_pending_after_a_few_minutes_is_delivered_by_the_sweep(pending):
    n = pending()  # written, but its dispatch never reached a worker
    assert services.notifications_sweep() == 0  # too early: its own dispatch may be on the way
    assert services.notifications_sweep(now=timezone.now() + LATER) == 1
    n.refresh_from_db()
    assert n.state == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_the_sweep_run_again_sends_nothing_more(pending):
    pending()
    for minutes in (6, 12, 60):
        services.notifications_sweep(now=timezone.now() + timedelta(minutes=minutes))
    assert len(mail.outbox) == 1


def test_the_beat_task_sweeps(pending):
    n = pending()
    Notification.objects.filter(pk=n.pk).update(next_attempt_at=timezone.now())
    assert sweep_pending.delay().get() == 1
    assert len(mail.outbox) == 1


def test_a_retryable_failure_is_swept_only_once_its_next_attempt_is_due(pending, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"
    n = pending()
    services.notifications_sweep(now=timezone.now() + LATER)  # fails: pending, backing off
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.PENDING, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notifications_sweep(now=n.next_attempt_at - timedelta(seconds=1)) == 0
    assert services.notifications_sweep(now=n.next_attempt_at) == 1
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.SENT, 2)
    assert len(mail.outbox) == 1


def test_failed_sent_and_digest_rows_are_left_alone(pending, person):
    later = timezone.now() + timedelta(days=1)
    for state, email_status in ((DeliveryState.FAILED, EmailStatus.WAITING),
                                (DeliveryState.SENT, EmailStatus.SENT),
                                (DeliveryState.PENDING, EmailStatus.DIGEST)):
        n = pending()
        Notification.objects.filter(pk=n.pk).update(
            state=state, email_status=email_status, sent_at=timezone.now(),
            next_attempt_at=None if email_status == EmailStatus.DIGEST else n.next_attempt_at)
    assert services.notifications_sweep(now=later) == 0
    assert mail.outbox == []


def test_a_dispatched_row_is_leased_so_a_slow_queue_is_not_flooded(pending, monkeypatch):
    monkeypatch.setattr(services, "dispatch", lambda ids: 0)  # the broker swallows it
    pending()
    now = timezone.now() + LATER
    assert services.notifications_sweep(now=now) == 1
    assert services.notifications_sweep(now=now + timedelta(minutes=1)) == 0
    assert services.notifications_sweep(now=now + LATER) == 1
