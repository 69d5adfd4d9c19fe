#!/usr/bin/env python
"""Ranking and portfolio through the database: selector + engine, and the endpoints.

    python bench/ranking.py [--applications 5000] [--reviews-per-application 3]
                            [--eligible 500] [--runs 5]

Creates and drops its own database with Django's test-database machinery (``test_<name>``
from DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/fundapp_bench_ranking).
Loads a closed call with 5,000 applications and 15,000 submitted reviews (six weighted
criteria, five weighted priorities, 150 reviewers of different leniency, 40 countries),
then prints:

* the ranking selector + engine end to end (``call_ranking``): target under 1 s;
* the ranking endpoint's query count with 50 and with 5,000 applications: must be equal;
* the portfolio for 500 eligible applications under every constraint (at most 3 per
  country, 30 % of the envelope for women and girls, at least 20 countries), selector +
  engine (``call_portfolio``): target under 5 s; and the portfolio endpoint's queries.
"""

import argparse
import os
import random
import sys
import time
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fundapp_bench_ranking")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "0123456789abcdef" * 3)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402
from fundapp.accounts.services import token_create  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from fundapp.accounts.models import User  # noqa: E402
from fundapp.accounts.roles import Role, grant_role  # noqa: E402
from grants.models import (  # noqa: E402
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Call,
    CallPriority,
    CallStatus,
    Organisation,
    OrganisationStatus,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewStatus,
)
from bench.report import Result, add_json_argument, emit, stats  # noqa: E402
from grants.selectors.ranking import call_portfolio, call_ranking  # noqa: E402

RANK_TARGET_S, PORTFOLIO_TARGET_S = 1.0, 5.0
# --json: the issue's targets (ranking through the database, the exact portfolio for 500).
RANK_ISSUE_S, PORTFOLIO_ISSUE_S = 0.5, 0.5
COUNTRIES = ["NG", "UA", "CO", "BD", "TH", "MD", "KE", "PH", "GT", "NP", "IN", "MX", "UG",
             "ET", "SN", "LB", "IQ", "HN", "PE", "BR", "GH", "CM", "ML", "NE", "TD", "SD",
             "SO", "YE", "AF", "PK", "LK", "MM", "KH", "LA", "VN", "ID", "SV", "HT", "VE",
             "EC"]
CRITERIA = [("relevance", 3), ("victim-centred", 3), ("feasibility", 2), ("capacity", 2),
            ("cost-effectiveness", 1), ("sustainability", 1)]
PRIORITIES = [("armed-conflict", "1.5"), ("mass-movements", "1.5"),
              ("climate-displacement", "1.25"), ("women-girls", "2"), ("underserved", "1.25")]
REVIEWERS = 150
BATCH = 5000


