"""Pure computational core of ranking and portfolio selection (no Django models).

`scoring.rank()` turns applications, reviews, the rubric and the call's priorities into
a ranking with a full breakdown and the funding line; `portfolio.recommend_portfolio()`
picks the best set within the envelope under the call's constraints. See each module's
docstring for the exact rules.
"""

from .portfolio import recommend_portfolio
from .scoring import (
    combined_score,
    normalise_scores,
    priority_score,
    rank,
    review_score,
    validate_scores,
)
from .types import (
    ApplicationInput,
    Criterion,
    Explanation,
    PortfolioCandidate,
    PortfolioConstraints,
    PortfolioResult,
    PriorityBreakdown,
    PriorityInput,
    RankCutComparison,
    RankedApplication,
    ReviewBreakdown,
    ReviewerStats,
    ReviewInput,
    ScoreBreakdown,
)

__all__ = [
    "ApplicationInput",
    "Criterion",
    "Explanation",
    "PortfolioCandidate",
    "PortfolioConstraints",
    "PortfolioResult",
    "PriorityBreakdown",
    "PriorityInput",
    "RankCutComparison",
    "RankedApplication",
    "ReviewBreakdown",
    "ReviewInput",
    "ReviewerStats",
    "ScoreBreakdown",
    "combined_score",
    "normalise_scores",
    "priority_score",
    "rank",
    "recommend_portfolio",
    "review_score",
    "validate_scores",
]
