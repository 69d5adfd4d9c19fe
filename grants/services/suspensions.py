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
from grants.models import Grant, ProgressReport, ReportKind, ReportStatus
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


def _status_change(*, actor, grant: Grant, reason: str, transition: str, refused: str,
                   why: str, verb: str, kind: str, fields: list[str], effects=None) -> Grant:
    """What suspending, resuming and terminating share: the secretariat only, the grant
    locked, the transition allowed (``refused`` otherwise, 409), a reason (``why`` when it
    is missing, 400); then the transition, saved (``fields``), audited (``verb``) and
    notified to the organisation's members (``kind``), each with the reason.

    ``effects(grant, reason)``, if given, checks what else the change needs and returns
    ``(transition kwargs, audit "after" additions, notice data additions)``."""
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    require_transition(getattr(grant, transition), refused)
    reason = _reason(reason, why)
    kwargs, after, data = effects(grant, reason) if effects else ({}, {}, {})
    before = grant.status
    run_transition(getattr(grant, transition), refused, **kwargs)
    grant.save(update_fields=fields)
    audit_record(actor=actor, verb=verb, target=grant, before={"status": before},
                 after={"status": grant.status, **after}, note=reason)
    _notify_grantee(grant, kind, {"reason": reason, **data})
    return grant


@transaction.atomic
def grant_suspend(*, actor, grant: Grant, reason: str) -> Grant:
    return _status_change(
        actor=actor, grant=grant, reason=reason, transition="suspend",
        refused=_("Only an active grant can be suspended."),
        why=_("Say why the grant is suspended."), verb="grant.suspend", kind="grant_suspended",
        fields=["status", "suspended_at", "suspension_reason"],
        effects=lambda grant, reason: ({"reason": reason}, {}, {}))


@transaction.atomic
def grant_resume(*, actor, grant: Grant, reason: str) -> Grant:
    return _status_change(
        actor=actor, grant=grant, reason=reason, transition="resume",
        refused=_("Only a suspended grant can be resumed."),
        why=_("Say why the grant is resumed."), verb="grant.resume", kind="grant_resumed",
        fields=["status"])


def _termination(grant: Grant, reason: str) -> tuple[dict, dict, dict]:
    if Amendment.objects.filter(grant=grant, status=AmendmentStatus.REQUESTED).exists():
        raise StateConflict(_("An amendment request on this grant is still open: approve or "
                              "decline it before terminating the grant."))
    paid, spent, unspent = termination_figures(grant)
    return ({"reason": reason, "unspent_usd": unspent},
            {"paid_usd": paid, "spent_usd": spent, "unspent_usd": unspent},
            {"paid_usd": str(paid), "spent_usd": str(spent), "unspent_usd": str(unspent)})


@transaction.atomic
def grant_terminate(*, actor, grant: Grant, reason: str) -> Grant:
    return _status_change(
        actor=actor, grant=grant, reason=reason, transition="terminate",
        refused=_("Only an active or suspended grant can be terminated."),
        why=_("Say why the grant is terminated."), verb="grant.terminate",
        kind="grant_terminated",
        fields=["status", "terminated_at", "termination_reason", "unspent_at_termination_usd"],
        effects=_termination)
