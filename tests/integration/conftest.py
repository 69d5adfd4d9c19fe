"""Fixtures for tests that run real Redis and real Celery workers.

The worker is another process, so it must reach the test database: on SQLite the test
database becomes a file (set below, before pytest-django creates it), on PostgreSQL the
worker is given the test database's name. Tests using the worker must be
``@pytest.mark.django_db(transaction=True)`` so their data is committed where it can see it.
"""

import atexit
import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from kombu import pools as kombu_pools

from fundapp.celery import app as celery_app

from .processes import database_url, redis_server, start_worker, stop, worker_environment


def _file_database_on_sqlite() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        test = database.setdefault("TEST", {})
        if not test.get("NAME") or str(test["NAME"]).startswith(":memory:"):
            folder = Path(tempfile.mkdtemp(prefix="fundapp-test-db-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            test["NAME"] = str(folder / "test.sqlite3")


_file_database_on_sqlite()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL when the environment gives one (CI does), else a private redis-server."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    try:
        with redis_server(tmp_path_factory.mktemp("redis")) as url:
            yield url
    except FileNotFoundError:
        pytest.skip("redis-server is not installed and REDIS_URL is not set")


@pytest.fixture
def queue_name():
    """A queue of our own, so that other workers on the same Redis never take our tasks."""
    return f"fundapp-test-{uuid.uuid4().hex[:12]}"


def _reset_producers() -> None:
    kombu_pools.reset()  # closes and forgets every broker connection of this process
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)  # queues and producer pool follow the new conf


@contextmanager
def celery_broker(url: str, queue: str):
    """Point this process's Celery app at ``url`` for real (not eager) publishing."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_producers()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _reset_producers()


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def celery_worker(transactional_db, redis_url, queue_name, mail_dir, tmp_path):
    """A real ``celery -A fundapp worker`` on our queue, sharing the test database."""
    from django.db import connection

    env = worker_environment(database=database_url(connection.settings_dict), broker=redis_url,
                             queue=queue_name, mail_dir=mail_dir)
    log = tmp_path / "worker.log"
    process = start_worker(env, log)
    try:
        with celery_broker(redis_url, queue_name):
            yield process
    finally:
        stop(process)
        _delete_queue(redis_url, queue_name)
        print(f"--- worker log ---\n{log.read_text()[-4000:]}")


def _delete_queue(url: str, queue: str) -> None:
    """Leave no trace of our private queue (kombu keeps its bindings in Redis keys)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
