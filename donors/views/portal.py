"""The donor portal: a donor's own pledges, contributions and receipts."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from donors.pdf import receipt_pdf
from donors.reporting import progress
from donors.selectors.contributions import contribution_list, get_contribution_for
from donors.selectors.donors import donors_of
from donors.selectors.pledges import pledge_list
from donors import exports
from donors.models import PledgeStatus
from donors.selectors.work import (
    contributions_in_year,
    donor_contributions,
    donor_pledges,
    donor_pledges_outstanding,
)
from fundapp.core.decorators import capability_required
from fundapp.core.exports import export_response, requested_format
from fundapp.core.listing import Filter, Sort, listing

from .common import paginate, pdf_response


@capability_required("donor.portal")
@require_GET
def portal(request):
    user = request.user
    contributions = contribution_list(user).order_by("-received_on", "-id")
    if requested_format(request):
        return export_response(request, contributions, exports.contribution_columns(),
                               "contributions")
    return render(request, "donors/portal.html", progress() | {
        "donors": donors_of(user),
        "page": paginate(request, contributions),
        "pledges": pledge_list(user).order_by("-pledged_on", "-id")[:50],
    })


@capability_required("donor.manage", "donor.portal")
@require_GET
def receipt(request, pk: int):
    """A contribution's receipt (PDF): the secretariat for any, a donor for its own."""
    contribution = get_contribution_for(request.user, pk)
    return pdf_response(receipt_pdf(contribution), f"receipt-{contribution.receipt_number}.pdf")


# --- the donor's own lists (the home page's items link here, filtered) -------------------


def _years_of(qs):
    """The years with a contribution, and this year (the home page links to it)."""
    def choices():
        years = {d.year for d in qs.order_by().values_list("received_on", flat=True)}
        years.add(timezone.localdate().year)
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]
    return choices


@capability_required("donor.portal")
@require_GET
def portal_contributions(request):
    """The donor's contributions with their receipts; ``?year=`` (the home page's
    "your contributions this year")."""
    qs = donor_contributions(request.user)
    found = listing(request, qs, filters=[
        Filter("year", gettext_lazy("Year"), choices=_years_of(qs),
               apply=lambda rows, value: contributions_in_year(rows, int(value)))],
        sorts=[Sort("newest", gettext_lazy("Newest first"), ("-received_on", "-id")),
               Sort("oldest", gettext_lazy("Oldest first"), ("received_on", "id"))])
    if requested_format(request):
        return export_response(request, found.queryset, exports.contribution_columns(),
                               "contributions")
    return render(request, "donors/portal_contributions.html", {
        "listing": found, "page": found.page, "donors": donors_of(request.user)})


@capability_required("donor.portal")
@require_GET
def portal_pledges(request):
    """The donor's pledges; ``?outstanding=1`` (the home page's "not yet paid in full")."""
    found = listing(request, donor_pledges(request.user), filters=[
        Filter("outstanding", gettext_lazy("Payment"),
               choices=[("1", gettext_lazy("Not yet paid in full"))],
               apply=lambda rows, value: donor_pledges_outstanding(rows)),
        Filter("status", gettext_lazy("Status"), choices=PledgeStatus.choices)],
        sorts=[Sort("newest", gettext_lazy("Newest first"), ("-pledged_on", "-id")),
               Sort("expected", gettext_lazy("Expected payment, soonest first"),
                    ("expected_on",))])
    return render(request, "donors/portal_pledges.html", {
        "listing": found, "page": found.page, "donors": donors_of(request.user),
        "today": timezone.localdate()})
