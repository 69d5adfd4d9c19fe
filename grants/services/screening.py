"""Screening: automatic checks, the secretariat's eligibility decision, priority confirmation.

An application moves submitted → screening when its checks first run, then to eligible or
ineligible when the secretariat decides. Deciding "eligible" over a failed automatic check
needs reasons; a possible sanctions match must be cleared first (``sanctions_match_clear``).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries as all_countries

from fundapp.accounts.roles import user_can
from fundapp.core.audit import audit_record
from fundapp.core.errors import Errors, NotAllowed, StateConflict, ValidationFailed
from fundapp.core.formatting import money
from fundapp.core.locks import lock
from fundapp.notifications.services import notify
from grants.models import (
    Application,
    ApplicationStatus,
    CheckCode,
    DocumentKind,
    SanctionsEntry,
    Screening,
    ScreeningDecision,
)

from .sanctions import current_sanctions_list, sanctions_check, sanctions_matches_refresh

ANNUAL_BUDGET_FACTOR = 3
SCREENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING)
PRIORITY_CONFIRMABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENING,
                        ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW,
                        ApplicationStatus.RANKED)


def _require_screener(actor) -> None:
    if not user_can(actor, "application.screen"):
        raise NotAllowed()


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


# --- the checks ------------------------------------------------------------------------


def _amount_check(app: Application) -> dict:
    call, amount = app.call, app.requested_usd
    ok = amount is not None and call.min_grant_usd <= amount <= call.max_grant_usd
    return {"code": CheckCode.AMOUNT, "ok": ok,
            "params": {"amount": _money(amount), "min": _money(call.min_grant_usd),
                       "max": _money(call.max_grant_usd)}}


def _duration_check(app: Application) -> dict:
    months, limit = app.duration_months, app.call.max_duration_months
    return {"code": CheckCode.DURATION, "ok": months is not None and 1 <= months <= limit,
            "params": {"months": months, "max": limit}}


def _documents_check(app: Application) -> dict:
    present = {a.kind for a in app.attachments.all()}
    missing = [k for k in app.call.required_documents if k not in present]
    return {"code": CheckCode.DOCUMENTS, "ok": not missing, "params": {"missing": missing}}


def _organisation_check(app: Application) -> dict:
    org = app.organisation
    return {"code": CheckCode.ORGANISATION_VERIFIED, "ok": org.verified,
            "params": {"status": org.status}}


def _countries_check(app: Application) -> dict:
    codes = [c.code for c in app.countries]
    allowed = {c.code for c in app.call.eligible_countries}
    outside = [c for c in codes if allowed and c not in allowed]
    return {"code": CheckCode.COUNTRIES, "ok": bool(codes) and not outside,
            "params": {"countries": codes, "outside": outside}}


def _budget_lines_check(app: Application) -> dict:
    total = sum((line.amount for line in app.budget_lines.all()), Decimal("0"))
    ok = app.requested_usd is not None and total == app.requested_usd
    return {"code": CheckCode.BUDGET_LINES, "ok": ok,
            "params": {"total": _money(total), "amount": _money(app.requested_usd)}}


def _annual_budget_check(app: Application) -> dict:
    budget, amount = app.organisation.annual_budget_usd, app.requested_usd
    limit = budget * ANNUAL_BUDGET_FACTOR if budget is not None else None
    ok = limit is not None and amount is not None and amount <= limit
    return {"code": CheckCode.ANNUAL_BUDGET, "ok": ok,
            "params": {"annual_budget": _money(budget), "limit": _money(limit),
                       "amount": _money(amount)}}


AUTOMATIC_CHECKS = (_amount_check, _duration_check, _documents_check, _organisation_check,
                    _countries_check, _budget_lines_check, _annual_budget_check)


def automatic_checks(app: Application) -> list[dict]:
    """Every check but sanctions, from the application as it stands (pure: no writes)."""
    return [check(app) for check in AUTOMATIC_CHECKS]


_AMOUNTS = ("amount", "min", "max", "total", "limit", "annual_budget")


def _worded(params: dict) -> dict:
    """The amounts a money check stored (``60,000.00``) in the reader's form."""
    return {k: money(v) if k in _AMOUNTS and v not in (None, "") else v
            for k, v in params.items()}


