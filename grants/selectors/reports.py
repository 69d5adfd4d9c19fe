"""Reads on progress reports across grants: the fund-wide reports list (``/manage/reports/``
for the secretariat and the Board, ``/reports/`` for an organisation's members) and the
counts of the work queue, from one selector so that they cannot drift.

A row is a report *due* (``ReportDue``), not a version: an overdue report has no version
yet. Each row carries its latest version (``latest_pk``, ``latest_version``,
``latest_status``, ``submitted_at``), its ``state`` (the latest version's status, or
``not_started``) and ``overdue`` (as ``grants.selectors.implementation.overdue_dues``).
"""

from datetime import date, timedelta

from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundapp.accounts.roles import Role, roles_of, user_can
from grants.models import GrantStatus, ProgressReport, ReportDue, ReportStatus
from grants.selectors.implementation import DONE, OPEN

NOT_STARTED = "not_started"
# What a report due can be at, in the list's status filter (the latest version's status).
REPORT_STATES = [(NOT_STARTED, _("Not started")), *ReportStatus.choices]
# "Due within N days" on the list.
DUE_WITHIN = (7, 30, 90)


def _organisation_id(user) -> int | None:
    membership = getattr(user, "membership", None) if Role.NGO in roles_of(user) else None
    return membership.organisation_id if membership is not None else None


def sees_all_reports(user) -> bool:
    return user_can(user, "grant.view_all")


def can_list_reports(user) -> bool:
    """The secretariat and the Board (every grant), an organisation's members (its own)."""
    return sees_all_reports(user) or _organisation_id(user) is not None


def report_dues_visible_to(user, today: date | None = None) -> QuerySet[ReportDue]:
    """Every report due of the grants ``user`` may follow, with its latest version.

    Cancelled grants (never signed) are left out; donors, reviewers and others see none.
    """
    today = today or timezone.localdate()
    qs = ReportDue.objects.exclude(grant__status=GrantStatus.CANCELLED)
    if not sees_all_reports(user):
        org = _organisation_id(user)
        if org is None:
            return qs.none()
        qs = qs.filter(grant__application__organisation_id=org)
    latest = ProgressReport.objects.filter(report_due=OuterRef("pk")).order_by("-version")
    done = ProgressReport.objects.filter(report_due=OuterRef("pk"), status__in=DONE)
    return (qs.select_related("grant__application__organisation", "grant__call")
            .annotate(latest_pk=Subquery(latest.values("pk")[:1]),
                      latest_version=Subquery(latest.values("version")[:1]),
                      latest_status=Subquery(latest.values("status")[:1]),
                      submitted_at=Subquery(latest.values("submitted_at")[:1]),
                      state=Coalesce(Subquery(latest.values("status")[:1]),
                                     Value(NOT_STARTED)),
                      is_done=Exists(done),
                      overdue=Case(When(~Exists(done), due_date__lt=today,
                                        grant__status__in=OPEN, then=Value(True)),
                                   default=Value(False), output_field=BooleanField())))


def only_overdue(qs: QuerySet[ReportDue]) -> QuerySet[ReportDue]:
    return qs.filter(overdue=True)


def only_to_review(qs: QuerySet[ReportDue]) -> QuerySet[ReportDue]:
    """Submitted and not yet accepted or sent back (the secretariat's to review)."""
    return qs.filter(state=ReportStatus.SUBMITTED)


def only_due_within(qs: QuerySet[ReportDue], days: int,
                    today: date | None = None) -> QuerySet[ReportDue]:
    """Not yet submitted, due from today to ``days`` days from now (overdue ones excluded)."""
    today = today or timezone.localdate()
    return qs.filter(is_done=False, grant__status__in=OPEN, due_date__gte=today,
                     due_date__lte=today + timedelta(days=days))


def reports_overdue(user) -> QuerySet[ReportDue]:
    return only_overdue(report_dues_visible_to(user))


def reports_to_review(user) -> QuerySet[ReportDue]:
    return only_to_review(report_dues_visible_to(user))
