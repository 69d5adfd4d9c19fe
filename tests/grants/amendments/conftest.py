from decimal import Decimal

import pytest

from grants.models import BudgetLine
from tests.grants.implementation.helpers import active_grant


def with_budget(grant):
    """The application's budget: direct assistance 30,000 and personnel 20,000."""
    BudgetLine.objects.create(application=grant.application, category="direct_assistance",
                              amount=Decimal("30000.00"), description="Shelter costs",
                              position=0)
    BudgetLine.objects.create(application=grant.application, category="personnel",
                              amount=Decimal("20000.00"), description="Social workers",
                              position=1)
    return grant


@pytest.fixture
def live_grant(organisation, ngo, secretariat):
    return with_budget(active_grant(organisation, ngo, secretariat, months=12))


def lines(direct="30000.00", personnel="20000.00", **extra) -> list[dict]:
    rows = [{"category": "direct_assistance", "description": "Shelter costs",
             "amount_usd": direct},
            {"category": "personnel", "description": "Social workers", "amount_usd": personnel}]
    rows += [{"category": c, "description": "", "amount_usd": a} for c, a in extra.items()]
    return [r for r in rows if r["amount_usd"]]
