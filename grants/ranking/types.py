"""Plain, immutable inputs and results of the ranking engine (no Django models).

Ids (`application_id`, `reviewer_id`) may be any hashable values, but the ids of one
call must be mutually comparable (all ints or all strings): they are the last tie-break.
Money is always `Decimal` with two places; scores are `Decimal` with two places (0–100).
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fundapp.core.money import usd


def positive_weight(value, what: str) -> Decimal:
    """A weight as a Decimal; floats go through their shortest repr (0.1 -> 0.1)."""
    try:
        weight = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{what}: weight {value!r} is not a number") from exc
    if not weight.is_finite() or weight <= 0:
        raise ValueError(f"{what}: weight must be a positive number (got {value!r})")
    return weight


@dataclass(frozen=True, slots=True)
class Criterion:
    """A rubric criterion of the call; scored 1–5 by each reviewer."""

    code: str
    weight: Decimal = Decimal(1)

    def __post_init__(self):
        object.__setattr__(self, "weight", positive_weight(self.weight, f"criterion {self.code!r}"))


@dataclass(frozen=True, slots=True)
class PriorityInput:
    """A priority of the call, with its weight in the priority score."""

    code: str
    weight: Decimal = Decimal(1)

    def __post_init__(self):
        object.__setattr__(self, "weight", positive_weight(self.weight, f"priority {self.code!r}"))


@dataclass(frozen=True, slots=True)
class ReviewInput:
    """One submitted review: a score 1–5 for every criterion of the call's rubric."""

    application_id: Hashable
    reviewer_id: Hashable
    scores: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class ApplicationInput:
    """What the engine needs to know about an eligible application."""

    id: Hashable
    requested_usd: Decimal
    countries: tuple[str, ...] = ()
    women_and_girls: bool = False
    claimed_priorities: frozenset[str] = frozenset()
    confirmed_priorities: frozenset[str] = frozenset()
    submitted_at: datetime | None = None

    def __post_init__(self):
        requested = usd(self.requested_usd)
        if requested < 0:
            raise ValueError(f"application {self.id!r}: requested amount must not be negative")
        object.__setattr__(self, "requested_usd", requested)
        object.__setattr__(self, "countries", tuple(dict.fromkeys(self.countries)))
        object.__setattr__(self, "claimed_priorities", frozenset(self.claimed_priorities))
        object.__setattr__(self, "confirmed_priorities", frozenset(self.confirmed_priorities))
        unclaimed = self.confirmed_priorities - self.claimed_priorities
        if unclaimed:
            raise ValueError(
                f"application {self.id!r}: priorities confirmed but never claimed: "
                + ", ".join(sorted(unclaimed))
            )


@dataclass(frozen=True, slots=True)
class ReviewerStats:
    """A reviewer's raw totals across the call: what their reviews are normalised by."""

    reviewer_id: Hashable
    review_count: int
    mean: Decimal
    std: Decimal


@dataclass(frozen=True, slots=True)
class ReviewBreakdown:
    """One review as it entered the score: raw, normalised, and how it was normalised."""

    reviewer_id: Hashable
    raw_score: Decimal
    normalised_score: Decimal
    z: Decimal
    reviewer: ReviewerStats
    scores: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class PriorityBreakdown:
    code: str
    weight: Decimal
    claimed: bool
    confirmed: bool


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    """Everything the combined score is made of, each figure rounded to two places.

    `review_component` is `normalised_review_score` when `normalised`, else
    `raw_review_score`; `total = review_weight * review_component
    + (1 - review_weight) * priority_score`. With no reviews the review figures are None.
    """

    criteria: tuple[Criterion, ...]
    reviews: tuple[ReviewBreakdown, ...]
    priorities: tuple[PriorityBreakdown, ...]
    raw_review_score: Decimal | None
    normalised_review_score: Decimal | None
    normalised: bool
    review_component: Decimal | None
    priority_score: Decimal | None
    review_weight: Decimal
    pooled_mean: Decimal | None
    pooled_std: Decimal | None


@dataclass(frozen=True, slots=True)
class RankedApplication:
    """A row of the ranking. Unreviewed applications have rank and score None."""

    rank: int | None
    application_id: Hashable
    total_score: Decimal | None
    breakdown: ScoreBreakdown
    requested_usd: Decimal
    cumulative_usd: Decimal | None
    above_funding_line: bool
    countries: tuple[str, ...] = ()
    women_and_girls: bool = False


