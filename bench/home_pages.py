#!/usr/bin/env python
"""Home pages at 50 and 5,000 applications: /dashboard/ and GET /api/v1/me/work-queue/ for
each role's demo-like user (secretariat, NGO, reviewer, Board member, donor): median, p95 and
SQL query count.

    python bench/home_pages.py [--sizes 50,5000] [--requests 20] [--warmup 3]

Like ``bench/lists.py``: in-process with Django's test client against a fresh database that
it creates and drops (``test_<name>`` from DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/fundapp_bench_home; with DATABASE_URL=sqlite:///… a
SQLite file). The data: the applications of ``bench/data.py`` (organisations, budget lines,
priority claims, files), a grant for every fifth application (two tranches, one paid, an
interim and a final report due, the interim's first version sent back for changes and its
second waiting for review), reviews (three reviewers, pending and submitted), a Board
member, and a donor with contributions and pledges. The NGO's organisation gets its share
of each, so that its home page has work at every size.

Target (issue 15): the query counts do not grow with the rows (the same at every size).
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fundapp_bench_home")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "0123456789abcdef" * 3)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("MFA_ENFORCED", "0")  # force_login: no second factor to verify
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402
from fundapp.accounts.models import User  # noqa: E402
from fundapp.accounts.roles import Role, grant_role  # noqa: E402
from fundapp.accounts.services import token_create  # noqa: E402
from fundapp.core.errors import FundError  # noqa: E402

from bench.data import PLACEHOLDER_FILE, World, add_applications, build_world  # noqa: E402
from bench.report import Result, add_json_argument, emit, stats  # noqa: E402
from donors.models import Donor  # noqa: E402
from donors.services.contributions import ContributionInput, contribution_record  # noqa: E402
from donors.services.pledges import pledge_create  # noqa: E402
from grants.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    BoardMembership,
    BoardRole,
    Disbursement,
    Grant,
    GrantStatus,
    ProgressReport,
    ReportDue,
    ReportKind,
    ReportStatus,
    Review,
    ReviewStatus,
    Tranche,
    TrancheCondition,
)

BATCH = 1000
ROLES = ("secretariat", "ngo", "reviewer", "board", "donor")
# The targets at 5,000 rows: HTML pages (the dashboards) and API lists (the work queue).
HTML_MS, API_MS, MAX_QUERIES = 30, 15, 12


class People:
    def __init__(self, world: World):
        password = make_password(None)
        self.by_role = {"secretariat": world.secretariat, "ngo": world.ngo}
        self.reviewers = []
        for i in range(3):
            user = User.objects.create(username=f"bench-reviewer{i}", password=password,
                                       email=f"reviewer{i}@bench.example.org",
                                       email_verified=True)
            grant_role(user, Role.REVIEWER)
            self.reviewers.append(user)
        self.by_role["reviewer"] = self.reviewers[0]
        board = User.objects.create(username="bench-board", password=password,
                                    email="board@bench.example.org", email_verified=True)
        grant_role(board, Role.BOARD)
        BoardMembership.objects.create(user=board, role=BoardRole.MEMBER,
                                       term_start=date(2020, 1, 1))
        self.by_role["board"] = board
        donor_user = User.objects.create(username="bench-donor", password=password,
                                         email="donor@bench.example.org", email_verified=True)
        grant_role(donor_user, Role.DONOR)
        self.donor = Donor.objects.create(name="Bench Ministry of Foreign Affairs",
                                          donor_type="government", country="NO")
        self.donor.users.add(donor_user)
        self.by_role["donor"] = donor_user
        self.contributions = 0


def add_grants_and_reviews(world: World, people: People, start: int) -> None:
    """Grants, tranches, reports and reviews for the applications from ``start`` on."""
    today = timezone.localdate()
    apps = list(Application.objects.filter(pk__gt=start).order_by("pk")
                .values_list("pk", "call_id", "status", "organisation_id"))
    seq = dict(Grant.objects.values("call_id").annotate(n=Max("sequence"))
               .values_list("call_id", "n"))
    for offset in range(0, len(apps), BATCH):
        chunk = apps[offset:offset + BATCH]
        grants = []
        for i, (app_id, call_id, _status, org_id) in enumerate(chunk, start=offset):
            if app_id % 5 and not (org_id == world.organisations[0].pk and app_id % 2):
                continue
            seq[call_id] = (seq.get(call_id) or 0) + 1
            begin = today - timedelta(days=30 + i % 700)
            grants.append(Grant(
                application_id=app_id, call_id=call_id, sequence=seq[call_id],
                agreement_number=f"VTF-H-{app_id:06d}", approved_usd=Decimal("50000.00"),
                start_date=begin, end_date=begin + timedelta(days=365),
                status=GrantStatus.CLOSED if i % 3 == 0 else GrantStatus.ACTIVE))
        grants = Grant.objects.bulk_create(grants)
        tranches = Tranche.objects.bulk_create([
            Tranche(grant=g, position=p, percent=pct, amount_usd=amount, condition=cond)
            for g in grants for p, pct, amount, cond in (
                (1, Decimal("80"), Decimal("40000.00"), TrancheCondition.ON_SIGNATURE),
                (2, Decimal("20"), Decimal("10000.00"), TrancheCondition.AFTER_FINAL_REPORT))])
        Disbursement.objects.bulk_create([
            Disbursement(grant=t.grant, tranche=t, paid_on=t.grant.start_date,
                         amount_usd=t.amount_usd, reference=f"H-{t.grant_id}-{t.position}",
                         recorded_by=world.secretariat)
            for t in tranches if t.position == 1])
        dues = ReportDue.objects.bulk_create([
            ReportDue(grant=g, kind=kind, number=1, due_date=g.start_date + timedelta(days=d))
            for g in grants
            for kind, d in ((ReportKind.INTERIM, 180), (ReportKind.FINAL, 425))])
        ProgressReport.objects.bulk_create([
            ProgressReport(grant=d.grant, report_due=d, kind=d.kind, version=v, status=st,
                           achievements="Shelter and legal aid for survivors.",
                           victims_total=40, submitted_by=world.ngo,
                           submitted_at=timezone.now() - timedelta(days=d.grant.pk % 300))
            for d in dues if d.kind == ReportKind.INTERIM
            for v, st in ((1, ReportStatus.CHANGES_REQUESTED), (2, ReportStatus.SUBMITTED))])
        reviews = []
        for app_id, _call_id, status, _org in chunk:
            if status not in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED):
                continue
            for n, reviewer in enumerate(people.reviewers):
                pending = status == ApplicationStatus.UNDER_REVIEW and n != 2
                reviews.append(Review(
                    application_id=app_id, reviewer=reviewer,
                    status=ReviewStatus.ASSIGNED if pending else ReviewStatus.SUBMITTED,
                    conflict_declared=None if pending else False,
                    assigned_at=timezone.now() - timedelta(days=app_id % 40),
                    submitted_at=None if pending else timezone.now()))
        Review.objects.bulk_create(reviews, batch_size=BATCH)


def add_money(world: World, people: People, count: int) -> None:
    """``count`` more contributions and a pledge for every tenth, through the services."""
    today = timezone.localdate()
    for i in range(people.contributions, people.contributions + count):
        pledge = None
        if i % 10 == 0:
            pledge = pledge_create(actor=world.secretariat, donor=people.donor,
                                   amount=Decimal("100000.00"), currency="USD",
                                   year_from=today.year, pledged_on=today - timedelta(days=i))
        try:
            contribution_record(actor=world.secretariat, values=ContributionInput(
                donor=people.donor, amount=Decimal("25000.00") if pledge is None
                else Decimal("40000.00"), currency="USD", received_on=today, exchange_rate=None,
                bank_reference=f"BENCH-{i:06d}", pledge=pledge, earmarking="unearmarked",
                earmark_call=None, earmark_theme="", note="", confirm_duplicate=True))
        except FundError as exc:  # print once, go on: the home pages are what is measured
            print(f"contribution {i} refused: {exc.field_errors}", file=sys.stderr)


def measure(client: Client, url: str, headers: dict, requests: int, warmup: int):
    """(median, p95, queries, note, stats) of ``requests`` requests; stats for --json."""
    try:
        for _ in range(warmup):
            response = client.get(url, **headers)
    except Exception as exc:  # a page under construction must not stop the benchmark
        return None, None, None, f"n/a ({type(exc).__name__}: {str(exc)[:60]})", stats([])
    if response.status_code != 200:
        return None, None, None, f"n/a (HTTP {response.status_code})", stats([])
    reset_queries()  # request_started empties the log: start the capture from empty
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    figures = stats(timings)
    return figures["median"], figures["p95"], count, "", figures


def clients(people: People) -> list[tuple[str, str, Client, str, dict]]:
    rows = []
    for role in ROLES:
        user = people.by_role[role]
        web = Client()
        web.force_login(user)
        key = token_create(user=user)[1]
        rows.append((role, "/dashboard/", web, "/dashboard/", {}))
        rows.append((role, "API work queue", Client(), "/api/v1/me/work-queue/",
                     {"HTTP_AUTHORIZATION": f"Token {key}"}))
    return rows


def run(sizes: list[int], requests: int, warmup: int) -> list[tuple]:
    world = build_world()
    people = People(world)
    results = []
    for size in sizes:
        started = time.perf_counter()
        last = Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        add_applications(world, size - world.created)
        add_grants_and_reviews(world, people, last)
        target = max(5, size // 100)
        add_money(world, people, target - people.contributions)
        people.contributions = max(target, people.contributions)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"seeded {size} applications, {Grant.objects.count()} grants, "
              f"{Review.objects.count()} reviews in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        for role, page, client, url, headers in clients(people):
            results.append((role, page, size, *measure(client, url, headers, requests, warmup)))
    return results


def print_table(results: list[tuple], sizes: list[int]) -> None:
    header = (f"{'role':<12} {'page':<16} {'apps':>6} {'median ms':>10} {'p95 ms':>8} "
              f"{'queries':>8}  flat")
    print(header)
    print("-" * len(header))
    counts = {(r[0], r[1], r[2]): r[5] for r in results}
    for role, page, size, median, p95, queries, note, _stats in results:
        if median is None:
            print(f"{role:<12} {page:<16} {size:>6} {'':>10} {'':>8} {'':>8}  {note}")
            continue
        first = counts.get((role, page, sizes[0]))
        flat = "ok" if first == queries else f"GROWS (from {first})"
        print(f"{role:<12} {page:<16} {size:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}  "
              f"{flat}")
    print("\ntarget: query counts flat from the smallest to the largest size")


def figures(results: list[tuple], sizes: list[int]) -> list[Result]:
    """The shared shape of bench/report.py, for `make bench`'s one table."""
    counts = {(r[0], r[1], r[2]): r[5] for r in results}
    vendor = {"sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    database = "" if connection.vendor == "postgresql" else f", {vendor}"
    rows = []
    for role, page, size, median, _p95, queries, note, sample_stats in results:
        api = page.startswith("API")
        limit = API_MS if api else HTML_MS
        target = f"≤ {limit} ms, ≤ {MAX_QUERIES} queries"
        met = None
        if median is not None:
            met = median <= limit and queries <= MAX_QUERIES
            first = counts.get((role, page, sizes[0]))
            if first != queries:  # issue 15: the counts do not grow with the rows
                note = f"queries grow with the rows: {first} at {sizes[0]:,} applications"
        case = f"{role} GET /api/v1/me/work-queue/" if api else f"{role} {page}"
        rows.append(Result("home_pages", case, f"{size:,} applications{database}",
                           queries=queries, target=target, met=met, note=note,
                           **sample_stats))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,5000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
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
    print_table(results, sizes)
    emit(args.json, figures(results, sizes))


if __name__ == "__main__":
    main()
