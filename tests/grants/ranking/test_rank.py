from datetime import UTC, datetime
from decimal import Decimal

import pytest

from grants.ranking import ApplicationInput, Criterion, PriorityInput, ReviewInput, rank

RUBRIC = [Criterion("relevance", 2), Criterion("feasibility", 1), Criterion("cost", 1)]
PRIORITIES = [PriorityInput("shelter", 2), PriorityInput("legal_aid", 1), PriorityInput("jobs", 1)]
ALL = frozenset({"shelter", "legal_aid", "jobs"})


def app(id, requested="10000", confirmed=(), submitted_at=None, **kwargs):
    return ApplicationInput(
        id=id,
        requested_usd=Decimal(requested),
        claimed_priorities=ALL,
        confirmed_priorities=frozenset(confirmed),
        submitted_at=submitted_at,
        **kwargs,
    )


def rev(app_id, reviewer, relevance, feasibility, cost):
    return ReviewInput(
        app_id, reviewer, {"relevance": relevance, "feasibility": feasibility, "cost": cost}
    )


# App 1: r1 (4, 3, 5) -> (8 + 3 + 5) / 4 = 4.0 -> 75; r2 (5, 5, 5) -> 100; raw mean 87.50.
#        confirmed shelter (2) + jobs (1) of 4 -> 75.00.
# App 2: r1 (3, 3, 3) -> 50; r2 (2, 2, 2) -> 25; raw mean 37.50; all confirmed -> 100.00.
TWO_APPS = [app(1, "60000", {"shelter", "jobs"}), app(2, "30000", ALL)]
TWO_REVIEWS = [
    rev(1, "r1", 4, 3, 5),
    rev(1, "r2", 5, 5, 5),
    rev(2, "r1", 3, 3, 3),
    rev(2, "r2", 2, 2, 2),
]


def test_combined_score_weighs_review_seventy_and_priorities_thirty_by_default():
    first, second = rank(TWO_APPS, TWO_REVIEWS, RUBRIC, PRIORITIES, 100000, normalise=False)
    # 0.7 * 87.5 + 0.3 * 75 = 61.25 + 22.5 = 83.75;  0.7 * 37.5 + 0.3 * 100 = 56.25
    assert (first.application_id, first.total_score) == (1, Decimal("83.75"))
    assert (second.application_id, second.total_score) == (2, Decimal("56.25"))
    assert first.breakdown.review_weight == Decimal("0.70")
    assert first.breakdown.priority_score == Decimal("75.00")


def test_review_weight_is_set_per_call():
    first, _ = rank(
        TWO_APPS, TWO_REVIEWS, RUBRIC, PRIORITIES, 1, review_weight=Decimal("0.5"), normalise=False
    )
    # 0.5 * 87.5 + 0.5 * 75 = 81.25
    assert first.total_score == Decimal("81.25")


def test_normalised_combined_score_is_computed_from_the_rounded_breakdown():
    # r1 {75, 50}: mean 62.5, std 12.5; r2 {100, 25}: mean 62.5, std 37.5 -> z = +1 on app 1,
    # -1 on app 2 for both. Pooled {75, 100, 50, 25}: mean 62.5, variance
    # (156.25 + 1406.25 + 156.25 + 1406.25) / 4 = 781.25, std 27.9508.
    # App 1: 62.5 + 27.9508 = 90.45 (both) -> 0.7 * 90.45 + 0.3 * 75 = 85.815 -> 85.82.
    # App 2: 62.5 - 27.9508 = 34.55 (both) -> 0.7 * 34.55 + 0.3 * 100 = 54.185 -> 54.19.
    first, second = rank(TWO_APPS, TWO_REVIEWS, RUBRIC, PRIORITIES, 100000)
    assert first.breakdown.review_component == Decimal("90.45")
    assert first.breakdown.raw_review_score == Decimal("87.50")
    assert first.total_score == Decimal("85.82")
    assert second.total_score == Decimal("54.19")


def test_breakdown_lists_each_reviewer_each_criterion_and_each_priority():
    first, _ = rank(TWO_APPS, TWO_REVIEWS, RUBRIC, PRIORITIES, 100000)
    assert [(r.reviewer_id, r.raw_score) for r in first.breakdown.reviews] == [
        ("r1", Decimal("75.00")),
        ("r2", Decimal("100.00")),
    ]
    assert first.breakdown.reviews[0].scores == {"relevance": 4, "feasibility": 3, "cost": 5}
    assert [c.code for c in first.breakdown.criteria] == ["relevance", "feasibility", "cost"]
    assert [(p.code, p.weight, p.confirmed) for p in first.breakdown.priorities] == [
        ("shelter", Decimal(2), True),
        ("legal_aid", Decimal(1), False),
        ("jobs", Decimal(1), True),
    ]


def test_call_without_priorities_ranks_on_the_review_score_alone():
    (first,) = rank(TWO_APPS[:1], TWO_REVIEWS[:2], RUBRIC, [], 1, normalise=False)
    assert first.total_score == Decimal("87.50")
    assert first.breakdown.priority_score is None
    assert first.breakdown.review_weight == Decimal(1)


