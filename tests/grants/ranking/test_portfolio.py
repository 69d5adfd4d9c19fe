from decimal import Decimal

import pytest

from grants.ranking import (
    ApplicationInput,
    Criterion,
    PortfolioCandidate,
    PortfolioConstraints,
    ReviewInput,
    rank,
    recommend_portfolio,
)

from .builders import candidate

ENVELOPE = Decimal("100000")


def recommend(candidates, envelope=ENVELOPE, **constraints):
    return recommend_portfolio(
        candidates, envelope_usd=envelope, constraints=PortfolioConstraints(**constraints)
    )


# Rank cut: #1 (60k) fits, #2 would make 110k -> the cut is {1}, score 90.
# Best within 100k: {2, 3, 4} = 50k + 40k + 10k, score 85 + 80 + 70 = 235.
KNAPSACK = [candidate(1, 90, 60), candidate(2, 85, 50), candidate(3, 80, 40), candidate(4, 70, 10)]


def test_portfolio_beats_the_rank_order_cut_and_says_by_how_much():
    result = recommend(KNAPSACK)
    assert result.status == "optimal"
    assert result.selected_ids == (2, 3, 4)
    assert (result.total_usd, result.total_score) == (Decimal("100000.00"), Decimal("235.00"))
    cut = result.rank_cut
    assert (cut.ids, cut.total_usd, cut.total_score) == (
        (1,),
        Decimal("60000.00"),
        Decimal("90.00"),
    )
    assert (cut.added_ids, cut.removed_ids, cut.score_gained) == (
        (2, 3, 4),
        (1,),
        Decimal("145.00"),
    )
    assert result.reserve_ids == (1,)


def test_each_application_is_explained():
    result = recommend(KNAPSACK)
    assert [e.code for e in result.explanations] == [
        "excluded_budget",
        "included",
        "included",
        "included",
    ]
    first = result.explanation_for(1)
    assert first.text == (
        "Excluded. Its request (USD 60,000.00) is more than the USD 0.00 left in the envelope "
        "by the best-scoring portfolio that meets the constraints. "
        "It was above the plain rank-order funding line."
    )
    assert result.explanation_for(2).text == (
        "Included: rank 2, score 85.00, requests USD 50,000.00. "
        "It was below the plain rank-order funding line; the optimiser added it."
    )
    assert first.params["remaining"] == "USD 0.00"


def test_request_larger_than_the_whole_envelope_is_excluded_for_budget():
    result = recommend([candidate(1, 99, 150), candidate(2, 50, 10)])
    assert result.selected_ids == (2,)
    assert result.explanation_for(1).code == "excluded_budget"
    assert "more than the whole envelope (USD 100,000.00)" in result.explanation_for(1).text
    # The rank cut stops at the first request that does not fit.
    assert result.rank_cut.ids == ()


def test_country_cap_limits_projects_per_country():
    result = recommend(
        [candidate(1, 90, 10, ["NG"]), candidate(2, 80, 10, ["NG"]), candidate(3, 70, 10, ["KE"])],
        max_per_country=1,
    )
    assert result.selected_ids == (1, 3)
    excluded = result.explanation_for(2)
    assert (excluded.code, excluded.codes) == (
        "excluded_country_cap:NG",
        ("excluded_country_cap:NG",),
    )
    assert "NG already has the maximum of 1 selected projects." in excluded.text
    assert result.rank_cut.violations == ("country_cap:NG",)
    assert not result.rank_cut.satisfies_constraints


def test_multi_country_project_counts_toward_each_of_its_countries():
    # #1 works in NG and KE, so with a cap of 1 neither #2 (NG) nor #3 (KE) may join it;
    # #2 + #3 (160) beat #1 alone (95).
    result = recommend(
        [
            candidate(1, 95, 10, ["NG", "KE"]),
            candidate(2, 80, 10, ["NG"]),
            candidate(3, 80, 10, ["KE"]),
        ],
        max_per_country=1,
    )
    assert result.selected_ids == (2, 3)
    assert result.explanation_for(1).codes == ("excluded_country_cap:NG", "excluded_country_cap:KE")


# Unconstrained: {1, 2} = 100k, score 185 (no women-and-girls project).
# 30 % of the 100k envelope is a 30k floor: {2, 3, 4} = 90k, women-and-girls 50k, score 160,
# beats {1, 3} = 90k, women-and-girls 30k, score 135.
SHARE = [
    candidate(1, 95, 60),
    candidate(2, 90, 40),
    candidate(3, 40, 30, women_and_girls=True),
    candidate(4, 30, 20, women_and_girls=True),
]


def test_women_and_girls_share_is_a_floor_on_the_envelope():
    assert recommend(SHARE).selected_ids == (1, 2)
    result = recommend(SHARE, min_women_girls_share=Decimal("0.30"))
    assert result.selected_ids == (2, 3, 4)
    assert result.women_and_girls_usd == Decimal("50000.00")
    # 30 % of the envelope, not of the 90k selected.
    assert result.women_and_girls_floor_usd == Decimal("30000.00")
    assert result.rank_cut.violations == ("women_girls_share",)
    assert result.rank_cut.score_gained == Decimal("-25.00")
    assert "women-and-girls share" in result.explanation_for(3).text


def test_minimum_number_of_countries_brings_in_another_country():
    applications = [
        candidate(1, 90, 30),
        candidate(2, 85, 30),
        candidate(3, 80, 30),
        candidate(4, 40, 30, ["KE"]),
    ]
    assert recommend(applications).selected_ids == (1, 2, 3)
    result = recommend(applications, min_countries=2)
    assert result.selected_ids == (1, 2, 4)
    assert result.countries_covered == 2
    assert result.rank_cut.violations == ("min_countries",)


