"""Reads on refunds: a grant's refunds, for those who see the grant's details (the grantee's
members, the secretariat and the Board; 404 for the others, through the grant's getter)."""

from decimal import Decimal

from django.db.models import QuerySet

from grants.models import Grant, Refund
from grants.selectors.awards import get_grant_details_for

ZERO = Decimal("0.00")


def grant_refunds(grant: Grant) -> QuerySet[Refund]:
    """One query, whatever the number of refunds."""
    return (Refund.objects.filter(grant=grant).select_related("recorded_by")
            .order_by("received_on", "id"))


def refunds_total(refunds) -> Decimal:
    return sum((r.amount_usd for r in refunds), ZERO)


def get_refunds_grant_for(user, pk) -> Grant:
    """The grant whose refunds ``user`` may see (404 otherwise)."""
    return get_grant_details_for(user, pk)
