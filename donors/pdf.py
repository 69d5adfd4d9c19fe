"""PDF documents (WeasyPrint): contribution receipts and the annual donor report."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from donors.models import Contribution
from donors.money import format_amount

# WeasyPrint narrates every layout step at INFO; keep the logs for what matters.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def receipt_pdf(contribution: Contribution) -> bytes:
    """The receipt, in the language recorded for it (the donor's when it was issued)."""
    with translation.override(contribution.receipt_language or "en"):
        return render_pdf("donors/pdf/receipt.html", {
            "c": contribution, "donor": contribution.donor,
            "amount": format_amount(contribution.amount, contribution.currency),
            "amount_usd": format_amount(contribution.amount_usd),
            "issued_on": timezone.localdate(),
        })


def annual_report_pdf(context: dict, language: str) -> bytes:
    with translation.override(language):
        return render_pdf("donors/pdf/annual_report.html",
                          context | {"generated_at": timezone.now()})