@dataclass(frozen=True, slots=True)
class PortfolioConstraints:
    """Per-call constraints of the portfolio; None switches a constraint off.

    `min_women_girls_share` is a fraction (0–1) of the envelope, not of the selected total.
    """

    max_per_country: int | None = None
    min_women_girls_share: Decimal | None = None
    min_countries: int | None = None

    def __post_init__(self):
        if self.max_per_country is not None and self.max_per_country < 1:
            raise ValueError("max_per_country must be at least 1")
        if self.min_countries is not None and self.min_countries < 0:
            raise ValueError("min_countries must not be negative")
        share = self.min_women_girls_share
        if share is not None:
            if isinstance(share, float):
                share = Decimal(repr(share))
            share = Decimal(share)
            if not share.is_finite() or not 0 <= share <= 1:
                raise ValueError("min_women_girls_share must be a fraction between 0 and 1")
            object.__setattr__(self, "min_women_girls_share", share)


@dataclass(frozen=True, slots=True)
class PortfolioCandidate:
    """An eligible, reviewed application offered to the portfolio solver."""

    application_id: Hashable
    rank: int
    score: Decimal
    requested_usd: Decimal
    countries: tuple[str, ...] = ()
    women_and_girls: bool = False

    def __post_init__(self):
        object.__setattr__(self, "requested_usd", usd(self.requested_usd))
        score = Decimal(repr(self.score) if isinstance(self.score, float) else self.score)
        object.__setattr__(self, "score", score.quantize(Decimal("0.01"), ROUND_HALF_UP))
        object.__setattr__(self, "countries", tuple(dict.fromkeys(self.countries)))
        if self.requested_usd < 0:
            raise ValueError(f"application {self.application_id!r}: negative request")
        if not 0 <= self.score <= 100:
            raise ValueError(f"application {self.application_id!r}: score outside 0–100")

    @classmethod
    def from_ranked(cls, row: RankedApplication) -> "PortfolioCandidate":
        if row.rank is None or row.total_score is None:
            raise ValueError(f"application {row.application_id!r} is not ranked")
        return cls(
            application_id=row.application_id,
            rank=row.rank,
            score=row.total_score,
            requested_usd=row.requested_usd,
            countries=row.countries,
            women_and_girls=row.women_and_girls,
        )


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an application is in or out of the portfolio.

    `code` is the main reason (`included`, `excluded_budget`, `excluded_country_cap:NG`,
    `excluded_not_needed`, `excluded_infeasible`); `codes` lists every reason that applies.
    `text` is plain English built from `params`, so a translated sentence can be
    rebuilt from the code and params.
    """

    application_id: Hashable
    rank: int
    code: str
    text: str
    codes: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RankCutComparison:
    """The plain rank-order cut at the funding line, and what the portfolio changed."""

    ids: tuple[Hashable, ...]
    total_usd: Decimal
    total_score: Decimal
    satisfies_constraints: bool
    violations: tuple[str, ...]
    added_ids: tuple[Hashable, ...]
    removed_ids: tuple[Hashable, ...]
    score_gained: Decimal


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    """The recommended portfolio.

    `status` is `optimal`; `time_limit` (the best portfolio found, not proven optimal);
    `infeasible` (nothing is selected; `reason` names the constraints in conflict, joined
    by "+", or `time_limit` when the solver found nothing in time, and `message` says why
    in English); or `solver_error` (nothing selected; should never happen).
    """

    status: str
    selected_ids: tuple[Hashable, ...]
    total_usd: Decimal
    total_score: Decimal
    reserve_ids: tuple[Hashable, ...]
    explanations: tuple[Explanation, ...]
    rank_cut: RankCutComparison
    envelope_usd: Decimal
    women_and_girls_usd: Decimal
    women_and_girls_floor_usd: Decimal
    countries_covered: int
    reason: str = ""
    message: str = ""

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "time_limit")

    def explanation_for(self, application_id: Hashable) -> Explanation:
        for explanation in self.explanations:
            if explanation.application_id == application_id:
                return explanation
        raise KeyError(application_id)