class World:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.secretariat = User.objects.create(username="bench-sec",
                                               password=make_password(None))
        grant_role(self.secretariat, Role.SECRETARIAT)
        self.reviewers = User.objects.bulk_create([
            User(username=f"bench-rev{i}", password="!") for i in range(REVIEWERS)])
        self.leniency = {u.pk: rng.uniform(-1.0, 1.0) for u in self.reviewers}
        self.organisations = Organisation.objects.bulk_create([
            Organisation(name=f"Bench NGO {i}", country=COUNTRIES[i % len(COUNTRIES)],
                         registration_number=f"B-{i}", status=OrganisationStatus.VERIFIED)
            for i in range(200)])
        self.calls = 0

    def call(self, envelope: str, **settings) -> Call:
        self.calls += 1
        now = timezone.now()
        call = Call.objects.create(
            number=900 + self.calls, title_en=f"Bench call {self.calls}", status=CallStatus.CLOSED,
            opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=30),
            envelope_usd=Decimal(envelope), min_grant_usd=Decimal("20000"),
            max_grant_usd=Decimal("80000"), max_duration_months=24, **settings)
        for i, (code, weight) in enumerate(CRITERIA):
            ReviewCriterion.objects.create(call=call, code=code, name_en=code,
                                           weight=Decimal(weight), position=i)
        for i, (code, weight) in enumerate(PRIORITIES):
            CallPriority.objects.create(call=call, code=code, name_en=code,
                                        weight=Decimal(weight), position=i)
        call.sequence = 0
        return call

    def add(self, call: Call, count: int, reviews_each: int) -> None:
        for start in range(0, count, 1000):
            self._batch(call, min(1000, count - start), reviews_each)

    def _batch(self, call: Call, n: int, reviews_each: int) -> None:
        rng = self.rng
        apps = []
        for _ in range(n):
            call.sequence += 1
            apps.append(Application(
                call=call, organisation=rng.choice(self.organisations),
                reference=f"B{call.number}-{call.sequence:05d}", title=f"Project {call.sequence}",
                countries=rng.sample(COUNTRIES, rng.choice([1, 1, 1, 2])),
                requested_usd=Decimal(rng.randrange(20000, 80001, 500)),
                status=ApplicationStatus.UNDER_REVIEW, beneficiaries_women=rng.randrange(100),
                beneficiaries_girls=rng.randrange(60), beneficiaries_men=rng.randrange(80),
                submitted_at=timezone.now() - timedelta(days=31, seconds=call.sequence)))
        apps = Application.objects.bulk_create(apps)
        self._claims(call, apps)
        self._reviews(call, apps, reviews_each)

    def _claims(self, call: Call, apps) -> None:
        priorities = list(call.priorities.all())
        rows = []
        for app in apps:
            for priority in self.rng.sample(priorities, self.rng.randint(1, 3)):
                rows.append(ApplicationPriority(application=app, priority=priority,
                                                confirmed=self.rng.random() < 0.7))
        ApplicationPriority.objects.bulk_create(rows, batch_size=BATCH)

    def _reviews(self, call: Call, apps, reviews_each: int) -> None:
        rng = self.rng
        criteria = list(call.review_criteria.all())
        reviews, quality = [], {}
        for app in apps:
            quality[app.pk] = rng.uniform(1.5, 4.5)
            for reviewer in rng.sample(self.reviewers, reviews_each):
                reviews.append(Review(application=app, reviewer=reviewer,
                                      status=ReviewStatus.SUBMITTED, conflict_declared=False,
                                      submitted_at=timezone.now()))
        reviews = Review.objects.bulk_create(reviews, batch_size=BATCH)
        scores = []
        for review in reviews:
            base = quality[review.application_id] + self.leniency[review.reviewer_id]
            for criterion in criteria:
                score = max(1, min(5, round(base + rng.uniform(-1, 1))))
                scores.append(ReviewScore(review=review, criterion=criterion, score=score))
        ReviewScore.objects.bulk_create(scores, batch_size=BATCH)


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(function, runs: int) -> tuple[float, object, dict]:
    """(median seconds, last result, stats of the runs) after one warm-up run."""
    function()  # warm-up
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    figures = stats(times)
    return figures["median"], result, figures


def one(seconds: float) -> dict:
    """stats() of a single request, in milliseconds."""
    return stats([seconds * 1000])


