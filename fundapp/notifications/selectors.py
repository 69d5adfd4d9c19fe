"""Reads on notifications: each person's own, and the secretariat's delivery view."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .kinds import KINDS
from .models import DeliveryState, Notification, NotificationPreference


def notifications_for(user, *, unread_only: bool = False,
                      kind: str | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).select_related("recipient")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification_for(user, pk) -> Notification:
    """One of the user's own notifications; anybody else's is 404."""
    n = Notification.objects.select_related("recipient").filter(pk=pk, recipient=user).first()
    if n is None:
        raise Http404
    return n


def preference_for(user) -> NotificationPreference:
    """The saved preference, or the default (immediate e-mail, nothing turned off)."""
    return (NotificationPreference.objects.filter(user=user).first()
            or NotificationPreference(user=user))


def notifications_monitor(*, state: str | None = None, kind: str | None = None,
                          recipient: str | None = None,
                          days: int = 30) -> QuerySet[Notification]:
    """Recent notifications for the secretariat's delivery page, worst first when filtered.

    ``recipient``: a username or an e-mail address (the account's, or the bare address an
    invitation went to), in any case."""
    qs = (Notification.objects.select_related("recipient")
          .filter(created_at__gte=timezone.now() - timedelta(days=days)))
    if recipient:
        qs = qs.filter(Q(recipient__username__iexact=recipient)
                       | Q(recipient__email__iexact=recipient) | Q(email__iexact=recipient))
    if state:
        qs = in_delivery_state(qs, state)
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def in_delivery_state(qs: QuerySet[Notification], state: str) -> QuerySet[Notification]:
    """``pending``, ``sent``, ``failed``, or ``retrying`` (pending again after an error);
    any other value raises ``ValueError`` (the monitor's list says it was left out)."""
    if state == "retrying":
        return qs.filter(state=DeliveryState.PENDING, attempts__gt=0).exclude(last_error="")
    if state in DeliveryState.values:
        return qs.filter(state=state)
    raise ValueError(state)


def delivery_counts(*, days: int = 30) -> dict[str, int]:
    rows = (Notification.objects
            .filter(created_at__gte=timezone.now() - timedelta(days=days))
            .values("state").annotate(n=Count("id")).order_by())
    counts = {state: 0 for state in DeliveryState.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def get_notification_for_monitor(pk) -> Notification:
    n = Notification.objects.select_related("recipient").filter(pk=pk).first()
    if n is None:
        raise Http404
    return n
