"""Grants: created from the board's approvals, with their tranche and report schedules.

- Agreement number ``VTF-<call number>-<sequence>``, the sequence counting the call's grants
  from 001 (under the call's row lock, so two sessions never take the same number).
- Period: from the application's planned start date (or the first day of the month after the
  decision when it has none, or when that date has passed) for its duration in months.
- Tranches: 80 % on signature, 20 % after the accepted final report, until the secretariat
  edits them (only before signature). Amounts are the percentages of the approved amount,
  rounded half up to the cent, the last tranche taking the remainder so they add up exactly.
- Reports: an interim report due at mid-period and the final report two months after the end.
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock
from fundapp.core.money import CENT
from grants.models import (
    AgendaItem,
    Call,
    Grant,
    ReportDue,
    ReportKind,
    Tranche,
    TrancheCondition,
)

HUNDRED = Decimal("100")
DEFAULT_TRANCHES = (
    {"percent": Decimal("80"), "condition": TrancheCondition.ON_SIGNATURE},
    {"percent": Decimal("20"), "condition": TrancheCondition.AFTER_FINAL_REPORT},
)
FINAL_REPORT_AFTER_MONTHS = 2
DEFAULT_DURATION_MONTHS = 12
MAX_TRANCHES = 10


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grant_period(start: date | None, months: int | None, decided_on: date) -> tuple[date, date]:
    if start is None or start < decided_on:
        start = add_months(decided_on.replace(day=1), 1)
    end = add_months(start, months or DEFAULT_DURATION_MONTHS) - timedelta(days=1)
    return start, end


def report_schedule(start: date, end: date) -> list[tuple[str, int, date]]:
    middle = start + timedelta(days=(end - start).days // 2)
    return [(ReportKind.INTERIM, 1, middle),
            (ReportKind.FINAL, 1, add_months(end, FINAL_REPORT_AFTER_MONTHS))]


def split_amounts(total: Decimal, percents: list[Decimal]) -> list[Decimal]:
    """Each percentage of ``total`` to the cent; the last takes the remainder (exact sum)."""
    amounts = [(total * p / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
               for p in percents[:-1]]
    return amounts + [total - sum(amounts, Decimal("0"))]


def _planned(grant: Grant, condition: str, report_number: int | None,
             reports: dict[tuple[str, int], date]) -> date | None:
    if condition == TrancheCondition.ON_SIGNATURE:
        return grant.start_date
    if condition == TrancheCondition.AFTER_FINAL_REPORT:
        return reports.get((ReportKind.FINAL, 1))
    return reports.get((ReportKind.INTERIM, report_number or 0))


def _write_tranches(grant: Grant, specs: list[dict]) -> list[Tranche]:
    reports = {(r.kind, r.number): r.due_date for r in grant.reports_due.all()}
    amounts = split_amounts(grant.approved_usd, [s["percent"] for s in specs])
    grant.tranches.all().delete()
    return Tranche.objects.bulk_create([
        Tranche(grant=grant, position=i, percent=spec["percent"], amount_usd=amount,
                condition=spec["condition"], report_number=spec.get("report_number"),
                planned_date=spec.get("planned_date") or _planned(
                    grant, spec["condition"], spec.get("report_number"), reports))
        for i, (spec, amount) in enumerate(zip(specs, amounts, strict=True), start=1)])


def _next_sequence(call: Call) -> int:
    lock(Call, call.pk)
    last = Grant.objects.filter(call=call).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


@transaction.atomic
def grant_create(*, actor, item: AgendaItem) -> Grant:
    """The grant for an approved agenda item (called by the session's closing)."""
    app = item.application
    call = app.call
    sequence = _next_sequence(call)
    decided_on = timezone.localdate(item.session.closed_at or timezone.now())
    start, end = grant_period(app.start_date, app.duration_months, decided_on)
    grant = Grant.objects.create(
        application=app, call=call, agenda_item=item, sequence=sequence,
        agreement_number=f"VTF-{call.number}-{sequence:03d}", approved_usd=item.approved_usd,
        start_date=start, end_date=end, conditions=item.conditions)
    ReportDue.objects.bulk_create([ReportDue(grant=grant, kind=kind, number=n, due_date=due)
                                   for kind, n, due in report_schedule(start, end)])
    _write_tranches(grant, [dict(t) for t in DEFAULT_TRANCHES])
    audit_record(actor=actor, verb="grant.create", target=grant, after=_snapshot(grant))
    return grant


def _snapshot(grant: Grant) -> dict:
    return {"agreement_number": grant.agreement_number, "approved_usd": grant.approved_usd,
            "status": grant.status, "start_date": grant.start_date, "end_date": grant.end_date,
            "tranches": [(t.percent, t.condition, t.report_number, t.amount_usd)
                         for t in grant.tranches.order_by("position")]}


def _clean_tranches(grant: Grant, specs: list[dict]) -> list[dict]:
    errors: list[str] = []
    interim = {r.number for r in grant.reports_due.all() if r.kind == ReportKind.INTERIM}
    if not 1 <= len(specs) <= MAX_TRANCHES:
        errors.append(_("Between 1 and %(n)s tranches.") % {"n": MAX_TRANCHES})
    for spec in specs:
        spec["percent"] = _percent(spec.get("percent"))
        if spec["percent"] is None:
            errors.append(_("Each share is a percentage above 0 with at most two decimals."))
        if spec.get("condition") not in TrancheCondition.values:
            errors.append(_("Unknown release condition."))
        if spec.get("condition") == TrancheCondition.AFTER_REPORT_N:
            if spec.get("report_number") not in interim:
                errors.append(_("Tranche released after interim report no. %(n)s: the grant "
                                "has no such report.") % {"n": spec.get("report_number")})
        else:
            spec["report_number"] = None
    if not errors and sum(s["percent"] for s in specs) != HUNDRED:
        errors.append(_("The shares must add up to exactly 100 %."))
    if not errors and any(a <= 0 for a in split_amounts(
            grant.approved_usd, [s["percent"] for s in specs])):
        errors.append(_("A share is too small to give an amount of at least one cent."))
    if errors:
        raise ValidationFailed.on("tranches", *dict.fromkeys(errors))
    return specs


def _percent(value) -> Decimal | None:
    """A share above 0 and at most 100, with at most two decimals; None when it is not."""
    try:
        percent = Decimal(str(value))
        exact = percent.is_finite() and percent == percent.quantize(CENT)
    except InvalidOperation:
        return None
    return percent if exact and 0 < percent <= HUNDRED else None


@transaction.atomic
def grant_tranches_update(*, actor, grant: Grant, tranches: list[dict]) -> Grant:
    """Replace the tranche schedule of a grant not yet signed (secretariat)."""
    if not user_can(actor, "grant.manage"):
        raise NotAllowed()
    grant = lock(Grant, grant.pk)
    if not grant.is_editable:
        raise StateConflict(_("The agreement is signed: its tranches can no longer change."))
    before = _snapshot(grant)
    _write_tranches(grant, _clean_tranches(grant, [dict(t) for t in tranches]))
    audit_record(actor=actor, verb="grant.tranches", target=grant, before=before,
                 after=_snapshot(grant))
    return grant


@transaction.atomic
def grant_cancel(*, actor, grant: Grant, reason: str) -> Grant:
    """Cancel a grant (secretariat); its amount is freed for the call's reserve list."""
    if not user_can(actor, "grant.manage"):
        raise NotAllowed()
    grant = lock(Grant, grant.pk)
    require_transition(grant.cancel,
                       _("This grant is %(status)s: it can no longer be cancelled.")
                       % {"status": grant.get_status_display().lower()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _("Say why the grant is cancelled."))
    before = _snapshot(grant)
    grant.cancel(reason=reason)
    grant.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit_record(actor=actor, verb="grant.cancel", target=grant, before=before,
                 after=_snapshot(grant), note=grant.cancel_reason)
    return grant