SINGLE = [Criterion("quality")]
HALVES = [PriorityInput("a"), PriorityInput("b")]


def quality(app_id, reviewer, score):
    return ReviewInput(app_id, reviewer, {"quality": score})


def ranked_ids(applications, reviews, **kwargs):
    rows = rank(
        applications,
        reviews,
        SINGLE,
        HALVES,
        10**6,
        review_weight=Decimal("0.5"),
        normalise=False,
        **kwargs,
    )
    return [row.application_id for row in rows]


def test_tie_goes_to_the_higher_priority_score():
    # X: review 50, priorities 100 -> 0.5 * 50 + 0.5 * 100 = 75
    # Y: review 100, priorities 50 -> 0.5 * 100 + 0.5 * 50 = 75
    applications = [
        ApplicationInput("Y", Decimal(1), claimed_priorities={"a"}, confirmed_priorities={"a"}),
        ApplicationInput(
            "X", Decimal(1), claimed_priorities={"a", "b"}, confirmed_priorities={"a", "b"}
        ),
    ]
    assert ranked_ids(applications, [quality("Y", 1, 5), quality("X", 1, 3)]) == ["X", "Y"]


def test_tie_with_equal_priorities_goes_to_the_lower_request():
    applications = [
        ApplicationInput("big", Decimal(20000)),
        ApplicationInput("small", Decimal(10000)),
    ]
    assert ranked_ids(applications, [quality("big", 1, 4), quality("small", 1, 4)]) == [
        "small",
        "big",
    ]


def test_tie_with_equal_requests_goes_to_the_earlier_submission_then_unknown_last():
    early, late = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC)
    applications = [
        ApplicationInput("unknown", Decimal(1)),
        ApplicationInput("late", Decimal(1), submitted_at=late),
        ApplicationInput("early", Decimal(1), submitted_at=early),
    ]
    reviews = [quality(i, 1, 4) for i in ("unknown", "late", "early")]
    assert ranked_ids(applications, reviews) == ["early", "late", "unknown"]


def test_last_tie_break_is_the_lower_id():
    applications = [ApplicationInput(i, Decimal(1)) for i in (3, 1, 2)]
    assert ranked_ids(applications, [quality(i, 1, 4) for i in (3, 1, 2)]) == [1, 2, 3]


def test_funding_line_is_where_the_cumulative_request_first_exceeds_the_envelope():
    # Ranked by score: 40k, 50k, 20k, 5k -> cumulative 40k, 90k, 110k, 115k.
    applications = [
        ApplicationInput(i, Decimal(amount))
        for i, amount in ((1, 40000), (2, 50000), (3, 20000), (4, 5000))
    ]
    reviews = [quality(1, 1, 5), quality(2, 1, 4), quality(3, 1, 3), quality(4, 1, 2)]
    rows = rank(applications, reviews, SINGLE, [], Decimal("100000"))
    assert [row.cumulative_usd for row in rows] == [
        Decimal(v) for v in ("40000.00", "90000.00", "110000.00", "115000.00")
    ]
    # The 5k request would fit the 10k left, but the line does not skip (the portfolio may).
    assert [row.above_funding_line for row in rows] == [True, True, False, False]


def test_request_that_exactly_exhausts_the_envelope_is_above_the_line():
    rows = rank(
        [ApplicationInput(1, Decimal(100))], [quality(1, 1, 3)], SINGLE, [], Decimal("100.00")
    )
    assert rows[0].above_funding_line


def test_unreviewed_applications_come_last_without_rank_or_score():
    applications = [ApplicationInput(1, Decimal(10)), ApplicationInput(2, Decimal(10))]
    rows = rank(applications, [quality(2, 1, 3)], SINGLE, [], 1000)
    assert [(r.application_id, r.rank, r.total_score, r.cumulative_usd) for r in rows] == [
        (2, 1, Decimal("50.00"), Decimal("10.00")),
        (1, None, None, None),
    ]
    assert not rows[1].above_funding_line
    assert rows[1].breakdown.reviews == ()


def test_same_reviewer_twice_on_one_application_is_refused():
    with pytest.raises(ValueError, match="reviewed application 1 twice"):
        rank([ApplicationInput(1, Decimal(1))], [quality(1, 9, 3), quality(1, 9, 4)], SINGLE, [], 1)


def test_review_of_an_unknown_application_is_refused():
    with pytest.raises(ValueError, match="unknown application 2"):
        rank([ApplicationInput(1, Decimal(1))], [quality(2, 9, 3)], SINGLE, [], 1)


def test_out_of_range_score_in_a_ranking_is_refused():
    with pytest.raises(ValueError, match="from 1 to 5 \\(got 0\\)"):
        rank([ApplicationInput(1, Decimal(1))], [quality(1, 9, 0)], SINGLE, [], 1)


@pytest.mark.parametrize("weight", [-0.1, 1.5, "x"])
def test_review_weight_outside_zero_to_one_is_refused(weight):
    with pytest.raises(ValueError, match="review_weight must be between 0 and 1"):
        rank(
            [ApplicationInput(1, Decimal(1))],
            [quality(1, 9, 3)],
            SINGLE,
            [],
            1,
            review_weight=weight,
        )
