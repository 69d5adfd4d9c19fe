"""Notification kinds of the Board of Trustees (imported from ``GrantsConfig.ready``).

Importing this module also registers the board's Celery task (``grants.board_tasks``).
"""

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from fundapp.notifications.kinds import Kind, register

from . import board_tasks  # noqa: F401  (registers the vote-reminder task with Celery)


def _session_context(data: dict) -> dict:
    from grants.models import SessionKind

    kind = data.get("kind")
    return {"kind_label": SessionKind(kind).label if kind in SessionKind.values else kind,
            "closes_at": parse_datetime(data.get("closes_at") or ""),
            "meeting_date": parse_date(data.get("meeting_date") or "")}


def _decision_context(data: dict) -> dict:
    from grants.models import Decision

    decision = data.get("decision")
    return {"decision_label": Decision(decision).label if decision in Decision.values
            else decision}


def _closed_context(data: dict) -> dict:
    from grants.models import Decision

    counts = [(str(Decision(d).label) if d in Decision.values else d, n)
              for d, n in (data.get("counts") or {}).items()]
    return {"counts": counts}


register("board_session_opened", Kind(
    _("Board session on call {call_number}: your vote is needed"),
    _("Board session opened"), context=_session_context))
register("board_vote_reminder", Kind(
    _("Reminder: vote on call {call_number} before the written procedure closes"),
    _("Board vote reminders"), context=_session_context))
register("board_decision", Kind(
    _("Decision of the Board of Trustees on application {reference}"),
    _("Board decision on your application"), context=_decision_context))
register("board_session_closed", Kind(
    _("Board decisions recorded for call {call_number}"),
    _("Board session closed"), context=_closed_context))
