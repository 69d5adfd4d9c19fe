"""Pages of grants in implementation: a grant's agreement, bank details, payments, reports
and closure; the portfolio with filters and exports; the impact dashboard (and its public
version)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.accounts.roles import Role, roles_of, user_can
from fundapp.core import charts
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import apply_errors
from fundapp.core.formatting import countries_sorted
from fundapp.core.idempotency import AlreadyRecorded, recorded_once
from fundapp.core.listing import Filter, Sort, listing
from fundapp.core.pdf import PDF_TYPE
from grants import exports
from grants.confirmations import confirm
from grants.forms.implementation import (
    BankForm,
    CloseForm,
    DeclineForm,
    PaymentForm,
    ReportForm,
    ReviewForm,
    SignForm,
)
from grants.letters import (
    agreement_filename,
    letter_language,
    render_agreement_pdf,
    supported_language,
)
from grants.models import (
    BankDetails,
    BudgetCategory,
    Call,
    GrantStatus,
    Organisation,
    ReportKind,
    ReportStatus,
    Service,
    VictimGroup,
)
from grants.selectors import impact as impact_selectors
from grants.selectors.amendments import budget_by_category, grant_budget_lines
from grants.selectors.awards import can_list_grants, filter_grants
from grants.selectors.history import grant_history_for, report_history_for
from grants.selectors.implementation import (
    awaiting_countersignature,
    bank_unconfirmed,
    get_implementation_grant_for,
    grant_disbursements,
    grant_portfolio,
    grant_reports,
    overdue_dues,
    payment_due,
    tranches_with_paid,
)
from grants.selectors.organisations import org_can
from grants.selectors.work.applicants import REPORTS_SOON_DAYS, grants_with_reports
from grants.services import implementation as svc

from . import refunds, suspensions

# --- helpers -----------------------------------------------------------------------------


def _is_grantee(user, grant) -> bool:
    membership = getattr(user, "membership", None) if Role.NGO in roles_of(user) else None
    return membership is not None and membership.organisation_id == \
        grant.application.organisation_id


def _fail(request, exc: FundError) -> None:
    messages.error(request, exc.summary())


def _back(grant):
    return redirect("grants:grant-implementation", pk=grant.pk)


def _act(request, grant, action, success: str):
    """Run one service call from a button; errors become messages."""
    try:
        action()
    except FundError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return _back(grant)


def _report_rows(grant):
    versions = list(grant_reports(grant))
    overdue_ids = set(overdue_dues().filter(grant=grant).values_list("pk", flat=True))
    rows = []
    for due in grant.reports_due.all():
        mine = [v for v in versions if v.report_due_id == due.pk]
        latest = mine[-1] if mine else None
        rows.append({"due": due, "versions": mine, "latest": latest,
                     "overdue": due.pk in overdue_ids,
                     "can_submit": latest is None or latest.status in (
                         ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)})
    return rows


# --- the grant's page --------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def grant_implementation(request, pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    return _page(request, grant)


def _page(request, grant, status=200, **forms_):
    manage = user_can(request.user, "grant.manage")
    grantee = _is_grantee(request.user, grant)
    tranches = tranches_with_paid(grant)
    for tranche in tranches:
        tranche.left = tranche.amount_usd - tranche.paid_usd
        tranche.blocker = (svc.tranche_blocker(grant, tranche)
                           if manage and tranche.left > 0 else None)
    bank = BankDetails.objects.filter(grant=grant).first()
    signature = getattr(grant, "signature", None)
    paid = sum((t.paid_usd for t in tranches), Decimal("0"))
    stale = bool(signature and signature.signed_at and grant.status ==
                 GrantStatus.PENDING_SIGNATURE
                 and signature.terms_digest != svc.terms_digest(grant))
    context = {
        "grant": grant, "app": grant.application, "manage": manage, "grantee": grantee,
        # what this member's organisation role lets them do (viewers only read)
        "signer": grantee and org_can(request.user, grant.application.organisation_id,
                                      "agreement.sign"),
        "reporter": grantee and org_can(request.user, grant.application.organisation_id,
                                        "report.submit"),
        "tranches": tranches, "payments": grant_disbursements(grant), "bank": bank,
        "signature": signature, "reports": _report_rows(grant), "paid": paid,
        "terms_changed": stale,
        "closure": getattr(grant, "closure", None),
        "sign_form": forms_.get("sign_form") or SignForm(),
        "decline_form": forms_.get("decline_form") or DeclineForm(),
        "bank_form": forms_.get("bank_form") or BankForm(),
        "payment_form": forms_.get("payment_form") or PaymentForm(
            tranches=tranches, initial={"paid_on": timezone.localdate()}),
        "review_form": ReviewForm(), "close_form": forms_.get("close_form") or CloseForm(),
        "history": grant_history_for(request.user, grant),
    }
    if grant.status == GrantStatus.CLOSING and manage:
        context["closure_figures"] = svc.closure_figures(grant)
    context |= suspensions.panel(request, grant, forms_) | refunds.panel(request, grant, forms_)
    return render(request, "grants/implementation/grant.html", context, status=status)


def _posted(request, pk, form_class, name, call, success):
    grant = get_implementation_grant_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(grant, form.cleaned_data)
        except FundError as exc:
            apply_errors(form, exc)
            return _page(request, grant, status=exc.status_code, **{name: form})
        messages.success(request, success)
        return _back(grant)
    return _page(request, grant, status=400, **{name: form})


@login_required
@require_POST
def agreement_sign(request, pk: int):
    return _posted(request, pk, SignForm, "sign_form", lambda g, d: svc.agreement_accept(
        actor=request.user, grant=g, **d), _("You accepted the agreement. The secretariat "
                                               "will countersign it."))


@login_required
@require_POST
@confirm("agreement-decline")
def agreement_decline(request, pk: int):
    return _posted(request, pk, DeclineForm, "decline_form", lambda g, d: svc.agreement_decline(
        actor=request.user, grant=g, reason=d["reason"]), _("You declined the agreement."))


@capability_required("grant.manage")
@require_POST
@confirm("agreement-countersign")
def agreement_countersign(request, pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    return _act(request, grant, lambda: svc.agreement_countersign(actor=request.user,
                                                                  grant=grant),
                _("The agreement is countersigned: the grant is active."))


@login_required
@require_POST
def bank_details(request, pk: int):
    return _posted(request, pk, BankForm, "bank_form", lambda g, d: svc.bank_details_set(
        actor=request.user, grant=g, **d), _("Your bank details are saved. The secretariat "
                                               "confirms them before the next payment."))


@capability_required("grant.manage")
@require_POST
def bank_details_confirm(request, pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    return _act(request, grant, lambda: svc.bank_details_confirm(actor=request.user,
                                                                 grant=grant),
                _("The bank details are confirmed."))


@capability_required("grant.manage")
@require_POST
@confirm("payment-record")
def payment_record(request, pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    tranches = list(grant.tranches.all())
    form = PaymentForm(request.POST, tranches=tranches)
    if form.is_valid():
        data = form.cleaned_data
        tranche = next(t for t in tranches if t.position == data["tranche"])
        try:
            with recorded_once(request, form) as once:
                svc.disbursement_record(actor=request.user, grant=grant, tranche=tranche,
                                        paid_on=data["paid_on"], amount_usd=data["amount_usd"],
                                        reference=data["reference"])
                once.done(reverse("grants:grant-implementation", args=[grant.pk]))
        except AlreadyRecorded as done:
            messages.info(request, _("This payment was already recorded."))
            return redirect(done.url)
        except FundError as exc:
            apply_errors(form, exc)
            return _page(request, grant, status=exc.status_code, payment_form=form)
        messages.success(request, _("The payment is recorded; the organisation is notified."))
        return _back(grant)
    return _page(request, grant, status=400, payment_form=form)


@capability_required("grant.manage")
@require_POST
def report_review(request, pk: int, report_pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    report = get_object_or_404(grant_reports(grant), pk=report_pk)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if request.POST.get("verdict") == "accept":
        return _act(request, grant, lambda: svc.report_accept(
            actor=request.user, report=report, comment=comment), _("The report is accepted."))
    return _act(request, grant, lambda: svc.report_request_changes(
        actor=request.user, report=report, comment=comment),
        _("Changes are requested; the organisation is notified."))


@capability_required("grant.manage")
@require_POST
@confirm("grant-close")
def grant_close(request, pk: int):
    return _posted(request, pk, CloseForm, "close_form", lambda g, d: svc.grant_close(
        actor=request.user, grant=g, **d), _("The grant is closed with its final figures."))


# --- reports -----------------------------------------------------------------------------


def _approved_budget(grant) -> dict[str, Decimal]:
    """Per category, the grant's current budget (after any approved budget revision)."""
    approved = budget_by_category(grant_budget_lines(grant))
    return approved or {BudgetCategory.OTHER: grant.approved_usd}


