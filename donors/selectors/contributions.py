"""Reads on contributions, filtered by what the user may see."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from donors.models import Contribution, ContributionImport
from fundapp.accounts.roles import user_can


def contributions_visible_to(user) -> QuerySet[Contribution]:
    qs = Contribution.objects.select_related("donor", "earmark_call", "pledge")
    if user_can(user, "donor.manage"):
        return qs
    if user_can(user, "donor.portal"):
        return qs.filter(donor__users=user)
    return qs.none()


def contribution_list(user, *, year: int | None = None, donor: int | None = None,
                      currency: str | None = None, donor_type: str | None = None,
                      earmarking: str | None = None, pledge: int | None = None,
                      search: str | None = None) -> QuerySet[Contribution]:
    qs = contributions_visible_to(user)
    if year:
        qs = qs.filter(received_on__range=(date(year, 1, 1), date(year, 12, 31)))
    if donor:
        qs = qs.filter(donor_id=donor)
    if currency:
        qs = qs.filter(currency=currency.upper())
    if donor_type:
        qs = qs.filter(donor__donor_type=donor_type)
    if earmarking:
        qs = qs.filter(earmarking=earmarking)
    if pledge:
        qs = qs.filter(pledge_id=pledge)
    if search:
        qs = qs.filter(Q(receipt_number__icontains=search) | Q(bank_reference__icontains=search)
                       | Q(donor__name__icontains=search))
    return qs


def get_contribution_for(user, pk) -> Contribution:
    contribution = contributions_visible_to(user).filter(pk=pk).first()
    if contribution is None:
        raise Http404
    return contribution


def get_import_for(user, pk) -> ContributionImport:
    if not user_can(user, "donor.manage"):
        raise Http404
    batch = ContributionImport.objects.filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch
