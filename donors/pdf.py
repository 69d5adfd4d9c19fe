"""PDF documents: contribution receipts and the annual donor report."""

from django.utils import timezone

from donors.models import Contribution
from fundapp.core.pdf import render_pdf


def receipt_pdf(contribution: Contribution) -> bytes:
    """The receipt, in the language recorded for it (the donor's when it was issued)."""
    return render_pdf("donors/pdf/receipt.html", {
        "c": contribution, "donor": contribution.donor,
        "issued_on": timezone.localdate(),
    }, language=contribution.receipt_language or "en")


def annual_report_pdf(context: dict, language: str) -> bytes:
    return render_pdf("donors/pdf/annual_report.html",
                      context | {"generated_at": timezone.now()}, language=language)
