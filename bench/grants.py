#!/usr/bin/env python
"""Grants in implementation at ~5,000 grants: median, p95 and SQL query count.

    python bench/grants.py [--grants 5000] [--requests 20] [--warmup 3]

Like ``bench/lists.py``: in-process with Django's test client against a fresh database that
it creates and drops (``test_<name>`` from DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/fundapp_bench_grants). Each grant gets two tranches, two
reports due, one disbursement and four report versions (20,000 reports for 5,000 grants)
with their indicators. Pages: the secretariat portfolio, /api/v1/grants/ and the impact
dashboard (issue 7: under 500 ms, queries independent of the data size).
"""

import argparse
import logging
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
os.environ.setdefault("DATABASE_URL",
                      "postgres://postgres@127.0.0.1:5432/fundapp_bench_grants")
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
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from fundapp.accounts.services import token_create  # noqa: E402

from bench.data import add_applications, build_world  # noqa: E402
from bench.report import Result, add_json_argument, emit, stats  # noqa: E402
from grants.models import (  # noqa: E402
    Application,
    Disbursement,
    Grant,
    GrantStatus,
    Indicator,
    ProgressReport,
    ReportDue,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheCondition,
)

TARGET_MS = 500
BATCH = 1000
# --json: the targets at 5,000 rows (HTML list pages, API lists); None: no target.
TARGETS = {"secretariat grant portfolio (HTML)": 30, "API /api/v1/grants/": 15,
           "impact dashboard (HTML)": None}
MAX_QUERIES = 12


def seed(count: int):
    world = build_world()
    add_applications(world, count)
    today = timezone.localdate()
    apps = list(Application.objects.order_by("pk").values_list("pk", "call_id"))[:count]
    seq: dict[int, int] = {}
    for offset in range(0, len(apps), BATCH):
        chunk = apps[offset:offset + BATCH]
        grants = []
        for i, (app_id, call_id) in enumerate(chunk, start=offset):
            seq[call_id] = seq.get(call_id, 0) + 1
            start = today - timedelta(days=30 + i % 2000)
            grants.append(Grant(
                application_id=app_id, call_id=call_id, sequence=seq[call_id],
                agreement_number=f"VTF-B-{i:06d}", approved_usd=Decimal("50000.00"),
                start_date=start, end_date=start + timedelta(days=365),
                status=GrantStatus.CLOSED if i % 3 == 0 else GrantStatus.ACTIVE))
        grants = Grant.objects.bulk_create(grants)
        tranches = Tranche.objects.bulk_create([
            Tranche(grant=g, position=p, percent=pct, amount_usd=amount, condition=cond)
            for g in grants for p, pct, amount, cond in (
                (1, Decimal("80"), Decimal("40000.00"), TrancheCondition.ON_SIGNATURE),
                (2, Decimal("20"), Decimal("10000.00"), TrancheCondition.AFTER_FINAL_REPORT))])
        Disbursement.objects.bulk_create([
            Disbursement(grant=t.grant, tranche=t, paid_on=t.grant.start_date,
                         amount_usd=t.amount_usd, reference=f"B-{t.grant_id}-{t.position}",
                         recorded_by=world.secretariat)
            for t in tranches if t.position == 1])
        dues = ReportDue.objects.bulk_create([
            ReportDue(grant=g, kind=kind, number=1, due_date=g.start_date + timedelta(days=d))
            for g in grants
            for kind, d in ((ReportKind.INTERIM, 180), (ReportKind.FINAL, 425))])
        reports = ProgressReport.objects.bulk_create([
            ProgressReport(grant=d.grant, report_due=d, kind=d.kind, version=v, status=st,
                           achievements="Shelter and legal aid for survivors.",
                           victims_total=40, submitted_by=world.ngo,
                           submitted_at=timezone.now() - timedelta(days=d.grant.pk % 2000),
                           reviewed_at=timezone.now() if st == ReportStatus.ACCEPTED else None)
            for d in dues
            for v, st in ((1, ReportStatus.CHANGES_REQUESTED), (2, ReportStatus.ACCEPTED))])
        Indicator.objects.bulk_create([
            Indicator(report=r, dimension=dim, key=key, count=10)
            for r in reports if r.status == ReportStatus.ACCEPTED
            for dim, key in (("group", "women"), ("group", "girls"), ("group", "men"),
                             ("group", "boys"), ("service", "shelter"))])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world


def measure(client: Client, url: str, headers: dict, requests: int, warmup: int):
    """(median, p95, queries, note, stats) of ``requests`` requests; stats for --json."""
    for _ in range(warmup):
        response = client.get(url, **headers)
    if response.status_code != 200:
        return None, None, None, f"HTTP {response.status_code}", stats([])
    reset_queries()  # request_started empties the log: start the capture from empty
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    count = len(queries)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url, **headers)
        timings.append((time.perf_counter() - start) * 1000)
    figures = stats(timings)
    return figures["median"], figures["p95"], count, "", figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    add_json_argument(parser)
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"DEBUG={settings.DEBUG}", file=sys.stderr)
    rows = []
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    try:
        with override_settings(STORAGES=storages, CELERY_TASK_ALWAYS_EAGER=True):
            started = time.perf_counter()
            world = seed(args.grants)
            print(f"seeded {Grant.objects.count()} grants, {ProgressReport.objects.count()} "
                  f"reports in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            staff = Client()
            staff.force_login(world.secretariat)
            key = token_create(user=world.secretariat)[1]
            auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
            for name, client, url, headers in (
                ("secretariat grant portfolio (HTML)", staff,
                 reverse("grants:grant-portfolio"), {}),
                ("API /api/v1/grants/", Client(), "/api/v1/grants/", auth),
                ("impact dashboard (HTML)", staff, reverse("grants:impact"), {}),
            ):
                rows.append((name, *measure(client, url, headers, args.requests, args.warmup)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    header = f"{'page':<36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  target"
    print(header)
    print("-" * len(header))
    for name, median, p95, queries, note, _stats in rows:
        if median is None:
            print(f"{name:<36} {'':>10} {'':>8} {'':>8}  n/a ({note})")
        else:
            verdict = "ok" if median < TARGET_MS else "OVER TARGET"
            print(f"{name:<36} {median:>10.1f} {p95:>8.1f} {queries:>8}  {verdict}")
    print(f"\n{args.grants} grants; target: under {TARGET_MS} ms median")
    emit(args.json, [figure(row, args.grants) for row in rows])


def figure(row: tuple, grants: int) -> Result:
    """The shared shape of bench/report.py, for `make bench`'s one table."""
    name, median, _p95, queries, note, sample_stats = row
    limit = TARGETS.get(name)
    target, met = "", None
    if limit is not None:
        target = f"≤ {limit} ms, ≤ {MAX_QUERIES} queries"
        met = None if median is None else median <= limit and queries <= MAX_QUERIES
    elif median is not None:
        note = f"issue 7: < {TARGET_MS} ms, {'met' if median < TARGET_MS else 'not met'}"
    return Result("grants", name, f"{grants:,} grants", queries=queries, target=target,
                  met=met, note=f"n/a ({note})" if median is None else note, **sample_stats)


if __name__ == "__main__":
    main()
