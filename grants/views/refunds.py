"""The grant page's refunds: listed for the secretariat and the organisation, recorded by
the secretariat (once per form, as payments are)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.forms import apply_errors
from fundapp.core.idempotency import AlreadyRecorded, recorded_once
from grants.confirmations import confirm
from grants.forms.refunds import RefundForm
from grants.selectors.implementation import get_implementation_grant_for
from grants.selectors.refunds import grant_refunds, refunds_total
from grants.services.refunds import refund_record, refundable_usd

PREFIX = "refund"  # the payment form on the same page has the same field names


def panel(request, grant, forms_: dict) -> dict:
    """The grant page's context for the refunds."""
    refunds = list(grant_refunds(grant))
    context = {"refunds": refunds, "refunded": refunds_total(refunds),
               "refund_form": forms_.get("refund_form") or RefundForm(
                   prefix=PREFIX, initial={"received_on": timezone.localdate()})}
    if user_can(request.user, "grant.manage"):
        context["refundable"] = refundable_usd(grant)
    return context


@capability_required("grant.manage")
@require_POST
@confirm("refund-record")
def refund_record_view(request, pk: int):
    from grants.views.implementation import _page

    grant = get_implementation_grant_for(request.user, pk)
    form = RefundForm(request.POST, prefix=PREFIX)
    if not form.is_valid():
        return _page(request, grant, status=400, refund_form=form)
    url = reverse("grants:grant-implementation", args=[grant.pk])
    try:
        with recorded_once(request, form) as once:
            refund_record(actor=request.user, grant=grant, **{
                k: v for k, v in form.cleaned_data.items() if k != "form_token"})
            once.done(url)
    except AlreadyRecorded as done:
        messages.info(request, _("This refund was already recorded."))
        return redirect(done.url)
    except FundError as exc:
        apply_errors(form, exc)
        return _page(request, grant, status=exc.status_code, refund_form=form)
    messages.success(request, _("The refund is recorded; the organisation is notified."))
    return redirect(url)