def queries(client: APIClient, url: str) -> tuple[int, float]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx), elapsed


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def run(args) -> tuple[list[str], list[Result]]:
    """The printed lines and, for --json, the figures."""
    rng = random.Random(args.seed)
    world = World(rng)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + token_create(user=world.secretariat)[1])
    lines, figures = [], []
    big = world.call("50000000")
    url = f"/api/v1/calls/{big.pk}/ranking/"
    world.add(big, 50, args.reviews_per_application)
    analyse()
    small_count, small_ms = queries(client, url)
    started = time.perf_counter()
    world.add(big, args.applications - 50, args.reviews_per_application)
    analyse()
    print(f"seeded {args.applications} applications, "
          f"{Review.objects.filter(application__call=big).count()} reviews, "
          f"{ReviewScore.objects.filter(review__application__call=big).count()} scores in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    seconds, ranking, rank_stats = timed(lambda: call_ranking(big), args.runs)
    reviews = sum(len(r.breakdown.reviews) for r in ranking.rows)
    size = f"{len(ranking.rows):,} applications, {reviews:,} reviews"
    figures.append(Result("ranking", "ranking selector + engine (call_ranking)", size,
                          unit="s", target=f"< {RANK_ISSUE_S:g} s",
                          met=rank_stats["median"] < RANK_ISSUE_S, **rank_stats))
    lines.append(f"ranking selector + engine, {len(ranking.rows)} applications, "
                 f"{sum(len(r.breakdown.reviews) for r in ranking.rows)} reviews: "
                 f"median {seconds:.3f} s over {args.runs} runs (target < {RANK_TARGET_S:g} s) "
                 f"{verdict(seconds < RANK_TARGET_S)}")
    big_count, big_ms = queries(client, url)
    lines.append(f"ranking endpoint queries: {small_count} at 50 applications, {big_count} at "
                 f"{args.applications} ({'equal' if small_count == big_count else 'DIFFERENT'}); "
                 f"one request {small_ms * 1000:.0f} ms / {big_ms * 1000:.0f} ms")
    note = "" if small_count == big_count else "queries differ from 50 to all applications"
    for count, elapsed, apps in ((small_count, small_ms, 50), (big_count, big_ms,
                                                               args.applications)):
        figures.append(Result("ranking", "GET /api/v1/calls/{id}/ranking/ (one request)",
                              f"{apps:,} applications", queries=count, note=note,
                              **one(elapsed)))
    portfolio_lines, portfolio_results = portfolio_figures(world, client, args)
    return lines + portfolio_lines, figures + portfolio_results


def portfolio_figures(world: World, client: APIClient, args) -> tuple[list[str], list[Result]]:
    call = world.call("5000000", max_projects_per_country=3,
                      min_women_girls_share=Decimal("30"), min_countries=20)
    world.add(call, args.eligible, args.reviews_per_application)
    analyse()
    seconds, portfolio, portfolio_stats = timed(lambda: call_portfolio(call), args.runs)
    result = portfolio.result
    count, ms = queries(client, f"/api/v1/calls/{call.pk}/portfolio/")
    size = f"{args.eligible:,} eligible"
    figures = [
        Result("ranking", "portfolio selector + engine (call_portfolio), every constraint",
               size, unit="s", target=f"< {PORTFOLIO_ISSUE_S:g} s (exact)",
               met=portfolio_stats["median"] < PORTFOLIO_ISSUE_S and result.status == "optimal",
               note=f"status {result.status}, {len(result.selected_ids)} selected",
               **portfolio_stats),
        Result("ranking", "GET /api/v1/calls/{id}/portfolio/ (one request)", size,
               queries=count, **one(ms)),
    ]
    return [
        f"portfolio selector + engine, {args.eligible} eligible, at most 3 per country, 30 % "
        f"women and girls, at least 20 countries: median {seconds:.3f} s (target < "
        f"{PORTFOLIO_TARGET_S:g} s) {verdict(seconds < PORTFOLIO_TARGET_S)}; status "
        f"{result.status}, {len(result.selected_ids)} selected, USD {result.total_usd:,} of "
        f"{call.envelope_usd:,}, score gained over the rank cut {result.rank_cut.score_gained}",
        f"portfolio endpoint: {count} queries, one request {ms * 1000:.0f} ms",
    ], figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--reviews-per-application", type=int, default=3)
    parser.add_argument("--eligible", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    add_json_argument(parser)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="No directory at")  # static files: unused here
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
    try:
        lines, figures = run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    for line in lines:
        print(line)
    emit(args.json, figures)


if __name__ == "__main__":
    main()
