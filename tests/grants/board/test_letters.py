import pytest

from grants.letters import render_letter_html, render_letter_pdf

pytestmark = pytest.mark.django_db


def test_the_approval_letter_is_a_pdf_with_amount_conditions_and_agreement(decided):
    approved, _ = decided
    html = render_letter_html(approved, language="en")
    assert "USD 45,000.00" in html
    assert "Hire a child-protection officer." in html
    assert approved.grant.agreement_number in html
    assert render_letter_pdf(approved, language="en").startswith(b"%PDF")


def test_the_decline_letter_carries_the_boards_feedback(decided):
    _, declined = decided
    html = render_letter_html(declined, language="en")
    assert "The budget for shelter is not justified." in html
    assert "USD 45,000.00" not in html
    assert render_letter_pdf(declined, language="en").startswith(b"%PDF")


def test_the_letter_is_written_in_the_readers_language(decided):
    approved, _ = decided
    french = render_letter_html(approved, language="fr")
    english = render_letter_html(approved, language="en")
    months_fr = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert any(f" {m} " in french for m in months_fr)
    assert not any(f" {m} " in english for m in months_fr)
