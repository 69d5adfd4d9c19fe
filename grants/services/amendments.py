"""Amendments to a signed grant: requested by the organisation (admins and editors) or
opened by the secretariat, approved or declined by the secretariat.

Rules (and the choices made where issue 14 is silent):
- A grant is amended while active or suspended (409 otherwise: pending signature, closing,
  closed, cancelled, terminated). One open request of each kind at a time (409).
- No-cost extension: the new end date is after the current one and at most
  ``AMENDMENT_MAX_EXTENSION_MONTHS`` after the end date first agreed (400). Approving it
  moves the end date, the final report (two months after the new end), every interim report
  not yet submitted nor accepted whose due date is still ahead (by the length of the
  extension; an overdue one stays overdue) and the planned dates of the unpaid tranches
  released by those reports. Reminders follow (they read the due dates).
- Budget revision: the grant's whole new budget (category, description, amount_usd; amounts
  above 0 with at most two decimals), with the same total as the current budget (400 naming
  the difference). Lines are compared per budget category, as reports give expenditure: a
  category whose amount moves by more than ``AMENDMENT_APPROVAL_THRESHOLD`` of what it had,
  and a category added or removed, is a reallocation above the threshold and needs approval;
  when none is, the revision is recorded only: approved at once, ``recorded_only``, decided
  by the person who recorded it. Approving it makes its lines the grant's current budget.
- Other change: ``details`` text, approved or declined; approving it changes nothing else.
- The secretariat approves (reason optional) or declines (reason required); a decided
  amendment is not decided again (409). The secretariat's own request is not approved at
  once: it is approved or declined like any other (one officer opens, one decides).
- Each amendment that takes effect produces a new ``AgreementVersion``: the agreement PDF as
  it then stands (in the fund's default language), with its "Amendments" section. Version 1,
  the agreement as first signed, is created at the first one from the terms as they stood.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fundapp.accounts.roles import Role, user_can
from fundapp.accounts.selectors import users_with_role
from fundapp.core import formatting
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.fsm import run_transition
from fundapp.core.locks import lock
from fundapp.core.money import CENT
from fundapp.notifications.services import notify
from grants.models import (
    AgreementSignature,
    AgreementVersion,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    BudgetCategory,
    Grant,
    GrantStatus,
    ProgressReport,
    ReportKind,
    ReportStatus,
    TrancheCondition,
)
from grants.selectors.amendments import amendment_differences, grant_budget_lines
from grants.selectors.organisations import EDITING_ROLES
from grants.services.awards import FINAL_REPORT_AFTER_MONTHS, add_months
from grants.services.implementation import grantee_users
from grants.services.members import require_org_role

AMENDABLE = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED)
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
MAX_LINES = 50


# --- who may act -----------------------------------------------------------------------------

def _is_secretariat(actor) -> bool:
    return user_can(actor, "grant.manage")


def _require_requester(actor, grant: Grant) -> None:
    if not _is_secretariat(actor):
        require_org_role(actor, grant.application.organisation_id, *EDITING_ROLES)


def _require_secretariat(actor) -> None:
    if not _is_secretariat(actor):
        raise NotAllowed()


# --- input -----------------------------------------------------------------------------------

def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        return None
    return amount


def clean_budget_lines(grant: Grant, lines) -> list[dict]:
    """The new lines, checked: known categories, amounts above 0 with two decimals at most,
    and the same total as the current budget."""
    errors: list[str] = []
    clean = []
    if not lines:
        errors.append(_("Give the grant's new budget lines."))
    elif len(lines) > MAX_LINES:
        errors.append(_("At most %(n)s budget lines.") % {"n": MAX_LINES})
    for line in (lines or [])[:MAX_LINES]:
        category = line.get("category")
        amount = _amount(line.get("amount_usd"))
        if category not in BudgetCategory.values:
            errors.append(_("Unknown budget category: %(c)s.") % {"c": category})
        if amount is None:
            errors.append(_("Each line needs an amount above 0 with at most two decimals."))
        clean.append({"category": category,
                      "description": str(line.get("description") or "").strip()[:300],
                      "amount_usd": amount})
    if errors:
        raise ValidationFailed.on("budget_lines", *dict.fromkeys(errors))
    current = sum((line["amount_usd"] for line in grant_budget_lines(grant)), Decimal("0"))
    total = sum((line["amount_usd"] for line in clean), Decimal("0"))
    if current and total != current:
        raise ValidationFailed.on("budget_lines", _(
            "The new lines add up to %(total)s, the current budget to %(current)s: "
            "a difference of %(diff)s. A revision keeps the same total.")
            % {"total": formatting.money(total), "current": formatting.money(current),
               "diff": formatting.money(total - current)})
    return clean


def _stored(lines: list[dict]) -> list[dict]:
    return [{"category": x["category"], "description": x["description"],
             "amount_usd": str(Decimal(str(x["amount_usd"])).quantize(CENT))} for x in lines]


def _first_agreed_end(grant: Grant) -> date:
    """The end date first agreed: before any approved extension."""
    first = (Amendment.objects.filter(grant=grant, kind=AmendmentKind.NO_COST_EXTENSION,
                                      status=AmendmentStatus.APPROVED)
             .order_by("decided_at", "id").values_list("previous_end_date", flat=True).first())
    return first or grant.end_date


def _check_extension(grant: Grant, new_end_date: date | None) -> None:
    if new_end_date is None:
        raise ValidationFailed.on("new_end_date", _("Give the new end date."))
    if new_end_date <= grant.end_date:
        raise ValidationFailed.on("new_end_date", _(
            "The new end date must be after the current one (%(end)s).")
            % {"end": formatting.date(grant.end_date)})
    months = settings.AMENDMENT_MAX_EXTENSION_MONTHS
    latest = add_months(_first_agreed_end(grant), months)
    if new_end_date > latest:
        raise ValidationFailed.on("new_end_date", ngettext(
            "A no-cost extension ends on %(latest)s at the latest (%(months)s month after "
            "the end date first agreed).",
            "A no-cost extension ends on %(latest)s at the latest (%(months)s months after "
            "the end date first agreed).", months)
            % {"latest": formatting.date(latest), "months": formatting.number(months)})


# --- request ---------------------------------------------------------------------------------

@transaction.atomic
def amendment_request(*, actor, grant: Grant, kind: str, reason: str,
                      new_end_date: date | None = None, budget_lines: list | None = None,
                      details: str = "") -> Amendment:
    _require_requester(actor, grant)
    grant = lock(Grant, grant.pk)
    if grant.status not in AMENDABLE:
        raise StateConflict(_("This grant is %(status)s: it can no longer be amended.")
                            % {"status": grant.get_status_display().lower()})
    if kind not in AmendmentKind.values:
        raise ValidationFailed.on("kind", _("Unknown kind of amendment."))
    if Amendment.objects.filter(grant=grant, kind=kind,
                                status=AmendmentStatus.REQUESTED).exists():
        raise StateConflict(_("A request of this kind awaits the secretariat's decision: "
                              "it must be decided first."))
    amendment = Amendment(grant=grant, kind=kind, requested_by=actor)
    _fill(amendment, grant, reason=reason, new_end_date=new_end_date,
          budget_lines=budget_lines, details=details)
    if amendment.recorded_only:  # within the threshold: takes effect now
        _ensure_first_version(grant)
        run_transition(amendment.approve, _("This amendment is already decided."), by=actor)
    amendment.save()
    audit_record(actor=actor, verb="grant.amendment_request", target=grant,
                 after=_snapshot(amendment), note=amendment.reason)
    if amendment.recorded_only:
        _take_effect(actor, grant, amendment)
    _notify_request(actor, grant, amendment)
    return amendment


def _fill(amendment: Amendment, grant: Grant, *, reason, new_end_date, budget_lines,
          details) -> None:
    errors = Errors()
    amendment.reason = (reason or "").strip()[:8000]
    if not amendment.reason:
        errors.add("reason", _("Say why the grant should change."))
    amendment.details = (details or "").strip()[:8000]
    if amendment.kind == AmendmentKind.OTHER and not amendment.details:
        errors.add("details", _("Describe the change."))
    errors.raise_if_any()
    if amendment.kind == AmendmentKind.NO_COST_EXTENSION:
        _check_extension(grant, new_end_date)
        amendment.new_end_date, amendment.previous_end_date = new_end_date, grant.end_date
    elif amendment.kind == AmendmentKind.BUDGET_REVISION:
        lines = clean_budget_lines(grant, budget_lines)
        amendment.previous_lines = _stored(grant_budget_lines(grant))
        amendment.budget_lines = _stored(lines)
        differences = amendment_differences(amendment)
        if not any(d.difference_usd for d in differences) and len(
                amendment.budget_lines) == len(amendment.previous_lines):
            raise ValidationFailed.on("budget_lines", _("The new lines change nothing."))
        if not any(d.above_threshold for d in differences):
            amendment.recorded_only = True


# --- decisions -------------------------------------------------------------------------------

def _decidable(actor, amendment: Amendment) -> tuple[Grant, Amendment]:
    _require_secretariat(actor)
    grant = lock(Grant, amendment.grant_id)
    amendment = lock(Amendment, amendment.pk)
    if amendment.status != AmendmentStatus.REQUESTED:
        raise StateConflict(_("This amendment is already %(status)s.")
                            % {"status": amendment.get_status_display().lower()})
    return grant, amendment


@transaction.atomic
def amendment_approve(*, actor, amendment: Amendment, reason: str = "") -> Amendment:
    grant, amendment = _decidable(actor, amendment)
    if grant.status not in AMENDABLE:
        raise StateConflict(_("This grant is %(status)s: it can no longer be amended.")
                            % {"status": grant.get_status_display().lower()})
    if amendment.kind == AmendmentKind.NO_COST_EXTENSION and (
            amendment.new_end_date <= grant.end_date):
        raise StateConflict(_("The grant already ends on or after this date."))
    if amendment.kind == AmendmentKind.BUDGET_REVISION and (
            amendment.previous_lines != _stored(grant_budget_lines(grant))):
        raise StateConflict(_("The budget changed since this revision was requested: "
                              "decline it and ask for a new one."))
    _ensure_first_version(grant)
    run_transition(amendment.approve, _("This amendment is already decided."),
                   by=actor, reason=(reason or "").strip())
    amendment.save()
    audit_record(actor=actor, verb="grant.amendment_approve", target=grant,
                 after=_snapshot(amendment), note=amendment.decision_reason)
    _take_effect(actor, grant, amendment)
    _notify_decision(grant, amendment)
    return amendment


@transaction.atomic
def amendment_decline(*, actor, amendment: Amendment, reason: str) -> Amendment:
    grant, amendment = _decidable(actor, amendment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _("Say why the amendment is declined."))
    run_transition(amendment.decline, _("This amendment is already decided."),
                   by=actor, reason=reason)
    amendment.save()
    audit_record(actor=actor, verb="grant.amendment_decline", target=grant,
                 after=_snapshot(amendment), note=reason)
    _notify_decision(grant, amendment)
    return amendment


# --- effects ---------------------------------------------------------------------------------

def _take_effect(actor, grant: Grant, amendment: Amendment) -> None:
    """What an approved amendment changes, then the agreement version it produces."""
    if amendment.kind == AmendmentKind.NO_COST_EXTENSION:
        before = {"end_date": grant.end_date}
        moved = extend_schedule(grant, amendment.new_end_date)
        audit_record(actor=actor, verb="grant.extend", target=grant, before=before,
                     after={"end_date": grant.end_date, "reports_moved": moved})
    _ensure_first_version(grant)
    agreement_version_create(grant=grant, amendment=amendment)


def extend_schedule(grant: Grant, new_end: date, today: date | None = None) -> int:
    """Move the grant's end to ``new_end`` and, with it, its reports not yet done and still
    ahead, and the planned dates of the unpaid tranches they release. Returns how many
    reports moved."""
    today = today or timezone.localdate()
    shift = new_end - grant.end_date
    done = set(ProgressReport.objects.filter(grant=grant, status__in=DONE)
               .values_list("report_due_id", flat=True))
    moved = 0
    dues = {}
    for due in grant.reports_due.all():
        dues[(due.kind, due.number)] = due
        if due.pk in done:
            continue
        if due.kind == ReportKind.FINAL:
            due.due_date = add_months(new_end, FINAL_REPORT_AFTER_MONTHS)
        elif due.due_date >= today:
            due.due_date = due.due_date + shift
        else:
            continue
        due.save(update_fields=["due_date"])
        moved += 1
    grant.end_date = new_end
    grant.save(update_fields=["end_date"])
    _move_tranches(grant, dues)
    return moved


def _move_tranches(grant: Grant, dues: dict) -> None:
    for tranche in grant.tranches.prefetch_related("disbursements"):
        paid = sum((d.amount_usd for d in tranche.disbursements.all()), Decimal("0"))
        if paid >= tranche.amount_usd:
            continue
        key = None
        if tranche.condition == TrancheCondition.AFTER_FINAL_REPORT:
            key = (ReportKind.FINAL, 1)
        elif tranche.condition == TrancheCondition.AFTER_REPORT_N:
            key = (ReportKind.INTERIM, tranche.report_number)
        if key in dues and tranche.planned_date != dues[key].due_date:
            tranche.planned_date = dues[key].due_date
            tranche.save(update_fields=["planned_date"])


def _terms(grant: Grant) -> dict:
    return {"approved_usd": str(grant.approved_usd), "start_date": grant.start_date.isoformat(),
            "end_date": grant.end_date.isoformat(),
            "budget_lines": _stored(grant_budget_lines(grant)),
            "reports": [(r.kind, r.number, r.due_date.isoformat())
                        for r in grant.reports_due.order_by("due_date", "id")]}


def _ensure_first_version(grant: Grant) -> None:
    if not AgreementVersion.objects.filter(grant=grant).exists():
        agreement_version_create(grant=grant, amendment=None)


def agreement_version_create(*, grant: Grant, amendment: Amendment | None) -> AgreementVersion:
    """The agreement PDF as it stands now, stored as the grant's next version."""
    from grants.letters import render_agreement_pdf

    number = (AgreementVersion.objects.filter(grant=grant).aggregate(n=Max("number"))["n"]
              or 0) + 1
    grant = Grant.objects.select_related("application__organisation", "call").get(pk=grant.pk)
    pdf = render_agreement_pdf(grant, language=settings.LANGUAGE_CODE, version=number,
                               with_amendments=amendment is not None)
    version = AgreementVersion(grant=grant, number=number, amendment=amendment,
                               terms=_terms(grant))
    version.file.save(f"v{number}.pdf", ContentFile(pdf), save=False)
    version.save()
    if amendment is None:  # version 1 is dated when the agreement was (counter)signed
        signature = AgreementSignature.objects.filter(grant=grant).first()
        signed = signature and (signature.countersigned_at or signature.signed_at)
        if signed:
            AgreementVersion.objects.filter(pk=version.pk).update(created_at=signed)
            version.created_at = signed
    return version


