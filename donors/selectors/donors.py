"""Reads on donors: the secretariat sees every donor; a donor's portal users see theirs."""

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from donors.models import Donor
from fundapp.accounts.roles import user_can


def donors_visible_to(user) -> QuerySet[Donor]:
    if user_can(user, "donor.manage"):
        return Donor.objects.all()
    if user_can(user, "donor.portal"):
        return Donor.objects.filter(users=user)
    return Donor.objects.none()


def donors_of(user) -> list[Donor]:
    """The donors a portal user speaks for (usually one)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Donor.objects.filter(users=user).order_by("name", "id"))


def donor_list(user, *, donor_type: str | None = None, country: str | None = None,
               search: str | None = None, anonymous: bool | None = None) -> QuerySet[Donor]:
    qs = donors_visible_to(user)
    if donor_type:
        qs = qs.filter(donor_type=donor_type)
    if country:
        qs = qs.filter(country=country.upper())
    if anonymous is not None:
        qs = qs.filter(anonymous=anonymous)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(contact_name__icontains=search)
                       | Q(contact_email__icontains=search))
    return qs.order_by("name", "id")


def with_totals(donors: list[Donor]) -> list[Donor]:
    """Attach ``total_usd`` and ``contribution_count`` to a page of donors (one query, on
    their yearly totals)."""
    from donors.models import DonorYearTotal

    ids = [d.pk for d in donors]
    rows = (DonorYearTotal.objects.filter(donor_id__in=ids).values("donor")
            .annotate(total=Sum("amount_usd"), n=Sum("contributions")).order_by())
    found = {r["donor"]: (r["total"], r["n"]) for r in rows}
    for donor in donors:
        donor.total_usd, donor.contribution_count = found.get(donor.pk, (None, 0))
    return donors


def get_donor_for(user, pk) -> Donor:
    donor = donors_visible_to(user).filter(pk=pk).prefetch_related("users").first()
    if donor is None:
        raise Http404
    return donor
