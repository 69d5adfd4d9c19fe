"""Decision letters (PDF, WeasyPrint): approval with amount and conditions, or decline with
the board's feedback, in the reader's language.

Generated on demand from the frozen decision (a closed session never changes, so the
letter is always the same words), never stored: nothing to keep in step.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from grants.models import AgendaItem, Decision

for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


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
        return render_to_string("grants/letters/decision.html", letter_context(item))


def render_letter_pdf(item: AgendaItem, *, language: str) -> bytes:
    from weasyprint import HTML

    html = render_letter_html(item, language=language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def letter_filename(item: AgendaItem, language: str) -> str:
    reference = item.application.reference or f"application-{item.application_id}"
    return f"decision-{reference}-{language}.pdf"
