"""Grants in implementation: agreement, bank details, disbursements, reports and closure.

Rules:
- The NGO accepts (signatory's name and title, time recorded) or declines the agreement while
  the grant is pending signature; the secretariat countersigns an accepted agreement and the
  grant becomes active. Declining cancels the grant.
- Bank details are entered by the NGO; any change clears the secretariat's confirmation, and
  no payment is recorded until the current details are confirmed.
- A disbursement is recorded against a tranche under the tranche's row lock: never above what
  is left of the tranche (nor the grant's approved amount), only when the tranche's condition
  is met and no report is overdue. References are unique. A suspended or terminated grant
  takes no payment (409, grants/services/suspensions.py); a suspended one still reports.
- A report version is submitted whole (narrative, expenditure per budget line, indicators);
  after a request for changes the revision is a new version. Accepting the final report puts
  the grant in closing; closing records paid, spent and the unspent balance. An unspent
  balance "refunded to the fund" becomes a Refund row for what the refunds already recorded
  do not cover (grants/services/refunds.py records the others).
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from fundapp.accounts.roles import Role, roles_of, user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.fsm import require_transition
from fundapp.core.locks import lock
from fundapp.core.money import CENT
from fundapp.notifications.services import notify
from grants.models import (
    AgreementSignature,
    BankDetails,
    BudgetCategory,
    Disbursement,
    ExpenditureLine,
    Grant,
    GrantClosure,
    GrantStatus,
    Indicator,
    IndicatorDimension,
    ProgressReport,
    Refund,
    ReportDue,
    ReportKind,
    ReportStatus,
    Service,
    Tranche,
    TrancheCondition,
    UnspentTreatment,
    VictimGroup,
)
from grants.models.organisations import OrgRole
from grants.selectors.organisations import EDITING_ROLES
from grants.services.members import require_org_role

ZERO = Decimal("0.00")
PAYABLE = (GrantStatus.ACTIVE, GrantStatus.CLOSING)
# A suspended grant takes no payment but its reports stay due (and reminded); a terminated
# one expects no report any more (grants/services/suspensions.py).
REPORTABLE = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED, GrantStatus.CLOSING)
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


# --- who may act -------------------------------------------------------------------------

def _require_grantee(actor, grant: Grant, *roles: str) -> None:
    """A member of the grantee with one of ``roles`` (default: admins and editors)."""
    if Role.NGO not in roles_of(actor):
        raise NotAllowed()
    require_org_role(actor, grant.application.organisation_id, *(roles or EDITING_ROLES))


def _require_secretariat(actor) -> None:
    if not user_can(actor, "grant.manage"):
        raise NotAllowed()


def grantee_users(grant: Grant):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        membership__organisation_id=grant.application.organisation_id, is_active=True)


def _notify_grantee(grant: Grant, kind: str, data: dict, dedupe_key: str | None = None):
    notify(recipients=list(grantee_users(grant)), kind=kind, target=grant,
           data={"agreement_number": grant.agreement_number, "url": _grant_url(grant)} | data,
           dedupe_key=dedupe_key)


def _grant_url(grant: Grant) -> str:
    return reverse("grants:grant-implementation", args=[grant.pk])


# --- agreement ---------------------------------------------------------------------------

def terms_digest(grant: Grant) -> str:
    """A fingerprint of the terms: amount, period, conditions and tranche schedule."""
    tranches = [(str(t.percent), str(t.amount_usd), t.condition, t.report_number)
                for t in grant.tranches.order_by("position")]
    terms = repr((str(grant.approved_usd), grant.start_date.isoformat(),
                  grant.end_date.isoformat(), grant.conditions, tranches))
    return hashlib.sha256(terms.encode()).hexdigest()


def _signature(grant: Grant) -> AgreementSignature:
    return AgreementSignature.objects.get_or_create(grant=grant)[0]


@transaction.atomic
def agreement_accept(*, actor, grant: Grant, signatory_name: str,
                     signatory_title: str) -> AgreementSignature:
    _require_grantee(actor, grant, OrgRole.ADMIN)  # admins sign and say where to pay
    grant = lock(Grant, grant.pk)
    if grant.status != GrantStatus.PENDING_SIGNATURE:
        raise StateConflict(_("This agreement is no longer awaiting signature."))
    name, title = (signatory_name or "").strip(), (signatory_title or "").strip()
    errors = Errors()
    if not name:
        errors.add("signatory_name", _("Give the signatory's name."))
    if not title:
        errors.add("signatory_title", _("Give the signatory's title."))
    errors.raise_if_any()
    signature = _signature(grant)
    digest = terms_digest(grant)
    if signature.signed_at and signature.terms_digest == digest:
        raise StateConflict(_("The agreement is already signed."))
    signature.signatory_name, signature.signatory_title = name[:200], title[:200]
    signature.signed_by, signature.signed_at = actor, timezone.now()
    signature.terms_digest = digest
    signature.save()
    audit_record(actor=actor, verb="grant.agreement_accept", target=grant,
                 after={"signatory_name": name, "signatory_title": title,
                        "signed_at": signature.signed_at})
    return signature


@transaction.atomic
def agreement_decline(*, actor, grant: Grant, reason: str) -> Grant:
    _require_grantee(actor, grant, OrgRole.ADMIN)  # admins sign and say where to pay
    grant = lock(Grant, grant.pk)
    signature = _signature(grant)
    declined = StateConflict(_("This agreement can no longer be declined."))
    require_transition(grant.decline_agreement, declined)
    if signature.signed_at:
        raise declined
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _("Say why you decline."))
    signature.declined_at, signature.decline_reason = timezone.now(), reason[:4000]
    signature.save()
    grant.decline_agreement(reason=reason, when=signature.declined_at)
    grant.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit_record(actor=actor, verb="grant.agreement_decline", target=grant,
                 before={"status": GrantStatus.PENDING_SIGNATURE},
                 after={"status": grant.status}, note=reason)
    return grant


@transaction.atomic
def agreement_countersign(*, actor, grant: Grant) -> Grant:
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    signature = _signature(grant)
    unsigned = StateConflict(_("Only an agreement signed by the organisation can be "
                               "countersigned."))
    require_transition(grant.activate, unsigned)
    if not signature.signed_at:
        raise unsigned
    if signature.terms_digest != terms_digest(grant):
        raise StateConflict(_("The terms changed after the organisation signed: it must "
                              "accept the agreement again."))
    signature.countersigned_by, signature.countersigned_at = actor, timezone.now()
    signature.save()
    grant.activate()
    grant.save(update_fields=["status"])
    audit_record(actor=actor, verb="grant.agreement_countersign", target=grant,
                 before={"status": GrantStatus.PENDING_SIGNATURE},
                 after={"status": grant.status})
    _notify_grantee(grant, "grant_active", {})
    return grant


# --- bank details ------------------------------------------------------------------------

def _bank_snapshot(bank: BankDetails | None) -> dict:
    if bank is None:
        return {}
    return {"account_holder": bank.account_holder, "account": bank.masked,
            "bank_name": bank.bank_name, "swift": bank.swift}


@transaction.atomic
def bank_details_set(*, actor, grant: Grant, account_holder: str, account_number: str,
                     bank_name: str, swift: str = "") -> BankDetails:
    _require_grantee(actor, grant, OrgRole.ADMIN)  # admins sign and say where to pay
    grant = lock(Grant, grant.pk)
    if grant.status in (GrantStatus.CLOSED, GrantStatus.CANCELLED, GrantStatus.TERMINATED):
        raise StateConflict(_("This grant is over: its bank details can no longer change."))
    fields = {"account_holder": (account_holder or "").strip(),
              "account_number": "".join((account_number or "").split()).upper(),
              "bank_name": (bank_name or "").strip(), "swift": (swift or "").strip().upper()}
    errors = Errors()
    for k in ("account_holder", "account_number", "bank_name"):
        if not fields[k]:
            errors.add(k, _("This field is required."))
    if fields["account_number"] and not fields["account_number"].isalnum():
        errors.add("account_number", _("Letters and digits only."))
    if fields["swift"] and len(fields["swift"]) not in (8, 11):
        errors.add("swift", _("A SWIFT/BIC code has 8 or 11 characters."))
    errors.raise_if_any()
    bank = BankDetails.objects.filter(grant=grant).first()
    before = _bank_snapshot(bank)
    bank = bank or BankDetails(grant=grant)
    for name, value in fields.items():
        setattr(bank, name, value)
    bank.updated_by, bank.confirmed_by, bank.confirmed_at = actor, None, None
    bank.save()
    audit_record(actor=actor, verb="grant.bank_details_set", target=grant, before=before,
                 after=_bank_snapshot(bank))
    return bank


@transaction.atomic
def bank_details_confirm(*, actor, grant: Grant) -> BankDetails:
    _require_secretariat(actor)
    bank = BankDetails.objects.select_for_update().filter(grant=grant).first()
    if bank is None:
        raise StateConflict(_("The organisation has not entered its bank details yet."))
    if bank.is_confirmed:
        raise StateConflict(_("These bank details are already confirmed."))
    bank.confirmed_by, bank.confirmed_at = actor, timezone.now()
    bank.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, verb="grant.bank_details_confirm", target=grant,
                 after=_bank_snapshot(bank))
    return bank


# --- disbursements -----------------------------------------------------------------------

def _latest_versions(grant: Grant) -> dict[int, ProgressReport]:
    latest: dict[int, ProgressReport] = {}
    for report in ProgressReport.objects.filter(grant=grant).order_by("version"):
        latest[report.report_due_id] = report
    return latest


def overdue_reports(grant: Grant, today: date | None = None) -> list[ReportDue]:
    """Reports past their due date with no version submitted or accepted."""
    today = today or timezone.localdate()
    latest = _latest_versions(grant)
    return [due for due in grant.reports_due.all()
            if due.due_date < today and (
                due.pk not in latest or latest[due.pk].status not in DONE)]


def _accepted(grant: Grant, kind: str, number: int) -> bool:
    return ProgressReport.objects.filter(grant=grant, report_due__kind=kind,
                                         report_due__number=number,
                                         status=ReportStatus.ACCEPTED).exists()


def tranche_blocker(grant: Grant, tranche: Tranche) -> str | None:
    """Why ``tranche`` cannot be paid now, or None."""
    if grant.status == GrantStatus.SUSPENDED:
        return _("This grant is suspended: no payment is made until it is resumed.")
    if grant.status == GrantStatus.TERMINATED:
        return _("This grant is terminated: no payment can be made on it any more.")
    if grant.status not in PAYABLE:
        return _("Payments are recorded on active grants only.")
    if tranche.condition == TrancheCondition.AFTER_FINAL_REPORT and not _accepted(
            grant, ReportKind.FINAL, 1):
        return _("This tranche is released after the final report is accepted.")
    if tranche.condition == TrancheCondition.AFTER_REPORT_N and not _accepted(
            grant, ReportKind.INTERIM, tranche.report_number):
        return _("This tranche is released after interim report no. %(n)s is accepted.") % {
            "n": tranche.report_number}
    if overdue_reports(grant):
        return _("A report is overdue: no tranche is paid until it is submitted.")
    bank = BankDetails.objects.filter(grant=grant).first()
    if bank is None or not bank.is_confirmed:
        return _("The bank details must be confirmed by the secretariat before a payment.")
    return None


def _paid(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount_usd"))["total"] or ZERO


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(
            CENT):
        raise ValidationFailed.on(
            "amount_usd", _("An amount above 0 with at most two decimals."))
    return amount


@transaction.atomic
def disbursement_record(*, actor, grant: Grant, tranche: Tranche, paid_on: date,
                        amount_usd, reference: str) -> Disbursement:
    _require_secretariat(actor)
    amount = _amount(amount_usd)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed.on("reference", _("Give the payment reference."))
    if tranche.grant_id != grant.pk:
        raise ValidationFailed.on("tranche", _("Not a tranche of this grant."))
    tranche = lock(Tranche, tranche.pk)
    grant = Grant.objects.select_related("application").get(pk=grant.pk)
    if paid_on > timezone.localdate():
        raise ValidationFailed.on("paid_on", _("A payment date cannot be in the future."))
    blocker = tranche_blocker(grant, tranche)
    if blocker:
        raise StateConflict(blocker)
    left = tranche.amount_usd - _paid(tranche.disbursements.all())
    if amount > left:
        raise ValidationFailed.on(
            "amount_usd",
            _("Above what is left to pay on this tranche (USD %(left)s).") % {"left": left})
    if amount > grant.approved_usd - _paid(grant.disbursements.all()):
        raise ValidationFailed.on(
            "amount_usd", _("The grant would exceed its approved amount."))
    if Disbursement.objects.filter(reference=reference).exists():
        raise StateConflict(_("A payment with this reference is already recorded."))
    try:
        with transaction.atomic():
            payment = Disbursement.objects.create(
                grant=grant, tranche=tranche, paid_on=paid_on, amount_usd=amount,
                reference=reference[:64], recorded_by=actor)
    except IntegrityError as exc:
        raise StateConflict(_("A payment with this reference is already recorded.")) from exc
    audit_record(actor=actor, verb="grant.disbursement", target=grant,
                 after={"tranche": tranche.position, "amount_usd": amount,
                        "paid_on": paid_on, "reference": reference})
    _notify_grantee(grant, "tranche_paid", {"amount_usd": str(amount),
                                            "paid_on": paid_on.isoformat(),
                                            "tranche": tranche.position})
    return payment


# --- reports -----------------------------------------------------------------------------

@dataclass
class ReportInput:
    achievements: str
    challenges: str = ""
    lessons: str = ""
    story: str = ""
    consent_confirmed: bool = False
    victims_total: int = 0
    expenditure: list[dict] | None = None  # {"category", "approved_usd", "spent_usd"}
    by_group: dict[str, int] | None = None
    by_service: dict[str, int] | None = None


def _money(value, field: str, errors: list[str]) -> Decimal:
    try:
        amount = Decimal(str(value))
        if amount.is_finite() and amount >= 0 and amount == amount.quantize(CENT):
            return amount
    except ArithmeticError:
        pass
    errors.append(_("%(field)s: an amount of at least 0 with at most two decimals.")
                  % {"field": field})
    return ZERO


def _clean_expenditure(lines: list[dict]) -> tuple[list[dict], list[str]]:
    errors: list[str] = []
    clean, seen = [], set()
    for line in lines:
        category = line.get("category")
        if category not in BudgetCategory.values:
            errors.append(_("Unknown budget category %(c)s.") % {"c": category})
            continue
        if category in seen:
            errors.append(_("Budget category %(c)s appears twice.") % {"c": category})
        seen.add(category)
        clean.append({"category": category,
                      "approved_usd": _money(line.get("approved_usd"), category, errors),
                      "spent_usd": _money(line.get("spent_usd"), category, errors)})
    return clean, errors


def _clean_counts(counts: dict, allowed, total: int, label: str) -> tuple[dict, list[str]]:
    errors: list[str] = []
    clean = {}
    for key, value in (counts or {}).items():
        if key not in allowed:
            errors.append(_("Unknown %(label)s: %(key)s.") % {"label": label, "key": key})
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(_("%(key)s: a count of 0 or more.") % {"key": key})
            continue
        if value > total:
            errors.append(_("%(key)s: more victims than the total assisted.") % {"key": key})
        clean[key] = value
    return clean, errors


def _narrative_errors(data: ReportInput) -> Errors:
    errors = Errors()
    if not (data.achievements or "").strip():
        errors.add("achievements", _("Describe what the project achieved."))
    if (data.story or "").strip() and not data.consent_confirmed:
        errors.add("consent_confirmed", _("Confirm the survivor's consent and that the story "
                                          "has no identifying details."))
    return errors


def _victims_total(data: ReportInput) -> tuple[int, list[str]]:
    total = data.victims_total
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        return 0, [_("A count of 0 or more.")]
    return total, []


def _expenditure_within_grant(grant: Grant, lines: list[dict]) -> list[str]:
    errors = []
    if sum((x["spent_usd"] for x in lines), ZERO) > grant.approved_usd:
        errors.append(_("The expenditure adds up to more than the approved amount."))
    if sum((x["approved_usd"] for x in lines), ZERO) > grant.approved_usd:
        errors.append(_("The approved budget lines add up to more than the grant."))
    return errors


def _clean_report(grant: Grant, data: ReportInput, *, final: bool) -> dict:
    errors = _narrative_errors(data)
    total, total_errors = _victims_total(data)
    if total_errors:
        errors["victims_total"] = total_errors
    lines, line_errors = _clean_expenditure(data.expenditure or [])
    groups, group_errors = _clean_counts(data.by_group, VictimGroup.values, total,
                                         _("sex and age group"))
    services, service_errors = _clean_counts(data.by_service, Service.values, total,
                                             _("service"))
    if not group_errors and sum(groups.values()) > total:
        group_errors.append(_("The groups add up to more victims than the total assisted."))
    if not line_errors:
        line_errors = _expenditure_within_grant(grant, lines)
    if final and not lines:
        line_errors.append(_("The final report gives the expenditure per budget line."))
    for key, errs in (("expenditure", line_errors), ("by_group", group_errors),
                      ("by_service", service_errors)):
        if errs:
            errors[key] = errs
    errors.raise_if_any()
    return {"lines": lines, "groups": groups, "services": services, "total": total}


def _report_snapshot(report: ProgressReport) -> dict:
    return {"kind": report.kind, "version": report.version, "status": report.status,
            "victims_total": report.victims_total}


@transaction.atomic
def report_submit(*, actor, grant: Grant, report_due: ReportDue,
                  data: ReportInput) -> ProgressReport:
    """Submit the next version of a report due (the first, or a revision after changes)."""
    _require_grantee(actor, grant)
    grant = lock(Grant, grant.pk)
    if report_due.grant_id != grant.pk:
        raise ValidationFailed.on("report_due", _("Not a report of this grant."))
    if grant.status not in REPORTABLE:
        raise StateConflict(_("Reports are submitted on active or suspended grants only."))
    latest = ProgressReport.objects.filter(report_due=report_due).order_by("-version").first()
    if latest is not None and latest.status in DONE:
        raise StateConflict(_("This report is already %(status)s.")
                            % {"status": latest.get_status_display().lower()})
    clean = _clean_report(grant, data, final=report_due.kind == ReportKind.FINAL)
    report = ProgressReport(
        grant=grant, report_due=report_due, kind=report_due.kind,
        version=(latest.version + 1) if latest else 1,
        achievements=data.achievements.strip(), challenges=(data.challenges or "").strip(),
        lessons=(data.lessons or "").strip(), story=(data.story or "").strip(),
        consent_confirmed=bool(data.consent_confirmed), victims_total=clean["total"])
    report.submit(by=actor)
    report.save(force_insert=True)
    ExpenditureLine.objects.bulk_create([ExpenditureLine(report=report, **line)
                                         for line in clean["lines"]])
    Indicator.objects.bulk_create(
        [Indicator(report=report, dimension=IndicatorDimension.GROUP, key=k, count=v)
         for k, v in clean["groups"].items()]
        + [Indicator(report=report, dimension=IndicatorDimension.SERVICE, key=k, count=v)
           for k, v in clean["services"].items()])
    audit_record(actor=actor, verb="grant.report_submit", target=grant,
                 after=_report_snapshot(report))
    return report


def _review(actor, report: ProgressReport, transition: str) -> tuple[Grant, ProgressReport]:
    """The locked grant and report, when the report may take ``transition`` now."""
    _require_secretariat(actor)
    grant = lock(Grant, report.grant_id)
    report = lock(ProgressReport, report.pk)
    require_transition(getattr(report, transition),
                       _("Only a submitted report can be reviewed."))
    return grant, report


@transaction.atomic
def report_accept(*, actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    grant, report = _review(actor, report, "accept")
    report.accept(by=actor, comment=(comment or "").strip())
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    if report.kind == ReportKind.FINAL and can_proceed(grant.start_closing):
        grant.start_closing()
        grant.save(update_fields=["status"])
    audit_record(actor=actor, verb="grant.report_accept", target=grant,
                 after=_report_snapshot(report), note=report.review_comment)
    _notify_grantee(grant, "report_accepted", {"kind": report.kind, "version": report.version})
    return report


@transaction.atomic
def report_request_changes(*, actor, report: ProgressReport, comment: str) -> ProgressReport:
    grant, report = _review(actor, report, "request_changes")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed.on("comment", _("Say what must change."))
    report.request_changes(by=actor, comment=comment)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(actor=actor, verb="grant.report_changes", target=grant,
                 after=_report_snapshot(report), note=comment)
    _notify_grantee(grant, "report_changes_requested",
                    {"kind": report.kind, "version": report.version})
    return report


# --- closure -----------------------------------------------------------------------------

def closure_figures(grant: Grant) -> tuple[Decimal, Decimal, Decimal]:
    """(paid, spent per the accepted final report, unspent balance)."""
    paid = _paid(grant.disbursements.all())
    final = ProgressReport.objects.filter(grant=grant, kind=ReportKind.FINAL,
                                          status=ReportStatus.ACCEPTED).order_by("-version")
    report = final.first()
    spent = ZERO
    if report is not None:
        spent = report.expenditure.aggregate(t=Sum("spent_usd"))["t"] or ZERO
    return paid, spent, max(paid - spent, ZERO)


@transaction.atomic
def grant_close(*, actor, grant: Grant, treatment: str = "", reason: str = "") -> GrantClosure:
    _require_secretariat(actor)
    grant = lock(Grant, grant.pk)
    require_transition(grant.close, _("A grant closes after its final report is accepted."))
    paid, spent, unspent = closure_figures(grant)
    reason = (reason or "").strip()
    if unspent == 0:
        treatment = UnspentTreatment.NONE
    elif treatment not in (UnspentTreatment.REFUNDED, UnspentTreatment.WRITTEN_OFF):
        raise ValidationFailed.on(
            "treatment", _("USD %(u)s is unspent: say whether it is refunded or written off.")
            % {"u": unspent})
    elif treatment == UnspentTreatment.WRITTEN_OFF and not reason:
        raise ValidationFailed.on(
            "reason", _("Say why the unspent balance is written off."))
    closure = GrantClosure.objects.create(grant=grant, paid_usd=paid, spent_usd=spent,
                                          unspent_usd=unspent, treatment=treatment,
                                          reason=reason[:4000], closed_by=actor)
    grant.close()
    grant.save(update_fields=["status"])
    _closure_refund(actor, grant, closure)
    audit_record(actor=actor, verb="grant.close", target=grant,
                 before={"status": GrantStatus.CLOSING},
                 after={"status": grant.status, "paid_usd": paid, "spent_usd": spent,
                        "unspent_usd": unspent, "treatment": treatment}, note=reason)
    return closure


def _closure_refund(actor, grant: Grant, closure: GrantClosure) -> None:
    """A closure "refunded to the fund" records the refund of what the refunds already
    recorded on the grant do not cover (reference ``CLOSURE-<grant id>``, received on the
    closing day, as the migration did for earlier closures)."""
    if closure.treatment != UnspentTreatment.REFUNDED:
        return
    rest = closure.unspent_usd - _paid(Refund.objects.filter(grant=grant))
    if rest > 0:
        Refund.objects.create(grant=grant, amount_usd=rest,
                              received_on=timezone.localdate(),
                              reference=f"CLOSURE-{grant.pk}",
                              note=_("Unspent balance refunded at closure"),
                              recorded_by=actor)


# --- reminders ---------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 14


def reports_remind_due(today: date | None = None) -> int:
    """Remind grantees of reports due within two weeks and of overdue ones, once each."""
    from datetime import timedelta

    today = today or timezone.localdate()
    dues = (ReportDue.objects.filter(grant__status__in=REPORTABLE,
                                     due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
            .exclude(versions__status__in=DONE).select_related("grant__application")
            .distinct())
    sent = 0
    with transaction.atomic():
        for due in dues:
            overdue = due.due_date < today
            kind = "report_overdue" if overdue else "report_due"
            sent += len(notify(
                recipients=list(grantee_users(due.grant)), kind=kind, target=due.grant,
                data={"agreement_number": due.grant.agreement_number, "kind": due.kind,
                      "due_date": due.due_date.isoformat(), "url": _grant_url(due.grant)},
                # once per due date: a no-cost extension that moves it reminds again
                dedupe_key=f"{kind}:{due.pk}:{due.due_date.isoformat()}"))
    return sent
