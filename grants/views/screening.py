"""Screening pages (secretariat): the queue, an application's checklist and decision,
possible sanctions matches, priority confirmation, and the sanctions list upload."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fundapp.core.decorators import capability_required
from fundapp.core.exports import export_response, requested_format
from fundapp.core.forms import form_submit, run_action
from fundapp.core.listing import Filter, Sort, listing
from fundapp.core.upload_limits import upload_limit
from grants.forms.screening import (
    ClearMatchForm,
    DecisionForm,
    PrioritiesForm,
    SanctionsUploadForm,
)
from grants.models import ApplicationStatus, CheckCode
from grants.models.screening import check_state
from grants.selectors.calls import calls_visible_to
from grants.selectors.screening import (
    QUEUE_STATUSES,
    get_screening_application_for,
    sanctions_lists,
    screening_queue,
)
from grants.selectors.work.secretariat import with_sanctions_pending
from grants.services.sanctions import (
    MATCH_THRESHOLD,
    MAX_LIST_BYTES,
    current_sanctions_list,
    sanctions_list_import,
    sanctions_match_clear,
)
from grants.services.screening import (
    PRIORITY_CONFIRMABLE,
    SCREENABLE,
    application_priorities_confirm,
    application_screen,
    check_message,
    screening_run,
    screening_run_all,
)

from grants.exports import sanctions_list_columns, screening_columns


# ---------------------------------------------------------------- queue


# Besides the queue itself: the screened ones, and those the secretariat asked information
# about (out of the queue until the organisation answers, never out of sight).
SCREENED_SHOWN = (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE,
                  ApplicationStatus.INFORMATION_REQUESTED)


def _queue_filters(calls) -> list[Filter]:
    return [
        Filter("status", gettext_lazy("Show"), choices=[
            ("to_screen", gettext_lazy("To screen")),
            (ApplicationStatus.ELIGIBLE, gettext_lazy("Eligible")),
            (ApplicationStatus.INELIGIBLE, gettext_lazy("Ineligible")),
            (ApplicationStatus.INFORMATION_REQUESTED, gettext_lazy("Waiting for the applicant"))],
            apply=lambda qs, value: qs),  # the base queryset is chosen from it (below)
        Filter("call", gettext_lazy("Call"), lookup="call_id", choices=[
            (str(c.pk), _("No. %(n)s — %(title)s") % {"n": c.number, "title": c.title})
            for c in calls]),
        Filter("sanctions", gettext_lazy("Sanctions"),
               choices=[("pending", gettext_lazy("Possible matches to clear"))],
               apply=lambda qs, value: with_sanctions_pending(qs)),
    ]


QUEUE_SORTS = [
    Sort("oldest", gettext_lazy("Oldest submission first"), "submitted_at"),
    Sort("newest", gettext_lazy("Newest submission first"), "-submitted_at"),
    Sort("reference", gettext_lazy("Reference"), "reference"),
]


@capability_required("application.screen")
def screening_queue_view(request):
    """The applications to screen (the default), or the screened ones; filters, sort and
    page size in the URL (``fundapp.core.listing``): the work queue links here with
    ``?status=to_screen`` and ``&sanctions=pending``."""
    calls = list(calls_visible_to(request.user).order_by("-number"))
    status = request.GET.get("status")
    base = screening_queue(request.user, status=status if status in SCREENED_SHOWN else None)
    found = listing(request, base, filters=_queue_filters(calls), sorts=QUEUE_SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, screening_columns(), "screening")
    return render(request, "grants/screening/queue.html", {
        "listing": found, "page": found.page, "total_checks": len(CheckCode.values),
        "sanctions_list": current_sanctions_list(),
        "showing_queue": status not in SCREENED_SHOWN,
    })


@capability_required("application.screen")
@require_POST
def screening_run_all_view(request):
    done = screening_run_all(actor=request.user)
    messages.success(request, ngettext("Checks run on %(n)s new application.",
                                       "Checks run on %(n)s new applications.", done)
                     % {"n": done})
    return redirect("grants:screening-queue")


# ---------------------------------------------------------------- one application


def _render_detail(request, app, *, decision_form=None, priorities_form=None, clear_forms=None,
                   status=200):
    screening = getattr(app, "screening", None) if hasattr(app, "screening") else None
    checks = [{**c, "label": CheckCode(c["code"]).label, "message": check_message(c),
               "state": check_state(c)} for c in (screening.checks if screening else [])]
    claims = list(app.priority_claims.all())
    clear_forms = clear_forms or {}
    matches = [(m, clear_forms.get(m.pk) or ClearMatchForm(prefix=f"m{m.pk}"))
               for m in app.sanctions_matches.all()]
    return render(request, "grants/screening/detail.html", {
        "app": app, "call": app.call, "screening": screening, "checks": checks,
        "matches": matches, "threshold": MATCH_THRESHOLD,
        "can_decide": app.status in SCREENABLE,
        "can_confirm_priorities": app.status in PRIORITY_CONFIRMABLE and claims,
        "decision_form": decision_form or DecisionForm(),
        "priorities_form": priorities_form or PrioritiesForm(claims=claims),
        "claims": claims,
        "overridden": [CheckCode(c).label for c in (screening.overridden if screening else [])
                       if c in CheckCode.values],
    }, status=status)


@capability_required("application.screen")
def screening_detail(request, pk: int):
    return _render_detail(request, get_screening_application_for(request.user, pk))


@capability_required("application.screen")
@require_POST
def screening_run_view(request, pk: int):
    app = get_screening_application_for(request.user, pk)
    run_action(request, lambda: screening_run(actor=request.user, application=app),
               success=_("The automatic checks have run."))
    return redirect("grants:screening-detail", pk=app.pk)


@capability_required("application.screen")
@require_POST
def screening_decide(request, pk: int):
    app = get_screening_application_for(request.user, pk)
    form = DecisionForm(request.POST)
    if form_submit(request, form, lambda data: application_screen(
            actor=request.user, application=app, eligible=data["decision"] == "eligible",
            reasons=data["reasons"]), prefix_map={"sanctions": "__all__"}):
        eligible = form.cleaned_data["decision"] == "eligible"
        messages.success(request, _("%(ref)s is eligible.") % {"ref": app.reference}
                         if eligible else
                         _("%(ref)s is ineligible; the organisation is told why.")
                         % {"ref": app.reference})
        return redirect("grants:screening-detail", pk=app.pk)
    app = get_screening_application_for(request.user, pk)
    return _render_detail(request, app, decision_form=form, status=400)


@capability_required("application.screen")
@require_POST
def sanctions_match_clear_view(request, pk: int, match_pk: int):
    app = get_screening_application_for(request.user, pk)
    match = next((m for m in app.sanctions_matches.all() if m.pk == match_pk), None)
    if match is None:
        return redirect("grants:screening-detail", pk=app.pk)
    form = ClearMatchForm(request.POST, prefix=f"m{match.pk}")
    if form_submit(request, form, lambda data: sanctions_match_clear(
            actor=request.user, match=match, reason=data["reason"])):
        messages.success(request, _("The possible match is cleared."))
        return redirect("grants:screening-detail", pk=app.pk)
    app = get_screening_application_for(request.user, pk)
    return _render_detail(request, app, clear_forms={match.pk: form}, status=400)


@capability_required("application.confirm_priorities")
@require_POST
def priorities_confirm_view(request, pk: int):
    app = get_screening_application_for(request.user, pk)
    form = PrioritiesForm(request.POST, claims=list(app.priority_claims.all()))
    if form_submit(request, form, lambda data: application_priorities_confirm(
            actor=request.user, application=app, confirmed=data["confirmed"])):
        messages.success(request, _("The confirmed priorities are saved."))
        return redirect("grants:screening-detail", pk=app.pk)
    app = get_screening_application_for(request.user, pk)
    return _render_detail(request, app, priorities_form=form, status=400)


# ---------------------------------------------------------------- sanctions lists


def _imported_years():
    return [(d.year, d.year) for d in sanctions_lists().order_by()
            .dates("imported_at", "year", order="DESC")]


SANCTIONS_LIST_FILTERS = [
    Filter("year", gettext_lazy("Year imported"), choices=_imported_years,
           apply=lambda qs, v: qs.filter(imported_at__year=int(v))),
    Filter("search", gettext_lazy("File"),
           apply=lambda qs, text: qs.filter(source_name__icontains=text)),
]
SANCTIONS_LIST_SORTS = [
    Sort("-imported", gettext_lazy("Newest first"), "-imported_at"),
    Sort("imported", gettext_lazy("Oldest first"), "imported_at"),
    Sort("-generated", gettext_lazy("Latest generated first"),
         ("-generated_on", "-imported_at")),
]


@upload_limit(MAX_LIST_BYTES)
@capability_required("sanctions.manage")
@require_http_methods(["GET", "POST"])
def sanctions_lists_view(request):
    form = SanctionsUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if done := form_submit(request, form, lambda data: sanctions_list_import(
                actor=request.user, data=data["file"].read(), source_name=str(data["file"].name))):
            messages.success(request, _("List imported: %(i)s individuals and %(e)s "
                                        "entities.") % {"i": done.result.individuals,
                                                        "e": done.result.entities})
            return redirect("grants:sanctions-lists")
    found = listing(request, sanctions_lists(), filters=SANCTIONS_LIST_FILTERS,
                    sorts=SANCTIONS_LIST_SORTS)
    if request.method != "POST" and requested_format(request):
        return export_response(request, found.queryset, sanctions_list_columns(),
                               "sanctions-lists")
    return render(request, "grants/screening/sanctions_lists.html", {
        "form": form, "listing": found, "page": found.page,
        "in_force": sanctions_lists().values_list("pk", flat=True).first(),
        "threshold": MATCH_THRESHOLD, "queue_statuses": QUEUE_STATUSES,
    }, status=status)
