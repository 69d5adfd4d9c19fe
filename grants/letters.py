"""Documents sent to an organisation, as PDF in the reader's language: the decision letter
(approval with amount and conditions, or decline with the board's feedback) and the grant
agreement with its terms.

Generated on demand from the stored records (a closed session never changes, so the
letter is always the same words; the agreement shows the terms as they stand and who
signed them), never stored: nothing to keep in step.
"""

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fundapp.core.pdf import render_pdf
from grants.models import AgendaItem, BudgetCategory, Decision, Grant, GrantStatus
from grants.selectors.amendments import (
    amendment_differences,
    approved_amendments,
    grant_budget_lines,
)
from grants.services.implementation import terms_digest

LETTER_TEMPLATE = "grants/letters/decision.html"
AGREEMENT_TEMPLATE = "grants/implementation/agreement_pdf.html"
RECORDS_KEPT_YEARS = 7  # after the grant's closure, as UN financial rules ask of partners
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12


def supported_language(code: str) -> str:
    """``code`` when the site offers it, else the default language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def letter_language(user) -> str:
    """The reader's language."""
    return supported_language(getattr(user, "language", "") or "")


def letter_context(item: AgendaItem) -> dict:
    session = item.session
    app = item.application
    grant = getattr(item, "grant", None) if item.decision == Decision.APPROVED else None
    return {
        "item": item, "app": app, "organisation": app.organisation, "call": session.call,
        "session": session, "grant": grant,
        "tranches": list(grant.tranches.order_by("position")) if grant else [],
        "reports": list(grant.reports_due.order_by("due_date")) if grant else [],
        "approved": item.decision == Decision.APPROVED,
        "decided_on": timezone.localdate(session.closed_at),
        "chair": session.closed_by,
    }


def render_letter_html(item: AgendaItem, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(LETTER_TEMPLATE, letter_context(item))


def render_letter_pdf(item: AgendaItem, *, language: str) -> bytes:
    return render_pdf(LETTER_TEMPLATE, letter_context(item), language=language)


def letter_filename(item: AgendaItem, language: str) -> str:
    reference = item.application.reference or f"application-{item.application_id}"
    return f"decision-{reference}-{language}.pdf"


# --- the grant agreement -------------------------------------------------------------------


def duration_months(grant: Grant) -> int:
    """The project period in whole months (at least one)."""
    days = (grant.end_date - grant.start_date).days
    return max(1, int((Decimal(days) / DAYS_PER_MONTH).to_integral_value()))


def _budget_lines(grant: Grant) -> list[dict]:
    """The grant's current budget (its latest approved revision, or the application's)."""
    labels = dict(BudgetCategory.choices)
    return [{"label": labels.get(line["category"], line["category"]),
             "description": line["description"], "amount": line["amount_usd"]}
            for line in grant_budget_lines(grant)]


def _amendments(grant: Grant) -> list[dict]:
    return [{"amendment": a, "differences": amendment_differences(a)}
            for a in approved_amendments(grant)]


def agreement_context(grant: Grant, *, version: int | None = None,
                      with_amendments: bool = True) -> dict:
    """The agreement's terms as they stand; ``version`` is the number of the stored version
    being rendered (``grants.services.amendments``), ``with_amendments`` lists the approved
    amendments (not in version 1, the agreement as first signed)."""
    app = grant.application
    signature = getattr(grant, "signature", None)
    lines = _budget_lines(grant)
    budget_total = sum((line["amount"] for line in lines), Decimal(0))
    signed = bool(signature and signature.signed_at)
    return {
        "grant": grant, "app": app, "organisation": app.organisation, "call": grant.call,
        "tranches": list(grant.tranches.order_by("position")),
        "reports": list(grant.reports_due.order_by("due_date", "id")),
        "budget_lines": lines, "budget_total": budget_total,
        "budget_differs": bool(lines) and budget_total != grant.approved_usd,
        "duration_months": duration_months(grant),
        "records_years": RECORDS_KEPT_YEARS,
        "signature": signature,
        # after signature the terms change only through approved amendments
        "terms_changed": signed and grant.status == GrantStatus.PENDING_SIGNATURE
        and signature.terms_digest != terms_digest(grant),
        "cancelled": grant.status == GrantStatus.CANCELLED,
        "version": version,
        "amendments": _amendments(grant) if with_amendments else [],
    }


def render_agreement_pdf(grant: Grant, *, language: str, version: int | None = None,
                         with_amendments: bool = True) -> bytes:
    context = agreement_context(grant, version=version, with_amendments=with_amendments)
    return render_pdf(AGREEMENT_TEMPLATE, context, language=language)


def agreement_filename(grant: Grant) -> str:
    return f"agreement-{grant.agreement_number}.pdf"
