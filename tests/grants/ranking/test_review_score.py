from decimal import Decimal

import pytest

from grants.ranking import Criterion, ReviewInput, review_score

RUBRIC = [Criterion("relevance", 2), Criterion("feasibility", 1), Criterion("cost", 1)]


def review(**scores):
    return ReviewInput(application_id=1, reviewer_id=7, scores=scores)


def test_weighted_average_is_mapped_from_one_to_five_onto_zero_to_hundred():
    # (2*4 + 1*3 + 1*5) / 4 = 16 / 4 = 4.0  ->  (4 - 1) / 4 * 100 = 75
    assert review_score(review(relevance=4, feasibility=3, cost=5), RUBRIC) == Decimal("75.00")


def test_all_fives_score_hundred_and_all_ones_score_zero():
    assert review_score(review(relevance=5, feasibility=5, cost=5), RUBRIC) == Decimal("100.00")
    assert review_score(review(relevance=1, feasibility=1, cost=1), RUBRIC) == Decimal("0.00")


def test_heavier_criterion_moves_the_score_more():
    # (2*5 + 1*1 + 1*1) / 4 = 3.0 -> 50;  (2*1 + 1*5 + 1*1) / 4 = 2.0 -> 25
    assert review_score(review(relevance=5, feasibility=1, cost=1), RUBRIC) == Decimal("50.00")
    assert review_score(review(relevance=1, feasibility=5, cost=1), RUBRIC) == Decimal("25.00")


def test_decimal_weights_are_exact():
    rubric = [Criterion("a", Decimal("1.5")), Criterion("b", 1)]
    # (1.5*5 + 1*2) / 2.5 = 9.5 / 2.5 = 3.8 -> (3.8 - 1) * 25 = 70
    assert review_score(ReviewInput(1, 7, {"a": 5, "b": 2}), rubric) == Decimal("70.00")


def test_score_is_rounded_half_up_to_two_places():
    rubric = [Criterion(f"c{i}") for i in range(8)]
    scores = {f"c{i}": 1 for i in range(8)} | {"c0": 2}
    # average 9/8 = 1.125 -> 0.125 * 25 = 3.125 -> 3.13 (half-up)
    assert review_score(ReviewInput(1, 7, scores), rubric) == Decimal("3.13")


def test_repeating_fractions_round_to_two_places():
    rubric = [Criterion("a"), Criterion("b"), Criterion("c")]
    # average 7/3 -> (4/3) * 25 = 33.333... -> 33.33
    assert review_score(ReviewInput(1, 7, {"a": 2, "b": 2, "c": 3}), rubric) == Decimal("33.33")


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "4", True, None])
def test_score_outside_one_to_five_is_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match=r"'cost' must be a whole number from 1 to 5"):
        review_score(review(relevance=3, feasibility=3, cost=bad), RUBRIC)


def test_missing_criterion_is_refused():
    with pytest.raises(ValueError, match="no score for criteria cost"):
        review_score(review(relevance=3, feasibility=3), RUBRIC)


def test_unknown_criterion_is_refused():
    with pytest.raises(ValueError, match="unknown criteria charm"):
        review_score(review(relevance=3, feasibility=3, cost=3, charm=5), RUBRIC)


@pytest.mark.parametrize("weight", [0, -1, "abc", float("nan")])
def test_criterion_weight_must_be_positive(weight):
    with pytest.raises(ValueError, match="weight"):
        Criterion("relevance", weight)