def check_message(check: dict) -> str:
    """A check's outcome in words, in the active language."""
    code, ok, p = check["code"], check.get("ok"), check.get("params") or {}
    if code in (CheckCode.AMOUNT, CheckCode.BUDGET_LINES, CheckCode.ANNUAL_BUDGET):
        p = _worded(p)
    if code == CheckCode.AMOUNT:
        return (_("%(amount)s requested; the call funds %(min)s to %(max)s.") % p
                if p.get("amount") else _("No amount requested."))
    if code == CheckCode.DURATION:
        return (_("%(months)s months; at most %(max)s for this call.") % p
                if p.get("months") else _("No duration given."))
    if code == CheckCode.DOCUMENTS:
        missing = [str(DocumentKind(k).label) if k in DocumentKind.values else k
                   for k in p.get("missing", [])]
        return (_("Missing: %(docs)s.") % {"docs": ", ".join(missing)} if missing
                else _("Every required document is attached."))
    if code == CheckCode.ORGANISATION_VERIFIED:
        return _("Verified by the secretariat.") if ok else _("Not verified.")
    if code == CheckCode.COUNTRIES:
        return _countries_message(p)
    if code == CheckCode.BUDGET_LINES:
        return _("Budget lines total %(total)s for %(amount)s requested.") % p
    if code == CheckCode.ANNUAL_BUDGET:
        return (_("%(amount)s requested; limit %(limit)s (3 × annual budget of "
                  "%(annual_budget)s).") % p if p.get("limit")
                else _("The organisation has not given its annual budget."))
    return _sanctions_message(ok, p)


def _countries_message(p: dict) -> str:
    if not p.get("countries"):
        return _("No country of implementation.")
    if p.get("outside"):
        return _("Not eligible for this call: %(countries)s.") % {
            "countries": ", ".join(str(all_countries.name(c)) for c in p["outside"])}
    return _("Every country is eligible.")


def _sanctions_message(ok: bool, p: dict) -> str:
    if p.get("no_list"):
        return _("No sanctions list loaded: the check has not run. Import the Consolidated "
                 "List, then run the checks again.")
    if p.get("uncleared"):
        return ngettext("%(n)s possible match to clear.", "%(n)s possible matches to clear.",
                        p["uncleared"]) % {"n": p["uncleared"]}
    if p.get("matches"):
        return ngettext("%(n)s possible match, cleared.", "%(n)s possible matches, all cleared.",
                        p["matches"]) % {"n": p["matches"]}
    return _("No possible match.")


# --- running the checks ----------------------------------------------------------------


def _screenable(application: Application) -> Application:
    app = lock(Application, application.pk)
    if app.status not in SCREENABLE:
        raise StateConflict(_("Only submitted applications can be screened; this one is "
                              "%(status)s.") % {"status": app.get_status_display().lower()})
    return app


def _run(app: Application, actor, entries: list | None = None) -> Screening:
    sanctions_list = current_sanctions_list()
    if entries is None:
        entries = list(SanctionsEntry.objects.filter(sanctions_list=sanctions_list)
                       ) if sanctions_list else []
    matches = sanctions_matches_refresh(application=app, entries=entries)
    screening, _created = Screening.objects.get_or_create(application=app)
    screening.checks = [*automatic_checks(app),
                        sanctions_check(sanctions_list=sanctions_list, matches=matches)]
    screening.checked_at, screening.checked_by = timezone.now(), actor
    screening.sanctions_list = sanctions_list
    screening.save()
    if app.status == ApplicationStatus.SUBMITTED:
        app.start_screening()
        app.save()
    audit_record(actor=actor, verb="screening.run", target=app,
                 after={"status": app.status, "failed": screening.failed_codes,
                        "not_run": screening.not_run_codes})
    return screening


@transaction.atomic
def screening_run(*, actor, application: Application) -> Screening:
    """Run (or re-run) the checks; a submitted application moves to screening."""
    _require_screener(actor)
    return _run(_screenable(application), actor)


def screening_run_all(*, actor, call=None) -> int:
    """Run the checks on every submitted application not yet screened (of ``call``)."""
    _require_screener(actor)
    apps = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    if call is not None:
        apps = apps.filter(call=call)
    sanctions_list = current_sanctions_list()
    entries = list(SanctionsEntry.objects.filter(sanctions_list=sanctions_list)
                   ) if sanctions_list else []
    done = 0
    for pk in apps.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            app = lock(Application, pk)
            if app.status == ApplicationStatus.SUBMITTED:
                _run(app, actor, entries)
                done += 1
    return done