@capability_required("grant.implement")
@require_http_methods(["GET", "POST"])
def report_submit(request, pk: int, due_pk: int):
    grant = get_implementation_grant_for(request.user, pk)
    if not _is_grantee(request.user, grant):
        raise Http404
    if not org_can(request.user, grant.application.organisation_id, "report.submit"):
        raise PermissionDenied
    due = get_object_or_404(grant.reports_due.all(), pk=due_pk)
    approved = _approved_budget(grant)
    form = ReportForm(request.POST or None, approved=approved)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                svc.report_submit(actor=request.user, grant=grant, report_due=due,
                                  data=form.report_input())
            except FundError as exc:
                apply_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Your report is submitted."))
                return _back(grant)
    latest = due.versions.order_by("-version").first()
    return render(request, "grants/implementation/report_form.html", {
        "grant": grant, "due": due, "form": form, "is_final": due.kind == ReportKind.FINAL,
        "history": report_history_for(request.user, latest, grant=grant) if latest else [],
    }, status=status)


# --- the agreement (PDF) -----------------------------------------------------------------


@login_required
def agreement_pdf(request, pk: int):
    """The agreement with its terms, in the reader's language; staff may ask ``?lang=fr``."""
    grant = get_implementation_grant_for(request.user, pk)
    language = letter_language(request.user)
    asked = request.GET.get("lang", "")
    if asked and not _is_grantee(request.user, grant):
        language = supported_language(asked)
    response = HttpResponse(render_agreement_pdf(grant, language=language),
                            content_type=PDF_TYPE)
    response["Content-Disposition"] = f'inline; filename="{agreement_filename(grant)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the portfolio -----------------------------------------------------------------------


