"""Pages of a grant's amendments: the list with the difference each makes, the requests
(organisation's admins and editors, secretariat), the secretariat's decisions, and the
stored versions of the agreement (organisation's members and the secretariat only)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fundapp.accounts.roles import user_can
from fundapp.core.decorators import capability_required
from fundapp.core.forms import form_status, form_submit, run_action
from fundapp.core.pagination import paginate
from fundapp.core.pdf import PDF_TYPE
from grants.confirmations import confirm
from grants.forms.amendments import (
    BudgetRevisionForm,
    DecisionForm,
    ExtensionForm,
    OtherChangeForm,
)
from grants.models import AmendmentKind
from grants.selectors.amendments import (
    agreement_versions,
    amendment_differences,
    get_agreement_version_for,
    get_amendment_for,
    get_amendments_grant_for,
    grant_amendments,
    grant_budget_lines,
)
from grants.selectors.organisations import org_can
from grants.services.amendments import (
    AMENDABLE,
    amendment_approve,
    amendment_decline,
    amendment_request,
)

FORMS = {AmendmentKind.NO_COST_EXTENSION: ExtensionForm,
         AmendmentKind.BUDGET_REVISION: BudgetRevisionForm, AmendmentKind.OTHER: OtherChangeForm}


def _may_request(user, grant) -> bool:
    if grant.status not in AMENDABLE:
        return False
    return user_can(user, "grant.manage") or org_can(
        user, grant.application.organisation_id, "report.submit")


def _forms(request, grant, lines):
    posted = None  # which of the three forms was sent: its prefixed hidden "kind"
    if request.method == "POST":
        posted = next((kind for kind in FORMS if f"{kind}-kind" in request.POST), None)
    forms_ = {}
    for kind, form_class in FORMS.items():
        data = request.POST if posted == kind else None
        extra = {"lines": lines} if form_class is BudgetRevisionForm else {}
        forms_[kind] = form_class(data, prefix=kind, **extra)
    return forms_, posted


@login_required
@require_http_methods(["GET", "POST"])
def grant_amendments_view(request, pk: int):
    grant = get_amendments_grant_for(request.user, pk)
    lines = grant_budget_lines(grant)
    forms_, posted = _forms(request, grant, lines)
    status = 200
    if posted in forms_:
        form = forms_[posted]
        if done := form_submit(request, form, lambda data: amendment_request(
                actor=request.user, grant=grant, **form.service_values())):
            messages.success(request, _("The amendment is recorded: the new budget applies.")
                             if done.result.recorded_only else
                             _("Your request is sent to the secretariat."))
            return redirect("grants:grant-amendments", pk=grant.pk)
        status = form_status(form)
    return _page(request, grant, lines, forms_, posted, status)


def _page(request, grant, lines, forms_, posted, status, declining=None):
    """The amendments page; ``declining`` is ``{"pk", "form"}`` of a refused decline, whose
    errors and typed reason show on that amendment's own form."""
    page = paginate(request, grant_amendments(grant))
    rows = [{"amendment": a, "differences": amendment_differences(a)} for a in page]
    return render(request, "grants/amendments/list.html", {
        "grant": grant, "page": page, "rows": rows, "lines": lines,
        "budget_total": sum((line["amount_usd"] for line in lines), 0),
        "versions": agreement_versions(grant), "may_request": _may_request(request.user, grant),
        "manage": user_can(request.user, "grant.manage"), "forms": forms_, "posted": posted,
        "extension_form": forms_[AmendmentKind.NO_COST_EXTENSION],
        "budget_form": forms_[AmendmentKind.BUDGET_REVISION],
        "other_form": forms_[AmendmentKind.OTHER], "decision_form": DecisionForm(),
        "declining": declining, "threshold": settings.AMENDMENT_APPROVAL_THRESHOLD * 100,
    }, status=status)


@capability_required("grant.manage")
@require_POST
@confirm("amendment-approve")
def amendment_approve_view(request, pk: int, amendment_pk: int):
    amendment = get_amendment_for(request.user, pk, amendment_pk)
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_action(request, lambda: amendment_approve(actor=request.user, amendment=amendment,
                                                  reason=reason),
               success=_("The amendment is approved; a new version of the agreement is stored."))
    return redirect("grants:grant-amendments", pk=amendment.grant_id)


@capability_required("grant.manage")
@require_POST
def amendment_decline_view(request, pk: int, amendment_pk: int):
    """A decline refused for its reason (none, too long) comes back on the page with the
    error next to that amendment's reason box and the typed text kept (400)."""
    amendment = get_amendment_for(request.user, pk, amendment_pk)
    form = DecisionForm(request.POST)
    if form_submit(request, form, lambda data: amendment_decline(
            actor=request.user, amendment=amendment, reason=data["reason"])):
        messages.success(request, _("The amendment is declined; the organisation is told why."))
        return redirect("grants:grant-amendments", pk=amendment.grant_id)
    if not form.has_error("reason"):  # decided meanwhile: its decline form is gone
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("grants:grant-amendments", pk=amendment.grant_id)
    grant = get_amendments_grant_for(request.user, pk)
    lines = grant_budget_lines(grant)
    forms_, _posted = _forms(request, grant, lines)
    return _page(request, grant, lines, forms_, None, form_status(form),
                 declining={"pk": amendment.pk, "form": form})


@login_required
@require_GET
def agreement_version_pdf(request, pk: int, number: int):
    version = get_agreement_version_for(request.user, pk, number)
    with version.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=PDF_TYPE)
    filename = f"agreement-{version.grant.agreement_number}-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
