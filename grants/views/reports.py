"""The fund-wide list of progress reports: every report due with its latest version, for
the secretariat and the Board (``/manage/reports/``, all grants) and for an organisation's
members (``/reports/``, their organisation's only). Filters, sort, page size and count are
in the URL (``fundapp.core.listing``); the same rows export as CSV or XLSX."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from fundapp.core.exports import export_response, requested_format
from fundapp.core.listing import Filter, Sort, listing
from grants import exports
from grants.models import Call, Organisation, ReportKind
from grants.selectors.organisations import org_can
from grants.selectors.reports import (
    DUE_WITHIN,
    REPORT_STATES,
    can_list_reports,
    only_due_within,
    only_overdue,
    report_dues_visible_to,
    sees_all_reports,
)


def _calls(dues):
    """The calls of the grants in ``dues`` (the reader's own), newest first."""
    ids = dues.order_by().values("grant__call_id")
    return [(str(c.number), str(c))
            for c in Call.objects.filter(pk__in=ids).order_by("-number")]


def _organisation(value: str) -> str:
    org = Organisation.objects.filter(pk=int(value)).only("name").first()
    return org.name if org else value


def _filters(dues, *, manage: bool) -> list[Filter]:
    filters = [
        Filter("status", _("Status"), choices=REPORT_STATES, lookup="state"),
        Filter("kind", _("Kind"), choices=ReportKind.choices),
        Filter("call", _("Call"), choices=lambda: _calls(dues), lookup="grant__call__number"),
        Filter("overdue", _("Overdue"), choices=[("1", _("Overdue only"))],
               apply=lambda qs, value: only_overdue(qs)),
        Filter("due", _("Due within"),
               choices=[(str(n), ngettext("%(n)s day", "%(n)s days", n) % {"n": n})
                        for n in DUE_WITHIN],
               apply=lambda qs, value: only_due_within(qs, int(value))),
    ]
    if manage:
        filters.append(Filter("organisation", _("Organisation"), hidden=True,
                              apply=lambda qs, value: qs.filter(
                                  grant__application__organisation_id=int(value)),
                              describe=_organisation))
    return filters


SORTS = [
    Sort("due", _("Due date, soonest first"), "due_date"),
    Sort("-due", _("Due date, latest first"), "-due_date"),
    Sort("submitted", _("Last submitted first"), ("-submitted_at", "due_date")),
    Sort("agreement", _("Agreement"), ("grant__agreement_number", "due_date")),
    Sort("organisation", _("Organisation"),
         ("grant__application__organisation__name", "due_date")),
]


def _reports_list(request, *, manage: bool):
    dues = report_dues_visible_to(request.user)
    found = listing(request, dues, filters=_filters(dues, manage=manage), sorts=SORTS)
    if requested_format(request):
        return export_response(request, found.queryset, exports.report_due_columns(),
                               "reports")
    organisation = getattr(getattr(request.user, "membership", None), "organisation_id", None)
    return render(request, "grants/implementation/reports_list.html", {
        "listing": found, "page": found.page, "manage": manage,
        "reporter": not manage and organisation is not None
        and org_can(request.user, organisation, "report.submit"),
    })


@login_required
@require_GET
def reports_manage(request):
    """Every grant's reports: the secretariat and the Board."""
    if not sees_all_reports(request.user):
        raise PermissionDenied
    return _reports_list(request, manage=True)


@login_required
@require_GET
def reports_mine(request):
    """The reports of the reader's organisation; staff are sent to the fund-wide list."""
    if sees_all_reports(request.user):
        query = request.GET.urlencode()
        return redirect(reverse("grants:reports-manage") + (f"?{query}" if query else ""))
    if not can_list_reports(request.user):
        raise PermissionDenied
    return _reports_list(request, manage=False)