def test_equal_scores_and_costs_go_to_the_better_ranked_application():
    applications = [candidate(2, 80, 60, id="second"), candidate(1, 80, 60, id="first")]
    assert recommend(applications).selected_ids == ("first",)


def test_input_order_does_not_change_the_result():
    forward = recommend(SHARE, min_women_girls_share=Decimal("0.3"))
    backward = recommend(list(reversed(SHARE)), min_women_girls_share=Decimal("0.3"))
    assert forward == backward


def test_no_candidates_is_an_empty_optimal_portfolio():
    result = recommend([])
    assert (result.status, result.selected_ids, result.total_usd) == (
        "optimal",
        (),
        Decimal("0.00"),
    )


def test_candidates_come_from_a_ranking():
    ranking = rank(
        [ApplicationInput(1, Decimal(60000), ("NG",), True), ApplicationInput(2, Decimal(5000))],
        [ReviewInput(1, "r", {"q": 5}), ReviewInput(2, "r", {"q": 4})],
        [Criterion("q")],
        [],
        ENVELOPE,
    )
    candidates = [PortfolioCandidate.from_ranked(row) for row in ranking]
    assert candidates[0] == PortfolioCandidate(
        1, 1, ranking[0].total_score, Decimal(60000), ("NG",), True
    )
    assert recommend(candidates).selected_ids == (1, 2)


def test_duplicate_ranks_are_refused():
    with pytest.raises(ValueError, match="share a rank"):
        recommend([candidate(1, 50, 1, id="a"), candidate(1, 40, 1, id="b")])


class TestInfeasible:
    def test_share_larger_than_all_women_and_girls_requests(self):
        result = recommend(SHARE, min_women_girls_share=Decimal("0.6"))
        assert (result.status, result.feasible, result.reason) == (
            "infeasible",
            False,
            "women_girls_share",
        )
        assert result.message == (
            "Women-and-girls projects that fit the envelope request USD 50,000.00 in total, "
            "less than a women-and-girls floor of USD 60,000.00 (60 % of the envelope)."
        )
        assert result.selected_ids == ()
        assert result.reserve_ids == (1, 2, 3, 4)
        assert {e.code for e in result.explanations} == {"excluded_infeasible"}

    def test_more_countries_than_the_candidates_cover(self):
        result = recommend(KNAPSACK, min_countries=2)
        assert (result.status, result.reason) == ("infeasible", "min_countries")
        assert (
            "cover 1 countries; the call asks for at least 2 distinct countries" in result.message
        )

    def test_countries_that_cannot_fit_the_envelope_together(self):
        result = recommend(
            [candidate(1, 90, 60, ["NG"]), candidate(2, 80, 60, ["KE"])], min_countries=2
        )
        assert (result.status, result.reason) == ("infeasible", "min_countries")
        assert result.message == (
            "No portfolio within the envelope of USD 100,000.00 meets "
            "at least 2 distinct countries."
        )

    def test_share_and_countries_that_are_each_possible_but_not_together(self):
        # Share alone: {1}. Two countries alone: {2, 3}. Both: #1 (50k) + #2 (KE, 60k) > 100k.
        applications = [
            candidate(1, 90, 50, ["NG"], women_and_girls=True),
            candidate(2, 80, 60, ["KE"]),
            candidate(3, 70, 10, ["NG"]),
        ]
        result = recommend(applications, min_women_girls_share=Decimal("0.5"), min_countries=2)
        assert result.reason == "women_girls_share+min_countries"
        assert "USD 50,000.00 (50 % of the envelope) together with at least 2" in result.message

    def test_share_that_the_country_cap_makes_impossible(self):
        applications = [
            candidate(1, 90, 30, ["NG"], women_and_girls=True),
            candidate(2, 80, 30, ["NG"], women_and_girls=True),
            candidate(3, 70, 30, ["KE"]),
        ]
        result = recommend(applications, min_women_girls_share=Decimal("0.6"), max_per_country=1)
        assert result.reason == "women_girls_share+max_per_country"
        assert result.message.endswith("together with at most 1 projects per country.")


@pytest.mark.parametrize(
    "kwargs",
    [{"max_per_country": 0}, {"min_women_girls_share": Decimal("1.5")}, {"min_countries": -1}],
)
def test_malformed_constraints_are_refused(kwargs):
    with pytest.raises(ValueError):
        PortfolioConstraints(**kwargs)


class FakeSolver:
    """Stands in for scipy's milp to reach the branches a real solve rarely takes."""

    def __init__(self, status, x):
        self.status, self.x = status, x

    def __call__(self, *args, **kwargs):
        return self


def test_time_limit_without_any_portfolio_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr("grants.ranking.portfolio.milp", FakeSolver(1, None))
    result = recommend(KNAPSACK)
    assert (result.status, result.reason, result.selected_ids) == ("infeasible", "time_limit", ())
    assert result.message == "The solver found no portfolio within its time limit of 30 s."


def test_time_limit_with_a_portfolio_keeps_it_and_says_it_is_not_proven(monkeypatch):
    monkeypatch.setattr("grants.ranking.portfolio.milp", FakeSolver(1, [0, 0, 1, 0]))
    result = recommend(KNAPSACK)
    assert (result.status, result.feasible, result.selected_ids) == ("time_limit", True, (3,))
    assert result.explanation_for(4).code == "excluded_not_needed"
    assert "time limit" in result.explanation_for(4).text


def test_solver_answer_that_breaks_a_constraint_is_never_returned(monkeypatch):
    monkeypatch.setattr("grants.ranking.portfolio.milp", FakeSolver(0, [1, 1, 1, 1]))
    result = recommend(KNAPSACK)
    assert (result.status, result.feasible, result.selected_ids) == ("solver_error", False, ())
    assert "breaks envelope" in result.message
