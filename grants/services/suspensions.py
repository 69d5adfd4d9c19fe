"""Suspending, resuming and terminating a signed grant (the secretariat, with a reason).

Rules:
- Suspension: an active grant only. No payment is recorded while it lasts
  (``disbursement_record`` refuses it, 409); its reports stay due, are submitted and
  reviewed as usual, and their reminders continue.
- Resumption: a suspended grant becomes active again, with a reason (issue 14:
  "suspension and resumption with a reason").
- Termination: an active or suspended grant ends for good. Its unspent balance is computed
  and stored: paid − spent as last reported (the accepted final report's expenditure, else
  the latest accepted interim report's, else nothing spent). The unspent balance is then
  recovered through refunds (``grants.services.refunds``). After termination no payment is
  made and no report is expected any more: the balance is fixed at termination.
- An open amendment request must be decided before terminating (409): its decision would
  otherwise change a grant that is over.
Each step is audited and notified to the organisation's members with the reason.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fundapp.core.audit import audit_record
from fundapp.core.errors import StateConflict, ValidationFailed
from fundapp.core.fsm import require_transition, run_transition
from fundapp.core.locks import lock
from fundapp.core.money import CENT
from grants.models import Grant, GrantStatus, ProgressReport, ReportKind, ReportStatus
from grants.models.amendments import Amendment, AmendmentStatus
from grants.services.implementation import (
    ZERO,
    _notify_grantee,
    _require_secretariat,
    closure_figures,
)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", message)
    return reason[:4000]


def reported_spent(grant: Grant) -> Decimal:
    """Spent as last reported: the accepted final report, else the latest accepted interim."""
    accepted = ProgressReport.objects.filter(grant=grant, status=ReportStatus.ACCEPTED)
    latest = (accepted.filter(kind=ReportKind.FINAL).order_by("-version").first()
              or accepted.filter(kind=ReportKind.INTERIM)
              .order_by("-report_due__number", "-version").first())
    if latest is None:
        return ZERO
    return latest.expenditure.aggregate(t=Sum("spent_usd"))["t"] or ZERO


def termination_figures(grant: Grant) -> tuple[Decimal, Decimal, Decimal]:
    """(paid, spent as last reported, unspent balance): ``closure_figures`` when the final
    report is accepted, else with the latest accepted interim report's expenditure."""
    paid, spent, unspent = closure_figures(grant)
    if not ProgressReport.objects.filter(grant=grant, kind=ReportKind.FINAL,
                                         status=ReportStatus.ACCEPTED).exists():
        spent = reported_spent(grant)
        unspent = max(paid - spent, ZERO)
    return paid.quantize(CENT), spent.quantize(CENT), unspent.quantize(CENT)


@transaction.atomic
def grant_suspend(*, actor, grant: Grant, reason: str) -> Grant:
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    refused = _("Only an active grant can be suspended.")
    require_transition(grant.suspend, refused)
    reason = _reason(reason, _("Say why the grant is suspended."))
    run_transition(grant.suspend, refused, reason=reason)
    grant.save(update_fields=["status", "suspended_at", "suspension_reason"])
    audit_record(actor=actor, verb="grant.suspend", target=grant,
                 before={"status": GrantStatus.ACTIVE}, after={"status": grant.status},
                 note=reason)
    _notify_grantee(grant, "grant_suspended", {"reason": reason})
    return grant


@transaction.atomic
def grant_resume(*, actor, grant: Grant, reason: str) -> Grant:
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    refused = _("Only a suspended grant can be resumed.")
    require_transition(grant.resume, refused)
    reason = _reason(reason, _("Say why the grant is resumed."))
    run_transition(grant.resume, refused)
    grant.save(update_fields=["status"])
    audit_record(actor=actor, verb="grant.resume", target=grant,
                 before={"status": GrantStatus.SUSPENDED}, after={"status": grant.status},
                 note=reason)
    _notify_grantee(grant, "grant_resumed", {"reason": reason})
    return grant


@transaction.atomic
def grant_terminate(*, actor, grant: Grant, reason: str) -> Grant:
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    refused = _("Only an active or suspended grant can be terminated.")
    require_transition(grant.terminate, refused)
    reason = _reason(reason, _("Say why the grant is terminated."))
    if Amendment.objects.filter(grant=grant, status=AmendmentStatus.REQUESTED).exists():
        raise StateConflict(_("An amendment request on this grant is still open: approve or "
                              "decline it before terminating the grant."))
    before = grant.status
    paid, spent, unspent = termination_figures(grant)
    run_transition(grant.terminate, refused, reason=reason, unspent_usd=unspent)
    grant.save(update_fields=["status", "terminated_at", "termination_reason",
                              "unspent_at_termination_usd"])
    audit_record(actor=actor, verb="grant.terminate", target=grant,
                 before={"status": before},
                 after={"status": grant.status, "paid_usd": paid, "spent_usd": spent,
                        "unspent_usd": unspent}, note=reason)
    _notify_grantee(grant, "grant_terminated", {
        "reason": reason, "paid_usd": str(paid), "spent_usd": str(spent),
        "unspent_usd": str(unspent)})
    return grant
