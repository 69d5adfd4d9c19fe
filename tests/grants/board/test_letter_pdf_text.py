"""The decision letter as the organisation reads it, from the PDF's text."""

import pytest

from grants.letters import render_letter_pdf
from grants.models import AgendaItem
from grants.services.board import board_session_close, board_vote_cast
from tests.pdf_text import pdf_metadata, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(session, chair, members):
    approved, declined, _reserve = session.items.all()
    for user in (chair, *members[:2]):
        board_vote_cast(actor=user, session=session, application=approved.application,
                        vote="approve", amount_usd="45000.00",
                        conditions="Hire a child-protection officer.")
        board_vote_cast(actor=user, session=session, application=declined.application,
                        vote="decline", feedback="The budget for shelter is not justified.")
    board_session_close(actor=chair, session=session)
    return (AgendaItem.objects.get(pk=approved.pk), AgendaItem.objects.get(pk=declined.pk))


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
