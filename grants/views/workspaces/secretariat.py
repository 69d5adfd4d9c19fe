"""The secretariat's home panel, beside its work queue: what a fund officer runs the week
from — this year's contributions against the target, the open calls with their deadlines,
and the next Board session. A fixed number of queries (four), whatever the rows."""

from django.db.models import Q
from django.utils import timezone

from donors.selectors import year_progress
from grants.models.board import SessionKind, SessionStatus
from grants.selectors.board import sessions_visible_to
from grants.selectors.calls import open_calls

OPEN_CALLS_SHOWN = 5


def next_board_session(user):
    """The open session that sits (or closes its vote) soonest; else the latest open one."""
    now = timezone.now()
    today = timezone.localdate()
    sessions = (sessions_visible_to(user).prefetch_related(None)
                .filter(status=SessionStatus.OPEN))
    upcoming = sessions.filter(Q(kind=SessionKind.MEETING, meeting_date__gte=today)
                               | Q(kind=SessionKind.WRITTEN, closes_at__gte=now))
    return (upcoming.order_by("meeting_date", "closes_at", "pk").first()
            or sessions.order_by("-created_at", "-pk").first())


def panel(request) -> dict:
    calls = list(open_calls().prefetch_related(None)[:OPEN_CALLS_SHOWN + 1])
    progress = year_progress()
    return {
        "target": progress,
        "target_width": min(int(progress["percent"]), 100),
        "open_calls": calls[:OPEN_CALLS_SHOWN],
        "more_calls": len(calls) > OPEN_CALLS_SHOWN,
        "next_session": next_board_session(request.user),
    }
