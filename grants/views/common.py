"""Small helpers shared by the grants pages."""

from django.utils import timezone

from fundapp.core.pagination import PAGE_SIZE, paginate

__all__ = ["PAGE_SIZE", "days_left", "paginate", "with_days_left"]


def days_left(moment, now=None) -> int:
    """Whole days until ``moment`` (0 when under a day or past)."""
    now = now or timezone.now()
    return max(0, (moment - now).days)


def with_days_left(calls):
    now = timezone.now()
    calls = list(calls)
    for call in calls:
        call.days_left = days_left(call.closes_at, now)
    return calls
