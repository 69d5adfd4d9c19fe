"""The outbox: rows are written in the event's transaction and leave only after commit."""

import pytest
from django.core import mail
from django.db import transaction

from fundapp.notifications.models import DeliveryState, EmailStatus, Notification
from fundapp.notifications.services import notify


def test_a_notification_is_written_pending_and_e_mailed_after_commit(person, committed):
    with committed():
        [n] = notify(recipients=[person], kind="organisation_verified",
                     data={"organisation": "Hope Shelter", "url": "/organisation/"})
        assert mail.outbox == []  # nothing leaves before the commit
    n.refresh_from_db()
    assert (n.state, n.email_status, n.attempts) == (DeliveryState.SENT, EmailStatus.SENT, 1)
    assert n.sent_at is not None and n.next_attempt_at is None
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_rolled_back_event_leaves_no_notification_and_sends_nothing(
        person, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            notify(recipients=[person], kind="organisation_verified",
                   data={"organisation": "Hope Shelter"})
            raise Boom
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_row_records_recipient_target_language_and_data(person, french_person):
    rows = notify(recipients=[person, french_person, person], kind="organisation_verified",
                  target=person, data={"organisation": "Hope Shelter"})
    assert sorted((n.recipient.username, n.language) for n in rows) == [
        ("amina", "en"), ("claire", "fr")]
    n = rows[0]
    assert n.target_type.model == "user" and n.target_id == str(person.pk)
    assert n.data == {"organisation": "Hope Shelter"}
    assert n.state == DeliveryState.PENDING and n.next_attempt_at > n.created_at


def test_a_dedupe_key_notifies_each_person_once(person, french_person):
    first = notify(recipients=[person], kind="call_deadline_reminder", dedupe_key="k1")
    again = notify(recipients=[person, french_person], kind="call_deadline_reminder",
                   dedupe_key="k1")
    assert len(first) == 1
    assert [n.recipient for n in again] == [french_person]
    assert Notification.objects.count() == 2


def test_an_unknown_kind_is_a_programming_error(person):
    with pytest.raises(ValueError, match="register it"):
        notify(recipients=[person], kind="no_such_event")


def test_a_broker_error_at_dispatch_is_logged_not_raised(pending, monkeypatch, caplog):
    from kombu.exceptions import OperationalError

    from fundapp.notifications import services
    from fundapp.notifications.tasks import deliver_notification, deliver_notifications

    calls = []

    def broker_down(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(deliver_notification, "apply_async", broker_down)
    monkeypatch.setattr(deliver_notifications, "apply_async", broker_down)
    monkeypatch.setattr(services, "DISPATCH_BATCH", 2)
    ids = [pending().pk, pending().pk, pending().pk]
    assert services.dispatch(ids) == 0
    assert len(calls) == 1  # the first failure stops the loop: the sweep will catch up
    assert "3 notification(s) left for the sweep" in caplog.text
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.PENDING}


def test_a_fan_out_is_published_in_batches(pending, monkeypatch):
    from fundapp.notifications import services
    from fundapp.notifications.tasks import deliver_notification, deliver_notifications

    published = []
    monkeypatch.setattr(deliver_notifications, "apply_async",
                        lambda args, **kw: published.append(("batch", list(args[0]))))
    monkeypatch.setattr(deliver_notification, "apply_async",
                        lambda args, **kw: published.append(("one", [args[0]])))
    monkeypatch.setattr(services, "DISPATCH_BATCH", 3)
    ids = [pending().pk for _ in range(7)]
    assert services.dispatch(ids) == 7
    assert published == [("batch", ids[0:3]), ("batch", ids[3:6]), ("one", ids[6:7])]


def test_a_batch_delivers_each_row_once_and_retries_only_the_deferred(pending, monkeypatch):
    from fundapp.notifications import services
    from fundapp.notifications.tasks import deliver_notification, deliver_notifications

    rows = [pending(), pending(), pending()]
    real = services.notification_deliver

    def flaky(*, notification_id):
        if notification_id == rows[1].pk:
            raise services.DeliveryDeferred(ConnectionError("SMTP down"), 30)
        real(notification_id=notification_id)

    retried = []
    monkeypatch.setattr(services, "notification_deliver", flaky)
    monkeypatch.setattr(deliver_notification, "apply_async",
                        lambda args, countdown=None, **kw: retried.append((args, countdown)))
    from django.core import mail

    deliver_notifications([r.pk for r in rows])  # as a worker runs it (not eagerly)
    deliver_notifications([rows[0].pk, rows[2].pk])  # a message delivered twice
    assert len(mail.outbox) == 2
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states[rows[0].pk] == states[rows[2].pk] == DeliveryState.SENT
    assert states[rows[1].pk] == DeliveryState.PENDING
    assert retried == [((rows[1].pk,), 30)]
