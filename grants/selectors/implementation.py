"""Reads on grants in implementation: the portfolio with money paid and overdue reports,
a grant's payments and report versions, and access-checked getters."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from grants.models import (
    Disbursement,
    Grant,
    GrantStatus,
    ProgressReport,
    Refund,
    ReportDue,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheCondition,
)
from grants.selectors.awards import filter_grants, get_grant_details_for, grants_visible_to

DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# Grants whose reports are due (and can be overdue): a suspended grant still reports.
OPEN = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED, GrantStatus.CLOSING)
OVER = (GrantStatus.CLOSED, GrantStatus.TERMINATED, GrantStatus.CANCELLED)
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")


def _paid_subquery(field: str):
    rows = (Disbursement.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
            .annotate(total=Sum("amount_usd")).values("total"))
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def overdue_dues(today: date | None = None) -> QuerySet[ReportDue]:
    """Reports due before ``today`` with no version submitted or accepted."""
    today = today or timezone.localdate()
    done = ProgressReport.objects.filter(report_due=OuterRef("pk"), status__in=DONE)
    return (ReportDue.objects.filter(due_date__lt=today, grant__status__in=OPEN)
            .exclude(Exists(done)))


def _refunded_subquery():
    rows = (Refund.objects.filter(grant=OuterRef("pk")).order_by().values("grant")
            .annotate(total=Sum("amount_usd")).values("total"))
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_money(qs: QuerySet[Grant], today: date | None = None) -> QuerySet[Grant]:
    """``paid_usd``, ``refunded_usd``, ``remaining_usd`` (approved − paid; nothing once the
    grant is over: closed, terminated or cancelled) and ``has_overdue``."""
    paid = _paid_subquery("grant")
    return qs.annotate(
        paid_usd=paid, refunded_usd=_refunded_subquery(),
        remaining_usd=Case(When(status__in=OVER, then=Value(ZERO)),
                           default=F("approved_usd") - paid, output_field=MONEY),
        has_overdue=Exists(overdue_dues(today).filter(grant=OuterRef("pk"))))


def with_progress(qs: QuerySet[Grant], today: date | None = None) -> QuerySet[Grant]:
    """Grants with ``paid_usd``; their tranches with ``paid_usd`` and ``remaining_usd``;
    their reports due with the latest version's ``latest_status``/``latest_version`` and
    ``overdue`` (as ``overdue_dues``). A constant number of queries whatever the rows."""
    today = today or timezone.localdate()
    paid = _paid_subquery("tranche")
    tranches = Tranche.objects.annotate(
        paid_usd=paid, remaining_usd=F("amount_usd") - paid).order_by("position")
    latest = ProgressReport.objects.filter(report_due=OuterRef("pk")).order_by("-version")
    done = ProgressReport.objects.filter(report_due=OuterRef("pk"), status__in=DONE)
    dues = ReportDue.objects.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_version=Subquery(latest.values("version")[:1]),
        overdue=Case(When(~Exists(done), due_date__lt=today, grant__status__in=OPEN,
                          then=Value(True)), default=Value(False)),
    ).order_by("due_date", "id")
    return qs.annotate(paid_usd=_paid_subquery("grant"), refunded_usd=_refunded_subquery()
                       ).prefetch_related(None).prefetch_related(
        Prefetch("tranches", queryset=tranches), Prefetch("reports_due", queryset=dues))


def grant_portfolio(user, *, overdue=None, **filters) -> QuerySet[Grant]:
    """Grants with their money paid, filtered as ``filter_grants`` says; ``overdue``: late only."""
    qs = filter_grants(with_money(grants_visible_to(user)), **filters)
    if overdue:
        qs = qs.filter(has_overdue=True)
    return qs.order_by("-call__number", "sequence")


# --- what awaits the secretariat after the award (the grants list's filters and the work
# queue count the same querysets: grants/selectors/work/grants.py) ---

PAYABLE = (GrantStatus.ACTIVE, GrantStatus.CLOSING)


def awaiting_countersignature(qs: QuerySet[Grant]) -> QuerySet[Grant]:
    """Grants the organisation signed (and did not decline) that await the countersignature."""
    return qs.filter(status=GrantStatus.PENDING_SIGNATURE, signature__signed_at__isnull=False,
                     signature__declined_at__isnull=True,
                     signature__countersigned_at__isnull=True)


def bank_unconfirmed(qs: QuerySet[Grant]) -> QuerySet[Grant]:
    """Grants not yet over whose bank details are entered but not confirmed."""
    return qs.filter(bank_details__isnull=False,
                     bank_details__confirmed_at__isnull=True).exclude(status__in=OVER)


def tranches_due() -> QuerySet[Tranche]:
    """Tranches of active or closing grants whose release condition is met (on signature;
    interim report no. N accepted; final report accepted) and not paid in full."""
    paid = _paid_subquery("tranche")
    accepted = ProgressReport.objects.filter(grant=OuterRef("grant"),
                                             status=ReportStatus.ACCEPTED)
    interim = accepted.filter(report_due__kind=ReportKind.INTERIM,
                              report_due__number=OuterRef("report_number"))
    final = accepted.filter(report_due__kind=ReportKind.FINAL)
    return (Tranche.objects.filter(grant__status__in=PAYABLE)
            .annotate(left_usd=F("amount_usd") - paid).filter(left_usd__gt=0)
            .filter(Q(condition=TrancheCondition.ON_SIGNATURE)
                    | (Q(condition=TrancheCondition.AFTER_REPORT_N) & Exists(interim))
                    | (Q(condition=TrancheCondition.AFTER_FINAL_REPORT) & Exists(final))))


def payment_due(qs: QuerySet[Grant], *, late: bool = False,
                today: date | None = None) -> QuerySet[Grant]:
    """Grants with a tranche due (``tranches_due``); ``late``: one past its planned date."""
    due = tranches_due().filter(grant=OuterRef("pk"))
    if late:
        due = due.filter(planned_date__lt=today or timezone.localdate())
    return qs.filter(Exists(due))


def tranches_with_paid(grant: Grant) -> list[Tranche]:
    return list(Tranche.objects.filter(grant=grant).annotate(
        paid_usd=_paid_subquery("tranche")).order_by("position"))


def grant_disbursements(grant: Grant) -> QuerySet[Disbursement]:
    return (Disbursement.objects.filter(grant=grant)
            .select_related("tranche", "recorded_by").order_by("paid_on", "id"))


def grant_reports(grant: Grant) -> QuerySet[ProgressReport]:
    return (ProgressReport.objects.filter(grant=grant)
            .select_related("report_due", "submitted_by", "reviewed_by")
            .prefetch_related("expenditure", "indicators")
            .order_by("report_due__due_date", "report_due_id", "version"))


def get_implementation_grant_for(user, pk) -> Grant:
    """A grant whose implementation the user may see: the grantee, secretariat and board."""
    grant = get_grant_details_for(user, pk)
    return Grant.objects.select_related("application__organisation", "call").prefetch_related(
        Prefetch("reports_due", queryset=ReportDue.objects.order_by("due_date", "id"))).get(
        pk=grant.pk)


def get_report_for(user, grant_pk, report_pk) -> ProgressReport:
    grant = get_grant_details_for(user, grant_pk)
    report = grant_reports(grant).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    return report
