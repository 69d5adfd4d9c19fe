"""Reads on pledges, filtered by what the user may see."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from donors.models import Pledge
from fundapp.accounts.roles import user_can


def pledges_visible_to(user) -> QuerySet[Pledge]:
    qs = Pledge.objects.select_related("donor")
    if user_can(user, "donor.manage"):
        return qs
    if user_can(user, "donor.portal"):
        return qs.filter(donor__users=user)
    return qs.none()


def pledge_list(user, *, year: int | None = None, donor: int | None = None,
                status: str | None = None, currency: str | None = None) -> QuerySet[Pledge]:
    qs = pledges_visible_to(user)
    if year:
        qs = qs.filter(Q(year_from__lte=year, year_to__gte=year))
    if donor:
        qs = qs.filter(donor_id=donor)
    if status:
        qs = qs.filter(status=status)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs


OUTSTANDING = ("open", "partly_paid")


def pledges_outstanding(qs: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Pledges not yet received in full (open or partly paid; cancelled ones are not owed)."""
    return qs.filter(status__in=OUTSTANDING)


def pledges_late(qs: QuerySet[Pledge], today: date | None = None) -> QuerySet[Pledge]:
    """Outstanding pledges whose payment was expected before ``today``."""
    return pledges_outstanding(qs).filter(expected_on__lt=today or timezone.localdate())


def get_pledge_for(user, pk) -> Pledge:
    pledge = pledges_visible_to(user).filter(pk=pk).first()
    if pledge is None:
        raise Http404
    return pledge


def open_pledges_of(donor) -> QuerySet[Pledge]:
    return donor.pledges.exclude(status__in=("paid", "cancelled")).order_by("pledged_on", "id")
