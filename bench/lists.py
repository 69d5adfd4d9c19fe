#!/usr/bin/env python
"""List and detail pages at 50 and 5,000 applications: median, p95 and SQL query count.

    python bench/lists.py [--sizes 50,5000] [--requests 20] [--warmup 3]

Runs in-process with Django's test client against a fresh database that it creates and
drops (Django's test-database machinery: ``test_<name>`` from DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/fundapp_bench, so test_fundapp_bench). Settings are
production-like: DEBUG off, the query log only on while counting queries.

Targets (issue 2): lists under 100 ms median with at most 15 queries, detail pages under
50 ms, and the figures flat from 50 to 5,000 applications.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fundapp_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "0123456789abcdef" * 3)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AXES_ENABLED", "0")
# Staff pages behind two-factor enrolment would answer 302: the bench measures the pages.
os.environ.setdefault("MFA_ENFORCED", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402
from fundapp.accounts.services import token_create  # noqa: E402

from bench.data import PLACEHOLDER_FILE, World, add_applications, build_world  # noqa: E402
from bench.report import add_json_argument, emit, stats  # noqa: E402
from bench.report import Result as Figure  # noqa: E402
from grants.models import Application, ApplicationStatus  # noqa: E402

LIST_MS, DETAIL_MS, LIST_QUERIES = 100, 50, 15
# --json: the later issue's targets at 5,000 rows: HTML lists, API lists, detail pages (ms).
ISSUE_MS = {("list", False): 30, ("list", True): 15, ("detail", False): 15, ("detail", True): 15}
ISSUE_QUERIES = 12


@dataclass
class Page:
    name: str
    kind: str  # "list" or "detail"
    url: str | None  # None: the page does not exist (yet)
    client: Client
    headers: dict


@dataclass
class Result:
    page: str
    kind: str
    size: int
    median_ms: float | None = None
    p95_ms: float | None = None
    spread_pct: float | None = None
    samples: int = 0
    queries: int | None = None
    note: str = ""
    sql: list | None = None

    @property
    def verdict(self) -> str:
        if self.median_ms is None:
            return self.note or "n/a"
        limit = LIST_MS if self.kind == "list" else DETAIL_MS
        ok = self.median_ms < limit and (self.kind != "list" or self.queries <= LIST_QUERIES)
        return "ok" if ok else "OVER TARGET"


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def pages(world: World) -> list[Page]:
    staff, ngo, api = Client(), Client(), Client()
    staff.force_login(world.secretariat)
    ngo.force_login(world.ngo)
    key = token_create(user=world.secretariat)[1]
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    open_call = world.calls[-1]
    sample = (Application.objects.filter(organisation=world.organisations[0])
              .exclude(status=ApplicationStatus.DRAFT).order_by("pk").first())
    return [
        Page("secretariat list (HTML)", "list", _url("grants:application-list"), staff, {}),
        Page("secretariat list ?call= (HTML)", "list",
             _url("grants:application-list", query=f"?call={open_call.pk}"), staff, {}),
        Page("API /api/v1/applications/", "list", "/api/v1/applications/", api, auth),
        Page("API ?call=", "list", f"/api/v1/applications/?call={open_call.pk}", api, auth),
        Page("application detail (HTML)", "detail",
             _url("grants:application-detail", sample.pk), staff, {}),
        Page("API application detail", "detail", f"/api/v1/applications/{sample.pk}/", api,
             auth),
        Page("NGO dashboard (HTML)", "list", _url("grants:my-applications"), ngo, {}),
    ]


def measure(page: Page, size: int, requests: int, warmup: int) -> Result:
    result = Result(page.name, page.kind, size)
    if page.url is None:
        result.note = "n/a (no URL yet)"
        return result
    try:
        for _ in range(warmup):
            response = page.client.get(page.url, **page.headers)
    except Exception as exc:  # a page under construction must not stop the benchmark
        result.note = f"n/a ({type(exc).__name__})"
        return result
    if response.status_code != 200:
        result.note = f"n/a (HTTP {response.status_code})"
        return result
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        page.client.get(page.url, **page.headers)
    result.queries = len(queries)  # now: the next request's reset_queries() empties the log
    result.sql = [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries]
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        page.client.get(page.url, **page.headers)
        timings.append((time.perf_counter() - start) * 1000)
    figures = stats(timings)
    result.median_ms, result.p95_ms = figures["median"], figures["p95"]
    result.spread_pct, result.samples = figures["spread_pct"], figures["samples"]
    return result


def figure(r: Result) -> Figure:
    """The shared shape of bench/report.py, for `make bench`'s one table."""
    limit = ISSUE_MS[r.kind, r.page.startswith("API")]
    target = f"≤ {limit} ms, ≤ {ISSUE_QUERIES} queries"
    met = (None if r.median_ms is None
           else r.median_ms <= limit and r.queries <= ISSUE_QUERIES)
    return Figure("lists", r.page, f"{r.size:,} applications", r.median_ms, r.p95_ms,
                  r.spread_pct, r.samples, queries=r.queries, target=target, met=met, note=r.note)


def print_table(results: list[Result]) -> None:
    header = f"{'page':<32} {'apps':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  target"
    print(header)
    print("-" * len(header))
    for r in sorted(results, key=lambda r: ([p.page for p in results].index(r.page), r.size)):
        if r.median_ms is None:
            print(f"{r.page:<32} {r.size:>6} {'':>10} {'':>8} {'':>8}  {r.verdict}")
        else:
            print(f"{r.page:<32} {r.size:>6} {r.median_ms:>10.1f} {r.p95_ms:>8.1f} "
                  f"{r.queries:>8}  {r.verdict}")
    print(f"\ntargets: lists < {LIST_MS} ms median and <= {LIST_QUERIES} queries; "
          f"detail < {DETAIL_MS} ms; flat from the smallest to the largest size")


def print_sql(results: list[Result], largest: int) -> None:
    """The queries of each page at the largest size, slowest first (``--sql``)."""
    for r in results:
        if r.size != largest or not r.sql:
            continue
        print(f"\n== {r.page} ({r.size} applications)")
        for ms, sql in sorted(r.sql, reverse=True):
            print(f"{ms:8.1f} ms  {sql[:400]}")


def run(sizes: list[int], requests: int, warmup: int) -> list[Result]:
    world = build_world()
    results = []
    for size in sizes:
        started = time.perf_counter()
        add_applications(world, size - world.created)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"seeded {size} applications in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        results += [measure(p, size, requests, warmup) for p in pages(world)]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,5000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sql", action="store_true",
                        help="also print each page's queries at the largest size, slowest first")
    add_json_argument(parser)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # errors show as "n/a"
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"DEBUG={settings.DEBUG}; {args.requests} requests after {args.warmup} warm-up",
          file=sys.stderr)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(
            MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True,
            STORAGES={**settings.STORAGES, "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        ):
            (Path(media) / PLACEHOLDER_FILE).parent.mkdir(parents=True)
            (Path(media) / PLACEHOLDER_FILE).write_bytes(b"%PDF-1.4\n%%EOF\n")
            results = run(sizes, args.requests, args.warmup)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print_table(results)
    emit(args.json, [figure(r) for r in results])
    if args.sql:
        print_sql(results, sizes[-1])


if __name__ == "__main__":
    main()
