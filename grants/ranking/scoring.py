"""Scores and ranking of a call's applications: pure functions, no database.

Rules (each displayed figure is rounded half-up to two places and every figure is
computed from the rounded figures one level below it, so the breakdown can be
recomputed by hand):

* Review score: the weighted average of the rubric scores (each 1–5), mapped linearly
  from 1..5 to 0..100: ``(avg - 1) / 4 * 100``.
* Normalisation (per reviewer, across the call): take every review's raw score in the
  call; the pooled mean M and pooled standard deviation S are their population mean
  and standard deviation. For a review by reviewer r, with r's own mean m_r and
  population standard deviation s_r over their reviews in the call,
  ``z = (raw - m_r) / s_r`` and ``normalised = clamp(M + z * S, 0, 100)``.
  A reviewer whose scores do not vary (s_r = 0, which includes a reviewer with a single
  review) gets z = 0, i.e. the pooled mean: their reviews tell nothing about how
  applications compare, so they neither lift nor sink anyone. (A spread below 1e-9
  counts as 0, to ignore float noise.) The statistics are taken from the rounded raw
  scores in floating point and shown rounded (z to three places), so recomputing a
  normalised score from the shown statistics agrees to within 0.01.
* Review component: the mean over the application's reviews of the normalised scores
  (or of the raw scores when normalisation is off). Both means are always shown.
* Priority score: the weighted share of the call's priorities that the secretariat
  confirmed for the application, 0–100. A call without priorities has no priority
  score and the combined score is the review component alone (review weight 1).
* Combined: ``review_weight * review_component + (1 - review_weight) * priority_score``.
* Ranking order: higher combined score; ties (equal to the hundredth, as shown) go to the
  higher priority score, then the higher raw review mean, then the lower requested
  amount, then the earlier submission (unknown submission last), then the lower id.
* Applications without reviews are listed after the ranked ones with rank and score
  None, ordered by submission then id; they take no part in the funding line.
* Funding line: cumulative requested amounts in rank order; an application is above
  the line while the cumulative amount stays within the envelope. The line is where
  the envelope first runs out: later, smaller requests are not slipped in (the
  portfolio recommendation does that).
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fundapp.core.money import CENT, usd

from .types import (
    ApplicationInput,
    Criterion,
    PriorityBreakdown,
    PriorityInput,
    RankedApplication,
    ReviewBreakdown,
    ReviewerStats,
    ReviewInput,
    ScoreBreakdown,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)
DEFAULT_REVIEW_WEIGHT = Decimal("0.70")


def _round_float(value: float, places: int) -> Decimal:
    """Half-up rounding of a float, ignoring float noise (59.49999999999 is 59.50)."""
    scaled = math.floor(abs(value) * 10**places + 0.5 + 1e-7)
    return Decimal(-scaled if value < 0 else scaled).scaleb(-places)


def to_score(value: float | Decimal) -> Decimal:
    """Round a score to two places, half-up."""
    if isinstance(value, float):
        return _round_float(value, 2)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def validate_scores(review: ReviewInput, criteria: Sequence[Criterion]) -> None:
    """Refuse a review unless it scores every criterion, and only those, with 1–5."""
    expected = {c.code for c in criteria}
    if review.scores.keys() == expected and all(
        type(score) is int and 1 <= score <= 5 for score in review.scores.values()
    ):
        return
    where = f"application {review.application_id!r}, reviewer {review.reviewer_id!r}"
    missing = expected - review.scores.keys()
    unknown = review.scores.keys() - expected
    if missing:
        raise ValueError(f"{where}: no score for criteria {', '.join(sorted(missing))}")
    if unknown:
        raise ValueError(f"{where}: unknown criteria {', '.join(sorted(map(str, unknown)))}")
    for code, score in review.scores.items():
        if type(score) is not int or not 1 <= score <= 5:
            raise ValueError(
                f"{where}: the score for {code!r} must be a whole number from 1 to 5 "
                f"(got {score!r})"
            )


def _checked_criteria(criteria: Iterable[Criterion]) -> tuple[tuple[Criterion, ...], Decimal]:
    criteria = tuple(criteria)
    if not criteria:
        raise ValueError("the rubric has no criteria")
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        raise ValueError("the rubric lists a criterion twice")
    return criteria, sum((c.weight for c in criteria), ZERO)


def _raw_score(scores: Mapping[str, int], criteria, total_weight: Decimal) -> Decimal:
    weighted = sum((c.weight * scores[c.code] for c in criteria), ZERO)
    return to_score((weighted / total_weight - ONE) * 25)


def review_score(review: ReviewInput, criteria: Sequence[Criterion]) -> Decimal:
    """The review's weighted rubric average mapped from 1..5 to 0..100."""
    criteria, total_weight = _checked_criteria(criteria)
    validate_scores(review, criteria)
    return _raw_score(review.scores, criteria, total_weight)


