"""Small helpers shared by the grants pages."""

from django.core.paginator import Page, Paginator
from django.utils import timezone

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or too large page number shows the nearest valid one."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
