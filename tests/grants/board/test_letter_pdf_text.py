"""The decision letter as the organisation reads it, from the PDF's text."""

import pytest

from grants.letters import render_letter_pdf
from tests.pdf_text import pdf_metadata, pdf_text

pytestmark = pytest.mark.django_db


def test_the_approval_letter_states_amount_reference_agreement_and_tranches(decided):
    approved, _ = decided
    text = pdf_text(render_letter_pdf(approved, language="en"))
    assert "Approval of your application" in text
    assert approved.application.reference in text
    assert "USD 45,000.00" in text
    assert f"Agreement number {approved.grant.agreement_number}" in text
    assert "Hire a child-protection officer." in text
    for tranche in approved.grant.tranches.all():
        assert f"{tranche.amount_usd:,.2f}" in text


def test_the_decline_letter_gives_the_feedback_and_no_amount(decided):
    _, declined = decided
    text = pdf_text(render_letter_pdf(declined, language="en"))
    assert declined.application.reference in text
    assert "The budget for shelter is not justified." in text
    assert "USD 45,000.00" not in text and "Approval" not in text


def test_the_letter_pdf_says_its_language(decided):
    approved, _ = decided
    assert pdf_metadata(render_letter_pdf(approved, language="fr"))["language"] == "fr"
    assert pdf_metadata(render_letter_pdf(approved, language="xx"))["language"] == "en"