def _population_stats(values: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def normalise_scores(
    scored: Sequence[tuple[Hashable, Decimal]],
) -> tuple[Decimal, Decimal, dict[Hashable, ReviewerStats], list[tuple[Decimal, Decimal]]]:
    """Normalise raw review scores per reviewer (see the module docstring).

    `scored` holds (reviewer_id, raw score) for every review of the call. Returns the
    pooled mean, the pooled standard deviation, each reviewer's stats and, in the order
    given, (z, normalised score) for each review.
    """
    if not scored:
        return ZERO, ZERO, {}, []
    raw = [float(score) for _, score in scored]
    pooled_mean, pooled_std = _population_stats(raw)
    by_reviewer: dict[Hashable, list[float]] = defaultdict(list)
    for (reviewer_id, _), value in zip(scored, raw, strict=True):
        by_reviewer[reviewer_id].append(value)
    moments = {r: _population_stats(values) for r, values in by_reviewer.items()}
    stats = {
        r: ReviewerStats(r, len(by_reviewer[r]), to_score(mean), to_score(std))
        for r, (mean, std) in moments.items()
    }
    results = []
    for (reviewer_id, _), value in zip(scored, raw, strict=True):
        mean, std = moments[reviewer_id]
        z = (value - mean) / std if std > 1e-9 else 0.0
        normalised = min(100.0, max(0.0, pooled_mean + z * pooled_std))
        results.append((_round_float(z, 3), _round_float(normalised, 2)))
    return to_score(pooled_mean), to_score(pooled_std), stats, results


def _checked_priorities(priorities: Iterable[PriorityInput]) -> tuple[PriorityInput, ...]:
    priorities = tuple(priorities)
    codes = [p.code for p in priorities]
    if len(set(codes)) != len(codes):
        raise ValueError("the call lists a priority twice")
    return priorities


def priority_score(
    application: ApplicationInput, priorities: Sequence[PriorityInput]
) -> Decimal | None:
    """Weighted share of the call's priorities confirmed for the application, 0–100.

    None when the call has no priorities. A confirmed code that is not a priority of the
    call is refused.
    """
    priorities = _checked_priorities(priorities)
    if not priorities:
        return None
    known = {p.code for p in priorities}
    foreign = application.confirmed_priorities - known
    if foreign:
        raise ValueError(
            f"application {application.id!r}: confirmed priorities not in the call: "
            + ", ".join(sorted(foreign))
        )
    total = sum((p.weight for p in priorities), ZERO)
    confirmed = sum(
        (p.weight for p in priorities if p.code in application.confirmed_priorities), ZERO
    )
    return to_score(confirmed / total * HUNDRED)


def combined_score(
    review_component: Decimal, priority: Decimal | None, review_weight: Decimal
) -> Decimal:
    if priority is None:
        return to_score(review_component)
    return to_score(review_weight * review_component + (ONE - review_weight) * priority)


def _checked_review_weight(review_weight) -> Decimal:
    try:
        weight = Decimal(repr(review_weight) if isinstance(review_weight, float) else review_weight)
    except (InvalidOperation, TypeError, ValueError):
        weight = Decimal("NaN")
    if not weight.is_finite() or not ZERO <= weight <= ONE:
        raise ValueError(f"review_weight must be between 0 and 1 (got {review_weight!r})")
    return weight


def _index_applications(applications: Iterable[ApplicationInput]) -> dict:
    indexed = {}
    for application in applications:
        if application.id in indexed:
            raise ValueError(f"application {application.id!r} is listed twice")
        indexed[application.id] = application
    return indexed


def _score_reviews(reviews, applications, criteria, total_weight) -> list:
    seen = set()
    scored = []
    codes = tuple(c.code for c in criteria)
    cache: dict[tuple, Decimal] = {}  # only 5**len(criteria) possible score vectors
    for review in reviews:
        key = (review.application_id, review.reviewer_id)
        if review.application_id not in applications:
            raise ValueError(f"review of unknown application {review.application_id!r}")
        if key in seen:
            raise ValueError(
                f"reviewer {review.reviewer_id!r} reviewed application "
                f"{review.application_id!r} twice"
            )
        seen.add(key)
        validate_scores(review, criteria)
        key = tuple(review.scores[code] for code in codes)
        raw = cache.get(key)
        if raw is None:
            raw = cache[key] = _raw_score(review.scores, criteria, total_weight)
        scored.append((review.reviewer_id, raw))
    return scored


def _priorities_of(application, context) -> tuple[tuple, Decimal | None]:
    """Priority rows and score; shared between applications with the same priorities."""
    key = (application.claimed_priorities, application.confirmed_priorities)
    cached = context["priority_cache"].get(key)
    if cached is None:
        cached = _priority_rows(application, context["priorities"])
        context["priority_cache"][key] = cached
    return cached


def _priority_rows(application, priorities) -> tuple[tuple, Decimal | None]:
    score = priority_score(application, priorities)
    rows = tuple(
        PriorityBreakdown(
            p.code,
            p.weight,
            p.code in application.claimed_priorities,
            p.code in application.confirmed_priorities,
        )
        for p in priorities
    )
    return rows, score


def _mean(values: Sequence[Decimal]) -> Decimal:
    return to_score(sum(values, ZERO) / len(values))


def _submission_key(application: ApplicationInput) -> tuple:
    if application.submitted_at is None:
        return (1,)
    return (0, application.submitted_at)


def _scored_row(application, reviews, context) -> tuple:
    """(sort key or None, breakdown, total) for one application."""
    priority_rows, priority = _priorities_of(application, context)
    raw_mean = normalised_mean = component = total = key = None
    if reviews:
        raw_mean = _mean([r.raw_score for r in reviews])
        normalised_mean = _mean([r.normalised_score for r in reviews])
        component = normalised_mean if context["normalise"] else raw_mean
        total = combined_score(component, priority, context["review_weight"])
        key = (
            -total,
            -(priority or ZERO),
            -raw_mean,
            application.requested_usd,
            _submission_key(application),
            application.id,
        )
    breakdown = ScoreBreakdown(
        criteria=context["criteria"],
        reviews=tuple(reviews),
        priorities=priority_rows,
        raw_review_score=raw_mean,
        normalised_review_score=normalised_mean,
        normalised=context["normalise"],
        review_component=component,
        priority_score=priority,
        review_weight=context["review_weight"] if priority is not None else ONE,
        pooled_mean=context["pooled_mean"],
        pooled_std=context["pooled_std"],
    )
    return key, breakdown, total


def _ranked_rows(scored, envelope: Decimal) -> list[RankedApplication]:
    reviewed = sorted((row for row in scored if row[0] is not None), key=lambda row: row[0])
    unreviewed = sorted(
        (row for row in scored if row[0] is None),
        key=lambda row: (_submission_key(row[3]), row[3].id),
    )
    result = []
    cumulative = ZERO
    above = True
    for position, (_, breakdown, total, application) in enumerate(reviewed, start=1):
        cumulative += application.requested_usd
        above = above and cumulative <= envelope
        result.append(_row(application, position, total, breakdown, cumulative, above))
    for _, breakdown, _, application in unreviewed:
        result.append(_row(application, None, None, breakdown, None, False))
    return result


def _row(application, position, total, breakdown, cumulative, above) -> RankedApplication:
    return RankedApplication(
        rank=position,
        application_id=application.id,
        total_score=total,
        breakdown=breakdown,
        requested_usd=application.requested_usd,
        cumulative_usd=cumulative,
        above_funding_line=above,
        countries=application.countries,
        women_and_girls=application.women_and_girls,
    )


def rank(
    applications: Iterable[ApplicationInput],
    reviews: Iterable[ReviewInput],
    criteria: Iterable[Criterion],
    priorities: Iterable[PriorityInput],
    envelope_usd: Decimal,
    review_weight: Decimal | float = DEFAULT_REVIEW_WEIGHT,
    normalise: bool = True,
) -> list[RankedApplication]:
    """Rank a call's applications (rules in the module docstring).

    `reviews` are the call's submitted reviews; they all count towards the reviewers'
    normalisation. Raises ValueError on inconsistent input (a score outside 1–5, a
    review of an unknown application, a reviewer reviewing an application twice...).
    """
    criteria, criteria_weight = _checked_criteria(criteria)
    priorities = _checked_priorities(priorities)
    indexed = _index_applications(applications)
    reviews = tuple(reviews)
    raw = _score_reviews(reviews, indexed, criteria, criteria_weight)
    pooled_mean, pooled_std, stats, normalised = normalise_scores(raw)
    by_application: dict[Hashable, list[ReviewBreakdown]] = defaultdict(list)
    for review, (reviewer_id, raw_score), (z, score) in zip(reviews, raw, normalised, strict=True):
        by_application[review.application_id].append(
            ReviewBreakdown(reviewer_id, raw_score, score, z, stats[reviewer_id], review.scores)
        )
    context = {
        "criteria": criteria,
        "priorities": priorities,
        "priority_cache": {},
        "normalise": bool(normalise),
        "review_weight": _checked_review_weight(review_weight),
        "pooled_mean": pooled_mean if raw else None,
        "pooled_std": pooled_std if raw else None,
    }
    scored = [
        (*_scored_row(application, by_application.get(application.id, ()), context), application)
        for application in indexed.values()
    ]
    return _ranked_rows(scored, usd(envelope_usd))
