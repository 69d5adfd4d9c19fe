"""The donor portal: a donor's own pledges, contributions and receipts."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from donors.pdf import receipt_pdf
from donors.reporting import progress
from donors.selectors.contributions import contribution_list, get_contribution_for
from donors.selectors.donors import donors_of
from donors.selectors.pledges import pledge_list
from donors import exports
from fundapp.core.decorators import capability_required
from fundapp.core.exports import export_response, requested_format

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
