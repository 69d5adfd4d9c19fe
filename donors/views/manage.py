"""The secretariat's pages: donors, pledges, contributions, imports, rates and targets."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donors import exports
from donors.forms import (
    CancelPledgeForm,
    ContributionForm,
    DonorForm,
    ImportForm,
    LinkUserForm,
    PledgeForm,
    RateForm,
    TargetForm,
)
from donors.models import (
    AnnualTarget,
    Donor,
    DonorType,
    Earmarking,
    ExchangeRate,
    Pledge,
    PledgeStatus,
)
from donors.money import currency_choices
from donors.selectors.contributions import (
    contribution_list,
    get_contribution_for,
    get_import_for,
)
from donors.selectors.donors import donor_list, get_donor_for, with_totals
from donors.selectors.pledges import get_pledge_for, pledge_list, pledges_outstanding
from donors.selectors.rates import exchange_rate_list
from donors.selectors.search import contributions_matching, donors_matching
from donors.selectors.reports import target_for, year_series
from donors.services.contributions import (
    ContributionInput,
    DuplicateContribution,
    contribution_record,
)
from donors.services.donors import (
    donor_create,
    donor_link_user,
    donor_unlink_user,
    donor_update,
)
from donors.services.imports import (
    MAX_BYTES,
    batch_preview,
    contribution_import_run,
    contribution_import_upload,
    import_summary,
)
from donors.services.pledges import pledge_cancel, pledge_create
from donors.services.rates import exchange_rate_set
from donors.services.targets import annual_target_set
from fundapp.accounts.models import User
from fundapp.core import jobs
from fundapp.core.audit import audit_trail_for
from fundapp.core.decorators import capability_required
from fundapp.core.errors import FundError
from fundapp.core.exports import export_response, requested_format
from fundapp.core.formatting import countries_sorted
from fundapp.core.forms import apply_errors, form_status, form_submit
from fundapp.core.idempotency import AlreadyRecorded, recorded_once
from fundapp.core.listing import Filter, Sort, listing
from fundapp.core.upload_limits import upload_limit
from grants.selectors.calls import calls_visible_to

from .common import columns

MANAGE = "donor.manage"


def _years() -> list[int]:
    return list(range(timezone.localdate().year, 2009, -1))


# ---------------------------------------------------------------- donors


def _donor_countries():
    codes = (Donor.objects.exclude(country="").values_list("country", flat=True)
             .distinct().order_by())
    return countries_sorted(codes)


def _id(value: str) -> int:
    if not value.isdigit() or int(value) > 2**63 - 1:
        raise ValueError(value)
    return int(value)


DONOR_FILTERS = [
    Filter("search", gettext_lazy("Search"), apply=donors_matching),
    Filter("q", gettext_lazy("Search"), apply=donors_matching, hidden=True),  # older links
    Filter("donor_type", gettext_lazy("Type"), choices=DonorType.choices),
    Filter("country", gettext_lazy("Country"), choices=_donor_countries),
    Filter("anonymous", gettext_lazy("Anonymous"),
           choices=[("1", gettext_lazy("Anonymous only")), ("0", gettext_lazy("Named only"))],
           apply=lambda qs, v: qs.filter(anonymous=v == "1")),
]
DONOR_SORTS = [
    Sort("name", gettext_lazy("Name (A–Z)"), "name"),
    Sort("-name", gettext_lazy("Name (Z–A)"), "-name"),
    Sort("-created", gettext_lazy("Newest first"), "-created_at"),
    Sort("country", gettext_lazy("Country"), ("country", "name")),
]


@capability_required(MANAGE)
@require_GET
def donor_list_view(request):
    found = listing(request, donor_list(request.user), filters=DONOR_FILTERS, sorts=DONOR_SORTS)
    if requested_format(request):
        return export_response(request, with_totals(list(found.queryset)),
                               exports.donor_columns(), "donors")
    with_totals(list(found.page.object_list))
    return render(request, "donors/manage/donor_list.html",
                  {"listing": found, "page": found.page})


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def donor_create_view(request):
    form = DonorForm(request.POST or None, initial={"language": "en"})
    if done := form_submit(request, form, lambda data: donor_create(actor=request.user,
                                                                     values=dict(data))):
        donor = done.result
        messages.success(request, _("Donor “%(n)s” added.") % {"n": donor.name})
        return redirect("donors:donor-detail", pk=donor.pk)
    return render(request, "donors/manage/donor_form.html", {"form": form},
                  status=form_status(form))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def donor_edit_view(request, pk: int):
    donor = get_donor_for(request.user, pk)
    form = DonorForm(request.POST or None, initial=DonorForm.initial_from(donor))
    if form_submit(request, form, lambda data: donor_update(actor=request.user, donor=donor,
                                                             values=dict(data))):
        messages.success(request, _("Donor saved."))
        return redirect("donors:donor-detail", pk=donor.pk)
    return render(request, "donors/manage/donor_form.html", {"form": form, "donor": donor},
                  status=form_status(form))


def _render_donor(request, donor, link_form=None, status=200):
    return render(request, "donors/manage/donor_detail.html", {
        "donor": donor, "users": donor.users.all(),
        "pledges": pledge_list(request.user, donor=donor.pk).order_by("-pledged_on", "-id"),
        "contributions": contribution_list(request.user, donor=donor.pk)
        .order_by("-received_on", "-id")[:25],
        "totals": with_totals([donor])[0],
        "link_form": link_form or LinkUserForm(),
        "trail": audit_trail_for(donor)[:20],
    }, status=status)


@capability_required(MANAGE)
@require_GET
def donor_detail(request, pk: int):
    return _render_donor(request, get_donor_for(request.user, pk))


@capability_required(MANAGE)
@require_POST
def donor_link(request, pk: int):
    donor = get_donor_for(request.user, pk)
    form = LinkUserForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if user is None:
            form.add_error("username", _("No user has this username."))
        else:
            try:
                donor_link_user(actor=request.user, donor=donor, user=user)
            except FundError as exc:
                apply_errors(form, exc, prefix_map={"user": "username"})
            else:
                messages.success(request, _("%(u)s can now see this donor's records in the "
                                            "portal.") % {"u": user.username})
                return redirect("donors:donor-detail", pk=donor.pk)
    return _render_donor(request, donor, form, status=400)


@capability_required(MANAGE)
@require_POST
def donor_unlink(request, pk: int, user_pk: int):
    donor = get_donor_for(request.user, pk)
    user = donor.users.filter(pk=user_pk).first()
    if user is None:
        raise Http404
    donor_unlink_user(actor=request.user, donor=donor, user=user)
    messages.success(request, _("%(u)s no longer sees this donor's records.")
                     % {"u": user.username})
    return redirect("donors:donor-detail", pk=donor.pk)


# ---------------------------------------------------------------- pledges


def _pledge_year(qs, value):
    year = int(value)
    return qs.filter(Q(year_from__lte=year, year_to__gte=year))


def _donor_name(value: str) -> str:
    donor = Donor.objects.filter(pk=int(value)).only("name").first()
    return donor.name if donor else value


PLEDGE_FILTERS = [
    Filter("outstanding", gettext_lazy("Outstanding"),
           choices=[("1", gettext_lazy("Not yet received in full"))],
           apply=lambda qs, value: pledges_outstanding(qs)),
    Filter("status", gettext_lazy("Status"), choices=PledgeStatus.choices),
    Filter("year", gettext_lazy("Year covered"),
           choices=lambda: [(str(y), str(y)) for y in _years()], apply=_pledge_year),
    Filter("currency", gettext_lazy("Currency"), choices=currency_choices),
    Filter("donor", gettext_lazy("Donor"), hidden=True,
           apply=lambda qs, value: qs.filter(donor_id=int(value)), describe=_donor_name),
]
PLEDGE_SORTS = [
    Sort("newest", gettext_lazy("Newest first"), ("-pledged_on", "-id")),
    Sort("expected", gettext_lazy("Expected payment, soonest first"),
         ("expected_on", "pledged_on")),
    Sort("usd", gettext_lazy("Largest (indicative USD)"), ("-amount_usd", "-pledged_on")),
    Sort("donor", gettext_lazy("Donor"), ("donor__name", "-pledged_on")),
]


@capability_required(MANAGE)
@require_GET
def pledge_list_view(request):
    found = listing(request, pledge_list(request.user), filters=PLEDGE_FILTERS,
                    sorts=PLEDGE_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, exports.pledge_columns(), "pledges")
    return render(request, "donors/manage/pledge_list.html", {
        "listing": found, "page": found.page,
    })


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def pledge_create_view(request):
    donors = list(Donor.objects.order_by("name", "id"))
    initial = {"donor": request.GET.get("donor"), "pledged_on": timezone.localdate(),
               "year_from": timezone.localdate().year}
    form = PledgeForm(request.POST or None, donors=donors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        donor = get_donor_for(request.user, data.pop("donor"))
        data.pop("form_token", None)
        try:
            with recorded_once(request, form) as once:
                pledge = pledge_create(actor=request.user, donor=donor, **data)
                once.done(f"{reverse('donors:pledge-list')}?donor={pledge.donor_id}")
        except AlreadyRecorded as done:
            messages.info(request, _("This pledge was already recorded: it is listed here."))
            return redirect(done.url)
        except FundError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pledge recorded."))
            return redirect(once.url)
    return render(request, "donors/manage/pledge_form.html", {"form": form},
                  status=form_status(form))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def pledge_cancel_view(request, pk: int):
    pledge = get_pledge_for(request.user, pk)
    form = CancelPledgeForm(request.POST or None)
    if form_submit(request, form, lambda data: pledge_cancel(actor=request.user, pledge=pledge,
                                                              reason=data["reason"])):
        messages.success(request, _("Pledge cancelled."))
        return redirect("donors:pledge-list")
    return render(request, "donors/manage/pledge_cancel.html", {"form": form, "pledge": pledge},
                  status=form_status(form))


# ---------------------------------------------------------------- contributions

CONTRIBUTION_COLUMNS = (
    ("receipt", gettext_lazy("Receipt"), False), ("received", gettext_lazy("Received"), False),
    ("donor", gettext_lazy("Donor"), False), ("amount", gettext_lazy("Amount"), True),
    ("usd", gettext_lazy("USD value"), True),
)


CONTRIBUTION_FILTERS = [
    Filter("search", gettext_lazy("Search"), apply=contributions_matching),
    Filter("q", gettext_lazy("Search"), apply=contributions_matching, hidden=True),  # older
    Filter("year", gettext_lazy("Year"), choices=lambda: [(y, y) for y in _years()],
           apply=lambda qs, v: qs.filter(received_on__year=int(v))),
    Filter("donor_type", gettext_lazy("Donor type"), lookup="donor__donor_type",
           choices=DonorType.choices),
    Filter("currency", gettext_lazy("Currency"), choices=currency_choices),
    Filter("earmarking", gettext_lazy("Earmarking"), choices=Earmarking.choices),
    Filter("donor", gettext_lazy("Donor"), hidden=True, describe=_donor_name,
           apply=lambda qs, v: qs.filter(donor_id=_id(v))),
    Filter("pledge", gettext_lazy("Pledge"), hidden=True,
           apply=lambda qs, v: qs.filter(pledge_id=_id(v))),
]
# The keys are those of the table's column headers (``columns``) and of older links
# (``?sort=-receipt`` after an import).
CONTRIBUTION_SORTS = [
    Sort("-received", gettext_lazy("Newest received first"), "-received_on"),
    Sort("received", gettext_lazy("Oldest received first"), "received_on"),
    Sort("-usd", gettext_lazy("Largest in USD first"), "-amount_usd"),
    Sort("usd", gettext_lazy("Smallest in USD first"), "amount_usd"),
    Sort("donor", gettext_lazy("Donor (A–Z)"), ("donor__name", "-received_on")),
    Sort("-donor", gettext_lazy("Donor (Z–A)"), ("-donor__name", "-received_on")),
    Sort("-receipt", gettext_lazy("Latest receipt first"), "-receipt_number"),
    Sort("receipt", gettext_lazy("Receipt number"), "receipt_number"),
    Sort("-amount", gettext_lazy("Largest amount first"), "-amount"),
    Sort("amount", gettext_lazy("Smallest amount first"), "amount"),
]


def _filtered_contributions(request):
    return listing(request, contribution_list(request.user), filters=CONTRIBUTION_FILTERS,
                   sorts=CONTRIBUTION_SORTS)


@capability_required(MANAGE)
@require_GET
def contribution_list_view(request):
    found = _filtered_contributions(request)
    if requested_format(request):
        return export_response(request, found.queryset, exports.contribution_columns(),
                               "contributions")
    return render(request, "donors/manage/contribution_list.html", {
        "listing": found, "page": found.page,
        "columns": columns(CONTRIBUTION_COLUMNS, found.sort),
    })


@capability_required(MANAGE)
@require_GET
def contribution_export_csv(request):
    found = _filtered_contributions(request)
    return export_response(request, found.queryset, exports.contribution_columns(),
                           "contributions", fmt="csv")


@capability_required(MANAGE)
@require_GET
def contribution_export_xlsx(request):
    found = _filtered_contributions(request)
    return export_response(request, found.queryset, exports.contribution_columns(),
                           "contributions", fmt="xlsx")


def _contribution_form(request):
    donors = list(Donor.objects.order_by("name", "id"))
    pledges = list(Pledge.objects.filter(Q(status="open") | Q(status="partly_paid"))
                   .select_related("donor").order_by("donor__name", "pledged_on"))
    calls = list(calls_visible_to(request.user).order_by("-number"))
    initial = {"donor": request.GET.get("donor"), "pledge": request.GET.get("pledge")}
    return ContributionForm(request.POST or None, donors=donors, pledges=pledges, calls=calls,
                            initial=initial)


def _contribution_input(request, data: dict) -> ContributionInput:
    from grants.selectors.calls import get_call_for

    return ContributionInput(
        donor=get_donor_for(request.user, data["donor"]), amount=data["amount"],
        currency=data["currency"], received_on=data["received_on"],
        exchange_rate=data.get("exchange_rate"), bank_reference=data.get("bank_reference"),
        pledge=get_pledge_for(request.user, data["pledge"]) if data.get("pledge") else None,
        earmarking=data["earmarking"],
        earmark_call=get_call_for(request.user, data["earmark_call"])
        if data.get("earmark_call") else None,
        earmark_theme=data.get("earmark_theme") or "", note=data.get("note") or "",
        confirm_duplicate=bool(data.get("confirm_duplicate")))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contribution_create_view(request):
    form, duplicate = _contribution_form(request), None
    if request.method == "POST" and form.is_valid():
        try:
            with recorded_once(request, form) as once:
                contribution = contribution_record(
                    actor=request.user, values=_contribution_input(request, form.cleaned_data))
                once.done(reverse("donors:contribution-detail", args=[contribution.pk]))
        except AlreadyRecorded as done:
            messages.info(request, _("This contribution was already recorded: here it is."))
            return redirect(done.url)
        except DuplicateContribution as exc:
            duplicate = exc.earlier  # shown with a "record it anyway" box
        except FundError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Contribution recorded: receipt %(r)s.")
                             % {"r": contribution.receipt_number})
            return redirect(once.url)
    status = 409 if duplicate else 400 if form.is_bound and form.errors else 200
    return render(request, "donors/manage/contribution_form.html",
                  {"form": form, "duplicate": duplicate}, status=status)


@capability_required(MANAGE)
@require_GET
def contribution_detail(request, pk: int):
    contribution = get_contribution_for(request.user, pk)
    return render(request, "donors/manage/contribution_detail.html", {
        "c": contribution, "trail": audit_trail_for(contribution)[:10]})


# ---------------------------------------------------------------- import


@upload_limit(MAX_BYTES)
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if done := form_submit(request, form, lambda data: contribution_import_upload(
            actor=request.user, uploaded=data["file"])):
        batch, job = done.result
        if job is not None:  # a large file: checked and imported in the background
            return redirect("jobs:detail", pk=job.pk)
        return redirect("donors:import-preview", pk=batch.pk)
    return render(request, "donors/manage/import_upload.html",
                  {"form": form, "threshold": jobs.threshold()}, status=form_status(form))


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int):
    batch = get_import_for(request.user, pk)
    if request.method == "POST":
        try:
            preview = contribution_import_run(actor=request.user, batch=batch)
        except FundError as exc:
            messages.error(request, exc.message)
            for message in exc.field_errors.get("file", [])[:5]:
                messages.error(request, message)
        else:
            messages.success(request, import_summary(preview.count("new"),
                                                      preview.count("duplicate")))
            return redirect(f"{reverse('donors:contribution-list')}?sort=-receipt")
        return redirect("donors:import-preview", pk=batch.pk)
    preview = batch_preview(batch)
    return render(request, "donors/manage/import_preview.html", {
        "batch": batch, "preview": preview, "listed": preview.listed()})


# ---------------------------------------------------------------- rates and targets


def _rate_currencies():
    recorded = set(ExchangeRate.objects.values_list("currency", flat=True).distinct().order_by())
    return [(code, label) for code, label in currency_choices() if code in recorded]


RATE_FILTERS = [
    Filter("currency", gettext_lazy("Currency"), choices=_rate_currencies),
    Filter("year", gettext_lazy("Year"), choices=lambda: [(y, y) for y in _years()],
           apply=lambda qs, v: qs.filter(valid_on__year=int(v))),
]
RATE_SORTS = [
    Sort("-valid", gettext_lazy("Newest first"), ("-valid_on", "currency")),
    Sort("valid", gettext_lazy("Oldest first"), ("valid_on", "currency")),
    Sort("currency", gettext_lazy("Currency"), ("currency", "-valid_on")),
]


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def rates_view(request):
    form = RateForm(request.POST or None, initial={"valid_on": timezone.localdate()})
    if done := form_submit(request, form, lambda data: exchange_rate_set(actor=request.user,
                                                                          **data)):
        messages.success(request, _("Rate saved: %(r)s") % {"r": done.result})
        return redirect("donors:rates")
    found = listing(request, exchange_rate_list(), filters=RATE_FILTERS, sorts=RATE_SORTS,
                    page_sizes=(50, 100))
    if request.method == "GET" and requested_format(request):
        return export_response(request, found.queryset, exports.rate_columns(),
                               "exchange-rates")
    return render(request, "donors/manage/rates.html", {
        "form": form, "listing": found, "page": found.page,
    }, status=form_status(form))


@capability_required(MANAGE)
@require_GET
def targets_view(request):
    rows = list(reversed(year_series(until=timezone.localdate().year + 1)))
    return render(request, "donors/manage/targets.html", {"rows": rows})


@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def target_edit(request, year: int):
    if not 2010 <= year <= 2100:
        raise Http404
    form = TargetForm(request.POST or None, initial={"amount_usd": target_for(year)})
    if form_submit(request, form, lambda data: annual_target_set(actor=request.user, year=year,
                                                                  **data)):
        messages.success(request, _("Target for %(y)s saved.") % {"y": year})
        return redirect("donors:targets")
    target = AnnualTarget.objects.filter(year=year).first()
    history = target.history.select_related("history_user").order_by("-history_date")[:20] \
        if target else []
    return render(request, "donors/manage/target_form.html", {
        "form": form, "year": year, "history": history,
    }, status=form_status(form))

