"""Redis down when the event happens: the event commits, its notifications wait in the
outbox, and once Redis is back the periodic sweep delivers each exactly once."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from fundapp.notifications.models import DeliveryState, Notification
from fundapp.notifications.services import notifications_sweep
from grants.models import Application, ApplicationStatus
from grants.services.applications import application_submit
from tests.factories import complete_application

from .conftest import celery_broker
from .processes import mails_in, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
UNREACHABLE = "redis://127.0.0.1:1/0"


def submit_while_redis_is_down(ngo, organisation, queue_name, caplog):
    draft = complete_application(organisation=organisation)
    with celery_broker(UNREACHABLE, queue_name), caplog.at_level(logging.WARNING):
        app = application_submit(actor=ngo, application=draft)
    assert "Broker unavailable" in caplog.text
    return app


def test_the_event_commits_and_its_notifications_stay_pending(
        ngo, organisation, secretariat, queue_name, caplog):
    app = submit_while_redis_is_down(ngo, organisation, queue_name, caplog)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED
    rows = Notification.objects.all()
    assert {(n.recipient.username, n.state) for n in rows} == {
        ("ngo", DeliveryState.PENDING), ("sec", DeliveryState.PENDING)}
    assert mail.outbox == []


@pytest.mark.worker
def test_once_redis_is_back_the_sweep_delivers_each_notification_exactly_once(
        ngo, organisation, secretariat, queue_name, caplog, celery_worker, mail_dir):
    app = submit_while_redis_is_down(ngo, organisation, queue_name, caplog)
    assert not Notification.objects.exclude(state=DeliveryState.PENDING).exists()

    later = timezone.now() + timedelta(minutes=6)
    assert notifications_sweep(now=later) == 2
    assert notifications_sweep(now=later + timedelta(minutes=6)) == 2  # dispatched twice

    wait_for(lambda: not Notification.objects.filter(state=DeliveryState.PENDING).exists(),
             timeout=30, what="the worker to deliver")
    wait_for(lambda: len(mails_in(mail_dir)) >= 2, timeout=10, what="the e-mail files")
    notifications_sweep(now=later + timedelta(hours=1))  # nothing left to send
    messages = mails_in(mail_dir)
    assert sorted(m["To"] for m in messages) == sorted([ngo.email, secretariat.email])
    assert any(app.reference in m["Subject"] for m in messages)
    assert set(Notification.objects.values_list("state", "attempts")) == {
        (DeliveryState.SENT, 1)}
