"""The Board member's home panel: the open sessions with how many of their items still
need this member's vote (``grants.selectors.work.members``)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from grants.models import SessionStatus
from grants.selectors.board import session_list
from grants.selectors.work.members import items_awaiting_vote

PANEL_SIZE = 5


def panel(request) -> dict:
    """One query: each open session with its items and those awaiting the member's vote."""
    user = request.user
    awaiting = (items_awaiting_vote(user).filter(session=OuterRef("pk")).order_by()
                .values("session").annotate(n=Count("pk")).values("n"))
    sessions = list(
        session_list(user, status=SessionStatus.OPEN).prefetch_related(None)
        .select_related("call")
        .annotate(n_items=Count("items", distinct=True),
                  n_awaiting=Coalesce(Subquery(awaiting, output_field=IntegerField()),
                                      Value(0)))
        .order_by("closes_at", "meeting_date", "pk")[:PANEL_SIZE])
    return {"sessions": sessions}