# --- audit and notifications -----------------------------------------------------------------

def _snapshot(amendment: Amendment) -> dict:
    return {"kind": amendment.kind, "status": amendment.status,
            "new_end_date": amendment.new_end_date,
            "previous_end_date": amendment.previous_end_date,
            "budget_lines": amendment.budget_lines, "previous_lines": amendment.previous_lines,
            "recorded_only": amendment.recorded_only}


def _data(grant: Grant, amendment: Amendment) -> dict:
    """What the messages say: the change itself (end dates, the lines that move, the text of
    another change) and the decision's reason."""
    return {"agreement_number": grant.agreement_number, "kind": amendment.kind,
            "status": amendment.status, "recorded_only": amendment.recorded_only,
            "new_end_date": amendment.new_end_date.isoformat() if amendment.new_end_date
            else "",
            "previous_end_date": amendment.previous_end_date.isoformat()
            if amendment.previous_end_date else "",
            "lines": [d.as_dict() for d in amendment_differences(amendment) if d.difference_usd],
            "details": amendment.details if amendment.kind == AmendmentKind.OTHER else "",
            "reason": amendment.decision_reason,
            "url": reverse("grants:grant-amendments", args=[grant.pk])}


def _notify_request(actor, grant: Grant, amendment: Amendment) -> None:
    """The other side: the secretariat of an organisation's request, the organisation of the
    secretariat's (and of a revision recorded only, so its colleagues know)."""
    if _is_secretariat(actor):
        recipients = list(grantee_users(grant))
    else:
        recipients = [u for u in users_with_role(Role.SECRETARIAT) if u.pk != actor.pk]
    notify(recipients=recipients, kind="amendment_requested", target=grant,
           data=_data(grant, amendment), dedupe_key=f"amendment_requested:{amendment.pk}")


def _notify_decision(grant: Grant, amendment: Amendment) -> None:
    notify(recipients=list(grantee_users(grant)), kind="amendment_decided", target=grant,
           data=_data(grant, amendment), dedupe_key=f"amendment_decided:{amendment.pk}")
