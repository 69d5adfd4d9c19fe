"""Property-based checks of the portfolio against an independent brute force."""

import itertools
import random
from decimal import ROUND_CEILING, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from grants.ranking import PortfolioCandidate, PortfolioConstraints, recommend_portfolio

COUNTRIES = ("NG", "KE", "TH", "PE")
PROPERTY_SETTINGS = settings(max_examples=75, deadline=None, database=None)

amounts = st.builds(lambda cents: Decimal(cents).scaleb(-2), st.integers(0, 6_000_000))
scores = st.one_of(
    st.sampled_from([Decimal("50.00"), Decimal("75.00")]),  # frequent ties
    st.builds(lambda hundredths: Decimal(hundredths).scaleb(-2), st.integers(0, 10_000)),
)


@st.composite
def problems(draw):
    size = draw(st.integers(0, 9))
    candidates = [
        PortfolioCandidate(
            application_id=f"app{rank}",
            rank=rank,
            score=draw(scores),
            requested_usd=draw(amounts),
            countries=tuple(draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2))),
            women_and_girls=draw(st.booleans()),
        )
        for rank in range(1, size + 1)
    ]
    constraints = PortfolioConstraints(
        max_per_country=draw(st.none() | st.integers(1, 3)),
        min_women_girls_share=draw(st.none() | st.sampled_from(["0", "0.1", "0.25", "0.5"])),
        min_countries=draw(st.none() | st.integers(0, 3)),
    )
    envelope = draw(st.builds(lambda cents: Decimal(cents).scaleb(-2), st.integers(0, 20_000_000)))
    return candidates, envelope, constraints


def breaks(chosen, envelope, constraints) -> list[str]:
    """The constraints the chosen candidates break, checked from scratch."""
    broken = []
    if sum(c.requested_usd for c in chosen) > envelope:
        broken.append("envelope")
    share = Decimal(constraints.min_women_girls_share or 0)
    floor = (share * envelope).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    if sum(c.requested_usd for c in chosen if c.women_and_girls) < floor:
        broken.append("share")
    per_country = [country for c in chosen for country in c.countries]
    cap = constraints.max_per_country
    if cap is not None and any(per_country.count(country) > cap for country in per_country):
        broken.append("cap")
    if len(set(per_country)) < (constraints.min_countries or 0):
        broken.append("countries")
    return broken


def rank_cut(candidates, envelope):
    cut, total = [], Decimal(0)
    for candidate in sorted(candidates, key=lambda c: c.rank):
        total += candidate.requested_usd
        if total > envelope:
            break
        cut.append(candidate)
    return cut


def best_by_brute_force(candidates, envelope, constraints):
    """(best total score, best bonus among sets with that score) or None if infeasible."""
    n = len(candidates)
    best = None
    for size in range(n + 1):
        for chosen in itertools.combinations(candidates, size):
            if not breaks(chosen, envelope, constraints):
                value = (
                    sum((c.score for c in chosen), Decimal(0)),
                    sum(n + 1 - c.rank for c in chosen),
                )
                best = value if best is None or value > best else best
    return best


def solve(candidates, envelope, constraints):
    return recommend_portfolio(candidates, envelope_usd=envelope, constraints=constraints)


@PROPERTY_SETTINGS
@given(problems())
def test_portfolio_never_exceeds_the_envelope_and_respects_every_constraint(problem):
    candidates, envelope, constraints = problem
    result = solve(candidates, envelope, constraints)
    chosen = [c for c in candidates if c.application_id in result.selected_ids]
    if result.feasible:
        assert result.total_usd <= envelope
        assert breaks(chosen, envelope, constraints) == []
    else:
        assert chosen == [] and result.reason and result.message


@PROPERTY_SETTINGS
@given(problems())
def test_portfolio_never_scores_below_a_rank_cut_that_meets_the_constraints(problem):
    candidates, envelope, constraints = problem
    cut = rank_cut(candidates, envelope)
    result = solve(candidates, envelope, constraints)
    assert result.rank_cut.ids == tuple(c.application_id for c in cut)
    if not breaks(cut, envelope, constraints):
        assert result.rank_cut.satisfies_constraints
        assert result.total_score >= sum((c.score for c in cut), Decimal(0))
        assert result.rank_cut.score_gained >= 0


@PROPERTY_SETTINGS
@given(problems())
def test_portfolio_is_optimal_and_prefers_better_ranks_on_ties(problem):
    candidates, envelope, constraints = problem
    result = solve(candidates, envelope, constraints)
    best = best_by_brute_force(candidates, envelope, constraints)
    if best is None:
        assert result.status == "infeasible"
        return
    ranks = {c.application_id: c.rank for c in candidates}
    bonus = sum(len(candidates) + 1 - ranks[i] for i in result.selected_ids)
    assert (result.status, (result.total_score, bonus)) == ("optimal", best)


@PROPERTY_SETTINGS
@given(problems(), st.randoms(use_true_random=False))
def test_portfolio_is_deterministic_whatever_the_input_order(problem, rng: random.Random):
    candidates, envelope, constraints = problem
    first = solve(candidates, envelope, constraints)
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    assert solve(shuffled, envelope, constraints) == first
    assert solve(candidates, envelope, constraints) == first


@PROPERTY_SETTINGS
@given(problems())
def test_selection_reserve_and_explanations_cover_every_candidate_in_rank_order(problem):
    candidates, envelope, constraints = problem
    result = solve(candidates, envelope, constraints)
    by_rank = [c.application_id for c in sorted(candidates, key=lambda c: c.rank)]
    assert [e.application_id for e in result.explanations] == by_rank
    assert list(result.selected_ids) == [i for i in by_rank if i in result.selected_ids]
    assert list(result.reserve_ids) == [i for i in by_rank if i not in result.selected_ids]
    for explanation in result.explanations:
        included = explanation.application_id in result.selected_ids
        assert (explanation.code == "included") == included
        if result.feasible and not included:
            assert explanation.code != "excluded_not_needed"
