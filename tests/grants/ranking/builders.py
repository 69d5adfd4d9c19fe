from decimal import Decimal

from grants.ranking import PortfolioCandidate


def candidate(rank, score, thousands, countries=("NG",), women_and_girls=False, id=None):
    """A candidate whose id is its rank unless told; amounts in thousands of USD."""
    return PortfolioCandidate(
        application_id=rank if id is None else id,
        rank=rank,
        score=Decimal(str(score)),
        requested_usd=Decimal(thousands) * 1000,
        countries=tuple(countries),
        women_and_girls=women_and_girls,
    )
