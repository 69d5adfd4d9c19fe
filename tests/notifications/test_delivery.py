"""Delivery: one e-mail per notification however often the task runs; retries with back-off."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from fundapp.notifications import services
from fundapp.notifications.models import DeliveryState, EmailStatus, Notification
from fundapp.notifications.tasks import deliver_notification
from tests.notifications.backends import FailingBackend, SlowBackend

FAILING = "tests.notifications.backends.FailingBackend"


def test_running_the_delivery_task_twice_sends_one_e_mail(pending):
    n = pending()
    deliver_notification.delay(n.pk)
    deliver_notification.delay(n.pk)
    deliver_notification.apply(args=(n.pk,))
    assert len(mail.outbox) == 1
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.SENT, 1)


def test_the_e_mail_has_a_plain_text_body_and_an_html_alternative(pending, person):
    deliver_notification.delay(pending().pk)
    [message] = mail.outbox
    assert message.subject == "[FundApp] Hope Shelter is verified"
    assert "Dear amina," in message.body
    assert "The fund's secretariat has verified Hope Shelter" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "secretariat has verified Hope Shelter." in html and "<p>" in html
    assert 'href="http://127.0.0.1:8000/organisation/"' in html


def test_plain_text_is_not_html_escaped_and_html_is(pending):
    deliver_notification.delay(pending(organisation="Women & Girls <Aid>").pk)
    [message] = mail.outbox
    assert "Women & Girls <Aid>" in message.body
    assert "Women &amp; Girls &lt;Aid&gt;" in message.alternatives[0][0]


def test_a_person_without_an_e_mail_address_gets_the_in_app_notice_only(pending, person):
    person.email = ""
    person.save()
    n = pending()
    deliver_notification.delay(n.pk)
    n.refresh_from_db()
    assert (n.state, n.email_status) == (DeliveryState.SENT, EmailStatus.SKIPPED)
    assert mail.outbox == []


def test_a_connection_error_leaves_the_notification_pending_with_a_backed_off_retry(
        pending, settings):
    settings.EMAIL_BACKEND = FAILING
    n = pending()
    with pytest.raises(services.DeliveryDeferred) as deferred:
        services.notification_deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert n.state == DeliveryState.PENDING
    assert n.attempts == 1
    assert n.last_error.startswith("SMTPServerDisconnected: Connection unexpectedly closed")
    assert deferred.value.countdown >= services.BACKOFF_BASE_SECONDS
    assert n.next_attempt_at > n.updated_at + timedelta(seconds=deferred.value.countdown)


def test_the_task_asks_celery_to_retry_on_a_connection_error(pending, settings, monkeypatch):
    settings.EMAIL_BACKEND = FAILING
    retries = []

    def fake_retry(*, exc, countdown):
        retries.append((type(exc), countdown))
        return RuntimeError("retry scheduled")

    monkeypatch.setattr(deliver_notification, "retry", fake_retry)
    n = pending()
    with pytest.raises(RuntimeError, match="retry scheduled"):
        deliver_notification(n.pk)  # as a worker runs it (not eagerly)
    assert retries and retries[0][0] is smtplib.SMTPServerDisconnected


def test_back_off_doubles_up_to_a_ceiling():
    delays = [services.backoff_seconds(a) for a in range(1, 10)]
    assert delays[0] >= 60 and 120 <= delays[1] < 240 and 240 <= delays[2] < 480
    assert max(delays) <= services.BACKOFF_MAX_SECONDS * 1.1


def test_after_the_last_attempt_the_notification_fails_with_its_reason(pending, settings):
    settings.EMAIL_BACKEND = FAILING
    n = pending()
    Notification.objects.filter(pk=n.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    deliver_notification.delay(n.pk)
    n.refresh_from_db()
    assert n.state == DeliveryState.FAILED
    assert n.attempts == services.MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in n.last_error
    assert n.next_attempt_at is None


def test_a_refused_address_fails_at_once(pending, settings, monkeypatch):
    settings.EMAIL_BACKEND = FAILING
    monkeypatch.setattr(FailingBackend, "error", smtplib.SMTPRecipientsRefused(
        {"amina@example.org": (550, b"No such user")}))
    n = pending()
    deliver_notification.delay(n.pk)
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.FAILED, 1)
    assert "SMTPRecipientsRefused" in n.last_error


def test_a_message_that_cannot_be_rendered_fails_with_the_reason(pending, monkeypatch):
    n = pending()
    Notification.objects.filter(pk=n.pk).update(kind="kind_removed_since")
    deliver_notification.delay(n.pk)
    n.refresh_from_db()
    assert n.state == DeliveryState.FAILED
    assert "KeyError" in n.last_error
    assert mail.outbox == []


def test_a_failed_notification_is_not_sent_by_a_late_duplicate_task(pending):
    n = pending()
    Notification.objects.filter(pk=n.pk).update(state=DeliveryState.FAILED)
    deliver_notification.delay(n.pk)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_one_e_mail(person, settings):
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
            connection.settings_dict["NAME"]):
        pytest.skip("threads need a database file or PostgreSQL to share the test database")
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    SlowBackend.calls = 0
    n = Notification.objects.create(recipient=person, kind="organisation_verified",
                                    data={"organisation": "Hope Shelter"})  # not dispatched

    def work():
        try:
            services.notification_deliver(notification_id=n.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert SlowBackend.calls == 1
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.SENT, 1)
