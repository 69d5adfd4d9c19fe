#!/usr/bin/env python
"""Requests per second under gunicorn, each page beside the floor of the same stack.

    python bench/gunicorn_floor.py [--applications 5000] [--seconds 10] [--concurrency 8]
                                   [--workers N] [--keep]

The README's production command (``gunicorn fundapp.wsgi --workers 2×cores --no-control-
socket``, DEBUG off, static files collected, WhiteNoise) serves a real PostgreSQL database
that this script creates and drops (``fundapp_bench_floor``, on the server of DATABASE_URL
if it names one; ``--keep`` leaves it). It is seeded like ``bench/home_pages.py`` (the
applications of ``bench/data.py``, grants, reviews, a Board member, a donor with
contributions and pledges), each role gets a session, and ``bench/load.py`` runs a bounded
load against one URL at a time from a separate process: the login page first (no query
beyond the session: the floor), then the secretariat's applications list and each role's
home page. It prints requests per second and their share of the floor side by side.

Target (issue 16): the secretariat list and each home page ≥ 30 % of the floor.
Without Redis (no REDIS_URL) the cache is per worker, as the embedded default has it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Its own database on the server DATABASE_URL names (never that database itself: this
# script drops what it creates).
_SERVER = urlsplit(os.environ.get("DATABASE_URL", "") or "postgres://postgres@127.0.0.1:5432/")
if not _SERVER.scheme.startswith("postgres"):
    _SERVER = urlsplit("postgres://postgres@127.0.0.1:5432/")
DATABASE_URL = urlunsplit(_SERVER._replace(path="/fundapp_bench_floor", query=""))
STATIC_ROOT = tempfile.mkdtemp(prefix="fundapp-bench-static-")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "fundapp.settings", "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret-" + "0123456789abcdef" * 3,
    "SECURE_SSL_REDIRECT": "0", "AXES_ENABLED": "0", "MFA_ENFORCED": "0",
    "LOG_LEVEL": "ERROR", "STATIC_ROOT": STATIC_ROOT, "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
for _key, _value in SERVER_ENV.items():
    os.environ[_key] = _value
os.environ.pop("REDIS_URL", None)
FLOOR_SHARE = 30  # %


def _admin_url() -> tuple[str, str]:
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database() -> None:
    import psycopg

    admin, name = _admin_url()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    import psycopg

    admin, name = _admin_url()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(applications: int) -> dict[str, str]:
    """Migrate, seed as bench/home_pages.py does, collect the static files; the session
    cookie of each role."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.data import add_applications, build_world
    from bench.home_pages import ROLES, People, add_grants_and_reviews, add_money

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    world = build_world()
    people = People(world)
    add_applications(world, applications)
    add_grants_and_reviews(world, people, 0)
    add_money(world, people, max(5, applications // 100))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    cookies = {}
    for role in ROLES:
        client = Client()
        client.force_login(people.by_role[role])
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    connection.close()
    print(f"seeded {applications:,} applications in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return cookies


def start_server(port: int, workers: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "fundapp.wsgi",
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--no-control-socket", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/",
                                        timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def load(url: str, cookie: str, seconds: float, concurrency: int) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "load.py"), url, "--cookie", cookie,
               "--seconds", str(seconds), "--concurrency", str(concurrency)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    from bench.report import Result, add_json_argument, emit
    add_json_argument(parser)
    args = parser.parse_args()

    recreate_database()
    try:
        cookies = seed(args.applications)
        server = start_server(args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
        cases = [("floor: login page (anonymous)", "/accounts/login/", ""),
                 ("secretariat /applications/", "/applications/", cookies["secretariat"])]
        cases += [(f"{role} /dashboard/", "/dashboard/", cookies[role]) for role in cookies]
        try:
            measured = [(label, load(base + path, cookie, args.seconds, args.concurrency))
                        for label, path, cookie in cases]
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if not args.keep:
            drop_database()

    floor = measured[0][1]["rps"]
    size = f"{args.applications:,} applications, gunicorn {args.workers} workers"
    print(f"{'page':<34} {'req/s':>8} {'of floor':>9} {'median ms':>10} {'errors':>7}")
    results = []
    for i, (label, m) in enumerate(measured):
        share = m["rps"] / floor * 100 if floor else 0
        print(f"{label:<34} {m['rps']:>8.1f} {share:>8.0f} % {m['median_ms'] or 0:>10.1f} "
              f"{m['errors']:>7}")
        results.append(Result(
            "gunicorn_floor", label, size, m["rps"], unit="req/s", samples=m["requests"],
            target="" if i == 0 else f"≥ {FLOOR_SHARE} % of the floor",
            met=None if i == 0 else share >= FLOOR_SHARE and not m["errors"],
            note=f"{share:.0f} % of the floor's {floor:.0f} req/s; median "
            + (f"{m['median_ms']:.1f} ms" if m["median_ms"] is not None else "n/a")
            + (f"; {m['errors']} non-200 answers" if m["errors"] else "")))
    print(f"\ntarget: each page ≥ {FLOOR_SHARE} % of the floor's requests per second "
          f"({args.concurrency} concurrent clients, {args.seconds:g} s each)")
    emit(args.json, results)


if __name__ == "__main__":
    main()
