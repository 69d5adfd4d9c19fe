"""Benchmark of the pure ranking engine (no database): scoring, ranking and the portfolio.

    .venv/bin/python bench/ranking_engine.py [--applications 5000] [--reviews 15000]
                                             [--eligible 500] [--runs 5] [--seed 1]

Generates a call with random but plausible data (six weighted criteria, five weighted
priorities, 150 reviewers of different leniency, requests of USD 20,000–80,000 in 40
countries), times `rank()` on the large call and `recommend_portfolio()` on an eligible
set with every constraint switched on, and prints the median of the runs. Targets: the
ranking under 1 s, the portfolio under 5 s.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import Result, add_json_argument, emit, stats  # noqa: E402
from grants.ranking import (  # noqa: E402
    ApplicationInput,
    Criterion,
    PortfolioCandidate,
    PortfolioConstraints,
    PriorityInput,
    ReviewInput,
    rank,
    recommend_portfolio,
)

CRITERIA = [
    Criterion("relevance", 3),
    Criterion("victim_centred", 3),
    Criterion("feasibility", 2),
    Criterion("capacity", 2),
    Criterion("cost_effectiveness", 1),
    Criterion("sustainability", 1),
]
PRIORITIES = [
    PriorityInput("direct_assistance", 3),
    PriorityInput("shelter", 2),
    PriorityInput("legal_aid", 2),
    PriorityInput("reintegration", 1),
    PriorityInput("conflict_settings", 1),
]
COUNTRIES = [f"C{i:02d}" for i in range(40)]
TARGETS = {"rank": 1.0, "portfolio": 5.0}
# --json: the issue's exact portfolio for 500 eligible; its ranking target is through the
# database (bench/ranking.py), so the pure engine's ranking has none of its own.
PORTFOLIO_ISSUE_S = 0.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=15000)
    parser.add_argument("--eligible", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    add_json_argument(parser)
    return parser.parse_args()


def applications(count: int, rng: random.Random) -> list[ApplicationInput]:
    opened = datetime(2026, 1, 5, tzinfo=UTC)
    result = []
    for number in range(1, count + 1):
        claimed = frozenset(p.code for p in PRIORITIES if rng.random() < 0.6)
        confirmed = frozenset(code for code in sorted(claimed) if rng.random() < 0.75)
        countries = rng.sample(COUNTRIES, 1 if rng.random() < 0.85 else 2)
        result.append(
            ApplicationInput(
                id=number,
                requested_usd=Decimal(rng.randrange(20_000, 80_001)),
                countries=tuple(countries),
                women_and_girls=rng.random() < 0.35,
                claimed_priorities=claimed,
                confirmed_priorities=confirmed,
                submitted_at=opened + timedelta(minutes=rng.randrange(60 * 24 * 60)),
            )
        )
    return result


def reviews(apps: list[ApplicationInput], count: int, rng: random.Random) -> list[ReviewInput]:
    """`count` reviews spread evenly, each application by distinct reviewers."""
    reviewers = list(range(1, 151))
    leniency = {r: rng.choice([-1, 0, 0, 1]) for r in reviewers}
    quality = {a.id: rng.uniform(1.5, 4.5) for a in apps}
    result = []
    for index in range(count):
        app = apps[index % len(apps)]
        offset = index // len(apps)
        reviewer = reviewers[(app.id * 7 + offset * 31) % len(reviewers)]
        scores = {
            c.code: min(5, max(1, round(quality[app.id] + leniency[reviewer] + rng.gauss(0, 0.7))))
            for c in CRITERIA
        }
        result.append(ReviewInput(app.id, reviewer, scores))
    return result


def timed(function, runs: int) -> tuple[float, object, dict]:
    """(median seconds, last result, stats of the runs)."""
    durations, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    figures = stats(durations)
    return figures["median"], result, figures


def report(name: str, seconds: float, detail: str) -> None:
    verdict = "ok" if seconds < TARGETS[name] else "TOO SLOW"
    print(f"{name:<10} {seconds * 1000:8.1f} ms (median; target < {TARGETS[name]:g} s, {verdict})")
    print(f"{'':<10} {detail}")


def bench_rank(args, rng: random.Random) -> Result:
    apps = applications(args.applications, rng)
    call_reviews = reviews(apps, args.reviews, rng)
    envelope = (sum((a.requested_usd for a in apps), Decimal(0)) / 10).quantize(Decimal(1))
    seconds, ranking, figures = timed(
        lambda: rank(apps, call_reviews, CRITERIA, PRIORITIES, envelope), args.runs
    )
    funded = sum(row.above_funding_line for row in ranking)
    report(
        "rank",
        seconds,
        f"{len(apps):,} applications, {len(call_reviews):,} reviews; "
        f"{funded:,} above the funding line of USD {envelope:,.2f}",
    )
    return Result("ranking_engine", "rank() (no database)",
                  f"{len(apps):,} applications, {len(call_reviews):,} reviews", unit="s",
                  note=f"{funded:,} above the funding line", **figures)


def bench_portfolio(args, rng: random.Random) -> Result:
    apps = applications(args.eligible, rng)
    ranking = rank(apps, reviews(apps, args.eligible * 3, rng), CRITERIA, PRIORITIES, 0)
    candidates = [PortfolioCandidate.from_ranked(row) for row in ranking]
    envelope = (sum((c.requested_usd for c in candidates), Decimal(0)) / 5).quantize(Decimal(1))
    constraints = PortfolioConstraints(
        max_per_country=3, min_women_girls_share=Decimal("0.40"), min_countries=30
    )
    seconds, result, figures = timed(
        lambda: recommend_portfolio(candidates, envelope_usd=envelope, constraints=constraints),
        max(1, args.runs // 2 + 1),
    )
    cut = result.rank_cut
    report(
        "portfolio",
        seconds,
        f"{len(candidates)} eligible, envelope USD {envelope:,.2f}, at most 3 per country, "
        f"40 % women and girls, 30 countries: {result.status}, {len(result.selected_ids)} "
        f"selected, score {result.total_score} vs rank cut {cut.total_score} "
        f"({len(cut.ids)} projects, breaks: {', '.join(cut.violations[:3]) or 'nothing'}"
        f"{'…' if len(cut.violations) > 3 else ''})",
    )
    return Result("ranking_engine", "recommend_portfolio() (no database), every constraint",
                  f"{len(candidates):,} eligible", unit="s",
                  target=f"< {PORTFOLIO_ISSUE_S:g} s (exact)",
                  met=seconds < PORTFOLIO_ISSUE_S and result.status == "optimal",
                  note=f"status {result.status}, {len(result.selected_ids)} selected",
                  **figures)


def main():
    args = parse_args()
    results = [bench_rank(args, random.Random(args.seed)),
               bench_portfolio(args, random.Random(args.seed + 1))]
    emit(args.json, results)


if __name__ == "__main__":
    main()
