"""Notifications created while the broker is down go out within a minute of its return,
without beat: the worker sweeps stranded rows when it starts and when it reconnects, and
each one is still e-mailed exactly once."""

import logging
import shutil

import pytest
from django.db import connection

from fundapp.notifications.models import DeliveryState, Notification
from grants.services.applications import application_submit
from tests.factories import complete_application

from .conftest import _delete_queue, celery_broker
from .processes import (
    database_url,
    free_port,
    mails_in,
    redis_server,
    start_worker,
    stop,
    wait_for,
    worker_environment,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed")]
BACK_WITHIN = 60  # seconds, as issue 11 asks


def submit_while_down(url, organisation, ngo, queue_name, caplog, count=3):
    """``count`` submissions while ``url`` refuses connections: 2 rows each, none queued."""
    with celery_broker(url, queue_name), caplog.at_level(logging.WARNING):
        apps = [application_submit(actor=ngo,
                                   application=complete_application(organisation=organisation))
                for _ in range(count)]
    assert "Broker unavailable" in caplog.text
    assert Notification.objects.count() == 2 * count
    assert set(Notification.objects.values_list("state", "attempts")) == {
        (DeliveryState.PENDING, 0)}
    return apps


def assert_each_delivered_once(mail_dir, apps, ngo, secretariat):
    wait_for(lambda: not Notification.objects.filter(state=DeliveryState.PENDING).exists(),
             timeout=BACK_WITHIN, what="the worker to deliver the stranded notifications")
    wait_for(lambda: len(mails_in(mail_dir)) >= 2 * len(apps), timeout=10,
             what="the e-mail files")
    messages = mails_in(mail_dir)
    assert len(messages) == 2 * len(apps)
    assert sorted(m["To"] for m in messages) == sorted(
        [ngo.email, secretariat.email] * len(apps))
    for app in apps:
        assert sum(app.reference in m["Subject"] for m in messages) == 2
    assert set(Notification.objects.values_list("state", "attempts")) == {
        (DeliveryState.SENT, 1)}


def test_a_worker_starting_after_the_outage_sends_what_waited(
        tmp_path, ngo, organisation, secretariat, queue_name, mail_dir, caplog):
    port = free_port()
    apps = submit_while_down(f"redis://127.0.0.1:{port}/0", organisation, ngo, queue_name,
                             caplog)
    with redis_server(tmp_path / "redis", port=port) as url:
        env = worker_environment(database=database_url(connection.settings_dict),
                                 broker=url, queue=queue_name, mail_dir=mail_dir)
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            assert_each_delivered_once(mail_dir, apps, ngo, secretariat)
        finally:
            stop(worker)
            _delete_queue(url, queue_name)
            print((tmp_path / "worker.log").read_text()[-4000:])


def test_a_running_worker_sends_what_waited_once_the_broker_is_back(
        tmp_path, ngo, organisation, secretariat, queue_name, mail_dir, caplog):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    log = tmp_path / "worker.log"
    with redis_server(tmp_path / "redis", port=port):
        env = worker_environment(database=database_url(connection.settings_dict),
                                 broker=url, queue=queue_name, mail_dir=mail_dir)
        worker = start_worker(env, log)
    try:
        # The broker is gone (and with it any message it held); the worker keeps retrying.
        wait_for(lambda: b"Connection to broker lost" in log.read_bytes()
                 or b"Cannot connect" in log.read_bytes(), timeout=30,
                 what="the worker to notice the broker is gone")
        apps = submit_while_down(url, organisation, ngo, queue_name, caplog)
        with redis_server(tmp_path / "redis", port=port):
            assert_each_delivered_once(mail_dir, apps, ngo, secretariat)
            assert log.read_text().count("Queued a sweep of stranded notifications") >= 2
            _delete_queue(url, queue_name)
    finally:
        stop(worker)
        print(log.read_text()[-4000:])