def _portfolio_calls(grants):
    ids = grants.order_by().values("call_id")
    return [(str(c.number), str(c)) for c in Call.objects.filter(pk__in=ids).order_by("-number")]


def _portfolio_countries(grants):
    """The countries of implementation of the reader's grants, by name in their language."""
    codes = set()
    for value in grants.order_by().values_list("application__countries", flat=True):
        items = value.split(",") if isinstance(value, str) else (value or [])
        codes.update(str(getattr(c, "code", c)).strip().upper() for c in items)
    return [(code, name) for code, name in countries_sorted(c for c in codes if c)]


def _organisation_name(value: str) -> str:
    org = Organisation.objects.filter(pk=int(value)).only("name").first()
    return org.name if org else value


def portfolio_filters(user, grants) -> list[Filter]:
    """The grants lists' filters (the portfolio and the Board's grants page)."""
    filters = [
        Filter("status", gettext_lazy("Status"), choices=GrantStatus.choices),
        Filter("call", gettext_lazy("Call"), choices=lambda: _portfolio_calls(grants),
               lookup="call__number"),
        Filter("country", gettext_lazy("Country"), choices=lambda: _portfolio_countries(grants),
               apply=lambda qs, code: filter_grants(qs, country=code)),
        Filter("overdue", gettext_lazy("Overdue reports"),
               choices=[("1", gettext_lazy("Overdue reports only"))],
               apply=lambda qs, value: qs.filter(has_overdue=True)),
        Filter("reports", gettext_lazy("Reports"),
               choices=[("due", gettext_lazy("Due within %(n)s days") % {
                   "n": REPORTS_SOON_DAYS}), ("overdue", gettext_lazy("Overdue"))],
               apply=lambda qs, which: grants_with_reports(qs, which)),
    ]
    if user_can(user, "grant.manage"):
        filters += [
            Filter("countersign", gettext_lazy("Agreement"),
                   choices=[("1", gettext_lazy("Signed, to countersign"))],
                   apply=lambda qs, value: awaiting_countersignature(qs)),
            Filter("bank", gettext_lazy("Bank details"),
                   choices=[("unconfirmed", gettext_lazy("To confirm"))],
                   apply=lambda qs, value: bank_unconfirmed(qs)),
            Filter("payment", gettext_lazy("Payments"),
                   choices=[("due", gettext_lazy("A tranche is due"))],
                   apply=lambda qs, value: payment_due(qs)),
        ]
    if user_can(user, "grant.view_all"):
        filters.append(Filter("organisation", gettext_lazy("Organisation"), hidden=True,
                              apply=lambda qs, value: filter_grants(qs, organisation=int(value)),
                              describe=_organisation_name))
    return filters


