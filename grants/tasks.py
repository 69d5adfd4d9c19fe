"""Periodic grant-cycle tasks, run by Celery beat (see CELERY_BEAT_SCHEDULE).

Each is safe to run at any time and any number of times: closing takes the call's row lock
and skips calls already closed; reminders carry dedupe keys.
"""

import math
from collections import defaultdict
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from fundapp.notifications.services import notify
from grants.models import ApplicationStatus, Call, CallStatus, Membership
from grants.services.calls import calls_close_due

REMINDER_DAYS = (7, 1)  # before a call closes, to organisations holding a draft on it


def reminder_due(call: Call, now: datetime) -> int | None:
    """The most specific reminder whose moment has come (1 rather than 7 when both have)."""
    left = call.closes_at - now
    if left <= timedelta(0):
        return None
    for days in sorted(REMINDER_DAYS):
        if left <= timedelta(days=days):
            return days
    return None


def _drafting_members(call: Call) -> dict[int, list]:
    members = (Membership.objects
               .filter(organisation__applications__call=call,
                       organisation__applications__status=ApplicationStatus.DRAFT,
                       user__is_active=True)
               .select_related("user").distinct())
    by_organisation: dict[int, list] = defaultdict(list)
    for membership in members:
        by_organisation[membership.organisation_id].append(membership.user)
    return by_organisation


@transaction.atomic
def call_deadline_reminders_send(*, call: Call, now: datetime) -> int:
    """Remind each drafting organisation of ``call``'s deadline, once per reminder."""
    reminder = reminder_due(call, now)
    if reminder is None:
        return 0
    days_left = math.ceil((call.closes_at - now).total_seconds() / 86400)
    data = {"call_number": call.number, "days": days_left, "reminder": reminder,
            "closes_at": call.closes_at.isoformat(), "url": f"/calls/{call.pk}/"}
    sent = 0
    for organisation_id, users in _drafting_members(call).items():
        sent += len(notify(recipients=users, kind="call_deadline_reminder", target=call,
                           data=data,
                           dedupe_key=f"deadline:{call.pk}:{organisation_id}:{reminder}d"))
    return sent


def calls_remind_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    calls = Call.objects.filter(status=CallStatus.PUBLISHED, closes_at__gt=now,
                                closes_at__lte=horizon)
    return sum(call_deadline_reminders_send(call=call, now=now) for call in calls)


@shared_task(name="grants.close_due_calls", acks_late=True, soft_time_limit=50, time_limit=60)
def close_due_calls() -> list[int]:
    return calls_close_due()


@shared_task(name="grants.deadline_reminders", acks_late=True, soft_time_limit=300,
             time_limit=360)
def send_deadline_reminders() -> int:
    return calls_remind_due()