# --- the decision ----------------------------------------------------------------------


def _decision_errors(screening: Screening, eligible: bool, reasons: str) -> Errors:
    errors = Errors()
    uncleared = screening.application.sanctions_matches.filter(cleared_at__isnull=True)
    if eligible and uncleared.exists():
        errors.add("sanctions", _("A possible match on the sanctions list must be cleared, "
                                  "with a reason, before the application can be eligible."))
    elif not eligible and not reasons:
        errors.add("reasons", _("Give the reasons why the application is ineligible; they "
                                "are sent to the organisation."))
    elif eligible and not reasons:
        failed = [c for c in screening.failed_codes if c != CheckCode.SANCTIONS]
        not_run = screening.not_run_codes
        if failed or not_run:
            errors.add("reasons", _override_message(failed, not_run))
    return errors


def _labels(codes: list[str]) -> str:
    return ", ".join(str(CheckCode(c).label) for c in codes)


def _override_message(failed: list[str], not_run: list[str]) -> str:
    if not failed:
        return _("These automatic checks have not run: %(checks)s. Give the reasons for "
                 "declaring the application eligible anyway (for instance, the list checked "
                 "by hand).") % {"checks": _labels(not_run)}
    message = _("These automatic checks failed: %(checks)s. Give the reasons for declaring "
                "the application eligible anyway.") % {"checks": _labels(failed)}
    if not_run:
        message += " " + _("Not run: %(checks)s.") % {"checks": _labels(not_run)}
    return message


@transaction.atomic
def application_screen(*, actor, application: Application, eligible: bool,
                       reasons: str) -> Application:
    """The secretariat's decision; the organisation is told, with the reasons if refused."""
    _require_screener(actor)
    app = _screenable(application)
    screening = Screening.objects.filter(application=app).first()
    if screening is None or app.status == ApplicationStatus.SUBMITTED:
        screening = _run(app, actor)
    reasons = (reasons or "").strip()
    errors = _decision_errors(screening, eligible, reasons)
    errors.raise_if_any()
    if eligible:
        app.mark_eligible()
    else:
        app.mark_ineligible()
    app.save()
    screening.decision = ScreeningDecision.ELIGIBLE if eligible else ScreeningDecision.INELIGIBLE
    overridden = [*screening.failed_codes, *screening.not_run_codes] if eligible else []
    screening.reasons, screening.overridden = reasons, overridden
    screening.decided_by, screening.decided_at = actor, timezone.now()
    screening.save()
    audit_record(actor=actor, verb="application.screen", target=app,
                 before={"status": ApplicationStatus.SCREENING},
                 after={"status": app.status, "overridden": screening.overridden},
                 note=reasons)
    _notify_decision(app, eligible, reasons)
    return app


def _notify_decision(app: Application, eligible: bool, reasons: str) -> None:
    members = [m.user for m in app.organisation.memberships.select_related("user")
               if m.user.is_active]
    kind = "application_eligible" if eligible else "application_ineligible"
    notify(recipients=members, kind=kind, target=app,
           data={"reference": app.reference, "title": app.title, "reasons": reasons,
                 "call_number": app.call.number, "url": f"/applications/{app.pk}/"},
           dedupe_key=f"{kind}:{app.pk}")


# --- priorities ------------------------------------------------------------------------


@transaction.atomic
def application_priorities_confirm(*, actor, application: Application,
                                   confirmed: list[str]) -> Application:
    """Mark which claimed priorities the application truly addresses (the others: not)."""
    if not user_can(actor, "application.confirm_priorities"):
        raise NotAllowed()
    app = lock(Application, application.pk)
    if app.status not in PRIORITY_CONFIRMABLE:
        raise StateConflict(_("Priorities are confirmed between submission and ranking."))
    claims = list(app.priority_claims.select_related("priority"))
    claimed = {c.priority.code for c in claims}
    unknown = sorted(set(confirmed) - claimed)
    if unknown:
        raise ValidationFailed.on(
            "confirmed", _("The application does not claim these priorities: %(codes)s.")
            % {"codes": ", ".join(unknown)})
    before = {c.priority.code: c.confirmed for c in claims}
    for claim in claims:
        claim.confirmed = claim.priority.code in confirmed
        claim.save(update_fields=["confirmed"])
    audit_record(actor=actor, verb="application.confirm_priorities", target=app,
                 before=before, after={c.priority.code: c.confirmed for c in claims})
    return app