PORTFOLIO_SORTS = [
    Sort("call", gettext_lazy("Newest call first"), ("-call__number", "sequence")),
    Sort("agreement", gettext_lazy("Agreement number"), "agreement_number"),
    Sort("organisation", gettext_lazy("Organisation"),
         ("application__organisation__name", "agreement_number")),
    Sort("approved", gettext_lazy("Largest approved amount"),
         ("-approved_usd", "agreement_number")),
    Sort("remaining", gettext_lazy("Most remaining to pay"),
         ("-remaining_usd", "agreement_number")),
]


@login_required
def portfolio(request):
    """The grants list: every grant for the secretariat and the Board, the organisation's own
    for its members (filters of ``fundapp.core.listing``, all in the URL)."""
    if not can_list_grants(request.user) or (
            Role.DONOR in roles_of(request.user) and not user_can(request.user,
                                                                  "grant.view_all")):
        raise PermissionDenied
    grants = grant_portfolio(request.user).prefetch_related(None)
    found = listing(request, grants, filters=portfolio_filters(request.user, grants),
                    sorts=PORTFOLIO_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, exports.grant_columns(), "grants")
    return render(request, "grants/implementation/portfolio.html", {
        "listing": found, "page": found.page,
        "manage": user_can(request.user, "grant.view_all")})


# --- impact ------------------------------------------------------------------------------


def _impact_context(*, public: bool) -> dict:
    figures = impact_selectors.impact()
    years = sorted(figures.victims_per_year)
    mark = Decimal(figures.mark)
    groups = dict(VictimGroup.choices)
    services = dict(Service.choices)
    return {
        "impact": figures, "public": public,
        "chart_victims": charts.count_bars(
            [(str(y), figures.victims_per_year[y]) for y in years], mark=figures.mark,
            title=_("Victims assisted per year (mark: %(n)s)") % {"n": figures.mark},
            uid="victims-year"),
        "chart_disbursed": charts.bars_chart(
            [(str(y), v, "") for y, v in sorted(figures.disbursed_per_year.items())],
            title=_("Disbursed to NGOs per year"), uid="disbursed-year", width=640),
        "groups": [(groups[k], figures.by_group.get(k, 0)) for k in groups],
        "services": [(services[k], figures.by_service.get(k, 0)) for k in services],
        "countries": list(figures.by_country.items())[:30],
        "years": [(y, figures.victims_per_year[y], figures.victims_per_year[y] >= mark)
                  for y in reversed(years)],
    }


@capability_required("impact.view")
def impact_dashboard(request):
    return render(request, "grants/implementation/impact.html", _impact_context(public=False))


def impact_public(request):
    return render(request, "grants/implementation/impact.html", _impact_context(public=True))
