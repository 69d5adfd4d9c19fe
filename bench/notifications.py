"""Benchmark: enqueue N notifications and deliver them through a real Celery worker.

    .venv/bin/python bench/notifications.py [--count 10000] [--concurrency 4] [--pool prefork]

Uses REDIS_URL when set, else starts a private redis-server. Uses a throw-away database:
a temporary SQLite file, or, when DATABASE_URL names PostgreSQL, a fresh database created
next to it and dropped afterwards. E-mails go to files in a temporary folder. Prints the
notifications delivered per second and the worker's peak memory (RSS, VmHWM).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import Result, add_json_argument, emit, stats  # noqa: E402
from tests.integration.processes import (  # noqa: E402
    children,
    peak_rss_kib,
    redis_server,
    start_worker,
    stop,
    worker_environment,
)

# --json: the targets (delivered per worker process; enqueueing 10,000).
PER_PROCESS_PER_S, ENQUEUE_S = 400, 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=600)
    add_json_argument(parser)
    return parser.parse_args()


@contextmanager
def throwaway_database(workdir: Path):
    """Yield a DATABASE_URL for a database that exists only for this run."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    name = f"fundapp_bench_{uuid.uuid4().hex[:8]}"
    admin = dict(host=config.get("HOST") or None, port=config.get("PORT") or None,
                 user=config.get("USER") or None, password=config.get("PASSWORD") or None,
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_memory(pid: int) -> dict[str, int]:
    """Peak RSS so far (KiB) of the worker's main process and of its pool children."""
    try:
        kids = children(pid)
        return {"main": peak_rss_kib(pid), **{str(k): peak_rss_kib(k) for k in kids}}
    except (FileNotFoundError, ProcessLookupError):
        return {}


def enqueue(count: int, users: int) -> float:
    """Write ``count`` outbox rows in one transaction; their dispatch runs on commit."""
    from django.db import transaction

    from fundapp.accounts.models import User
    from fundapp.notifications.services import notify

    people = User.objects.bulk_create([
        User(username=f"bench{i}", email=f"bench{i}@example.org",
             language="fr" if i % 2 else "en") for i in range(users)])
    rounds = count // users
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(rounds):
            notify(recipients=people, kind="organisation_verified",
                   data={"organisation": f"Organisation {i}", "url": "/organisation/"})
    return time.perf_counter() - started


def count_sent() -> int:
    from fundapp.notifications.models import DeliveryState, Notification

    return Notification.objects.filter(state=DeliveryState.SENT).count()


def count_mails(folder: Path) -> int:
    separator = b"\n" + b"-" * 79 + b"\n"
    return sum(p.read_bytes().count(separator) for p in folder.glob("*.log"))


def run(args, stack: ExitStack) -> None:
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fundapp-bench-")))
    if os.environ.get("BENCH_KEEP_LOG"):
        stack.callback(lambda: shutil.copy(workdir / "worker.log", os.environ["BENCH_KEEP_LOG"]))
    mail_dir = workdir / "mail"
    mail_dir.mkdir()
    broker = os.environ.get("REDIS_URL") or stack.enter_context(redis_server(workdir / "redis"))
    database = stack.enter_context(throwaway_database(workdir))
    queue = f"fundapp-bench-{uuid.uuid4().hex[:8]}"
    env = worker_environment(database=database, broker=broker, queue=queue, mail_dir=mail_dir)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "CELERY_QUEUE",
                                           "SECRET_KEY", "EMAIL_BACKEND", "EMAIL_FILE_PATH")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    extra = [f"--pool={args.pool}"] + ([f"--concurrency={args.concurrency}"]
                                       if args.pool != "solo" else [])
    worker = start_worker(env, workdir / "worker.log", *extra)
    stack.callback(stop, worker)
    stack.callback(connections.close_all)
    idle = worker_memory(worker.pid)

    started = time.perf_counter()
    enqueue_seconds = enqueue(args.count, args.users)
    expected = args.count // args.users * args.users
    peaks: dict[str, int] = {}
    deadline = started + args.timeout
    while (sent := count_sent()) < expected and time.perf_counter() < deadline:
        for key, value in worker_memory(worker.pid).items():
            peaks[key] = max(peaks.get(key, 0), value)
        time.sleep(0.25)
    elapsed = time.perf_counter() - started
    for key, value in worker_memory(worker.pid).items():
        peaks[key] = max(peaks.get(key, 0), value)
    report(args, database, expected, sent, enqueue_seconds, elapsed, idle, peaks,
           count_mails(mail_dir))


def report(args, database, expected, sent, enqueue_seconds, elapsed, idle, peaks, mails):
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    pool = args.pool + ("" if args.pool == "solo" else f" x{args.concurrency}")
    children_peak = [v for k, v in peaks.items() if k != "main"]
    emit(args.json, figures(args, engine, pool, expected, sent, mails, enqueue_seconds,
                            elapsed, peaks))
    print(f"database: {engine}; worker pool: {pool}; e-mail: file backend")
    print(f"notifications: {expected} enqueued, {sent} delivered, {mails} e-mails written")
    print(f"enqueue (outbox rows + commit + publish to Redis): {enqueue_seconds:.2f} s")
    print(f"end to end: {elapsed:.2f} s -> {sent / elapsed:.0f} notifications/second")
    print(f"worker peak RSS: main {peaks.get('main', 0) / 1024:.0f} MiB"
          + (f", pool children max {max(children_peak) / 1024:.0f} MiB, total "
             f"{sum(peaks.values()) / 1024:.0f} MiB" if children_peak else "")
          + f" (idle: {sum(idle.values()) / 1024:.0f} MiB)")
    if sent < expected or mails != sent:
        sys.exit("Not every notification was delivered exactly once.")


def figures(args, engine, pool, expected, sent, mails, enqueue_seconds, elapsed, peaks):
    """The shared shape of bench/report.py, for `make bench`'s one table."""
    processes = args.concurrency if args.pool == "prefork" else 1
    size = f"{expected:,} notifications, {engine}, {pool}"
    complete = sent == expected and mails == sent
    rate = sent / elapsed / processes
    missing = "" if complete else f"; {sent:,} delivered, {mails:,} e-mails: NOT exactly once"
    return [
        Result("notifications", "enqueue (outbox rows + commit + publish to Redis)", size,
               unit="s", target=f"< {ENQUEUE_S} s", met=enqueue_seconds < ENQUEUE_S,
               **stats([enqueue_seconds])),
        Result("notifications", "delivered per worker process (end to end)", size,
               unit="per s", target=f"≥ {PER_PROCESS_PER_S} per s",
               met=complete and rate >= PER_PROCESS_PER_S,
               note=f"{sent / elapsed:,.0f} per s over {processes} process"
                    f"{'es' if processes > 1 else ''} in {elapsed:.1f} s; worker peak RSS "
                    f"{sum(peaks.values()) / 1024:.0f} MiB{missing}",
               **stats([rate])),
    ]


def main() -> None:
    if shutil.which("redis-server") is None and not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL or install redis-server.")
    with ExitStack() as stack:
        run(parse_args(), stack)


if __name__ == "__main__":
    main()
