"""Per-reviewer normalisation, computed by hand.

One criterion, so a rubric score s is worth (s - 1) * 25: 1->0, 2->25, 3->50, 4->75, 5->100.
"""

from decimal import Decimal

from grants.ranking import ApplicationInput, Criterion, ReviewInput, rank

RUBRIC = [Criterion("quality")]


def apps(*ids):
    return [ApplicationInput(id=i, requested_usd=Decimal("1000")) for i in ids]


def reviews(*triples):
    return [ReviewInput(app, reviewer, {"quality": score}) for app, reviewer, score in triples]


def by_id(rows):
    return {row.application_id: row for row in rows}


# Lenient A gives P 5 (100) and Q 4 (75); harsh B gives R 2 (25) and S 1 (0).
# Pooled {100, 75, 25, 0}: mean 50, variance (2500 + 625 + 625 + 2500) / 4 = 1562.5,
# std sqrt(1562.5) = 39.5285.
# A: mean 87.5, std 12.5 -> z(P) = +1, z(Q) = -1.  B: mean 12.5, std 12.5 -> z(R) = +1,
# z(S) = -1.  Normalised = 50 + z * 39.5285: P = R = 89.5285 -> 89.53, Q = S = 10.47.
LENIENT_AND_HARSH = reviews(("P", "A", 5), ("Q", "A", 4), ("R", "B", 2), ("S", "B", 1))


def test_lenient_and_harsh_reviewers_count_alike():
    rows = by_id(rank(apps("P", "Q", "R", "S"), LENIENT_AND_HARSH, RUBRIC, [], 10**6))
    assert [rows[i].breakdown.normalised_review_score for i in "PQRS"] == [
        Decimal("89.53"),
        Decimal("10.47"),
        Decimal("89.53"),
        Decimal("10.47"),
    ]
    assert [rows[i].breakdown.raw_review_score for i in "PQRS"] == [
        Decimal("100.00"),
        Decimal("75.00"),
        Decimal("25.00"),
        Decimal("0.00"),
    ]


def test_normalisation_applied_is_shown_with_each_review():
    rows = by_id(rank(apps("P", "Q", "R", "S"), LENIENT_AND_HARSH, RUBRIC, [], 10**6))
    review = rows["Q"].breakdown.reviews[0]
    assert (review.reviewer_id, review.raw_score, review.normalised_score, review.z) == (
        "A",
        Decimal("75.00"),
        Decimal("10.47"),
        Decimal("-1.000"),
    )
    assert (review.reviewer.review_count, review.reviewer.mean, review.reviewer.std) == (
        2,
        Decimal("87.50"),
        Decimal("12.50"),
    )
    assert rows["Q"].breakdown.pooled_mean == Decimal("50.00")
    assert rows["Q"].breakdown.pooled_std == Decimal("39.53")


def test_normalisation_lifts_the_harsh_reviewers_best_above_the_lenient_reviewers_worst():
    ranking = rank(apps("P", "Q", "R", "S"), LENIENT_AND_HARSH, RUBRIC, [], 10**6)
    # P and R tie at 89.53; P's raw mean (100) beats R's (25).
    assert [row.application_id for row in ranking] == ["P", "R", "Q", "S"]


def test_without_normalisation_the_raw_mean_ranks():
    ranking = rank(apps("P", "Q", "R", "S"), LENIENT_AND_HARSH, RUBRIC, [], 10**6, normalise=False)
    assert [row.application_id for row in ranking] == ["P", "Q", "R", "S"]
    assert ranking[1].total_score == Decimal("75.00")
    assert ranking[1].breakdown.normalised_review_score == Decimal("10.47")


def test_reviewer_with_a_single_review_gets_the_pooled_mean_and_scores_are_clamped():
    # A: P 5 (100), Q 3 (50); C: T 5 (100), C's only review.
    # Pooled {100, 50, 100}: mean 83.3333, variance (16.667² * 2 + 33.333²) / 3 = 555.56,
    # std 23.5702. C has no spread: z = 0 -> T = 83.33.
    # A: mean 75, std 25: P z = +1 -> 83.3333 + 23.5702 = 106.9 -> clamped to 100.00;
    # Q z = -1 -> 59.7631 -> 59.76.
    ranking = rank(
        apps("P", "Q", "T"), reviews(("P", "A", 5), ("Q", "A", 3), ("T", "C", 5)), RUBRIC, [], 1
    )
    rows = by_id(ranking)
    assert rows["T"].breakdown.normalised_review_score == Decimal("83.33")
    assert rows["T"].breakdown.reviews[0].z == Decimal("0.000")
    assert rows["P"].breakdown.normalised_review_score == Decimal("100.00")
    assert rows["Q"].breakdown.normalised_review_score == Decimal("59.76")


def test_reviewer_who_gives_everyone_the_same_score_neither_lifts_nor_sinks():
    # A: P 5 (100), Q 3 (50); D: U 4 (75), V 4 (75).
    # Pooled {100, 50, 75, 75}: mean 75, variance (625 + 625) / 4 = 312.5, std 17.6777.
    # D has std 0 -> z = 0 -> U = V = 75.00.  P = 75 + 17.6777 = 92.68; Q = 57.32.
    ranking = rank(
        apps("P", "Q", "U", "V"),
        reviews(("P", "A", 5), ("Q", "A", 3), ("U", "D", 4), ("V", "D", 4)),
        RUBRIC,
        [],
        1,
    )
    rows = by_id(ranking)
    assert [rows[i].breakdown.normalised_review_score for i in "PQUV"] == [
        Decimal("92.68"),
        Decimal("57.32"),
        Decimal("75.00"),
        Decimal("75.00"),
    ]


def test_application_score_is_the_mean_of_its_normalised_reviews():
    # A: P 5 (100), Q 1 (0) -> mean 50, std 50, z = +1 / -1.
    # B: P 3 (50), Q 3 (50) -> std 0, z = 0.
    # Pooled {100, 0, 50, 50}: mean 50, variance (2500 + 2500) / 4 = 1250, std 35.3553.
    # P: A -> 85.3553 -> 85.36, B -> 50.00; mean (85.36 + 50.00) / 2 = 67.68.
    ranking = rank(
        apps("P", "Q"),
        reviews(("P", "A", 5), ("Q", "A", 1), ("P", "B", 3), ("Q", "B", 3)),
        RUBRIC,
        [],
        1,
    )
    rows = by_id(ranking)
    assert [r.normalised_score for r in rows["P"].breakdown.reviews] == [
        Decimal("85.36"),
        Decimal("50.00"),
    ]
    assert rows["P"].breakdown.normalised_review_score == Decimal("67.68")
    assert rows["P"].breakdown.raw_review_score == Decimal("75.00")
