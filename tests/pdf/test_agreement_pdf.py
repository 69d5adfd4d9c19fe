"""The grant agreement as the organisation reads it: every clause, the grant's own figures
and dates, and who signed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.letters import RECORDS_KEPT_YEARS, duration_months, render_agreement_pdf
from grants.models import BudgetLine
from grants.services.implementation import agreement_accept, agreement_countersign
from tests.grants.implementation.helpers import make_grant
from tests.pdf_text import pdf_metadata, pdf_text

pytestmark = pytest.mark.django_db

CLAUSES = (
    "1. Parties", "2. Purpose and approved budget", "3. Project period",
    "4. Tranches and conditions of payment", "5. Reporting calendar",
    "6. Use of funds and refund of unspent balance", "7. Audit and record keeping",
    "8. Safeguarding and protection from sexual exploitation and abuse (PSEA)",
    "9. Anti-fraud and anti-corruption", "10. Anti-terrorism and United Nations sanctions",
    "11. Privacy of victims' data", "12. Termination and suspension", "14. Signatures",
)


def day(value: date) -> str:
    return f"{value.day} {value:%B} {value.year}"


@pytest.fixture
def grant(organisation):
    grant = make_grant(organisation, amount="52500.00", start=date(2026, 1, 15), months=12)
    grant.conditions = "Hire a child-protection officer before the second tranche."
    grant.save()
    for position, (category, description, amount) in enumerate((
            ("shelter", "Rent of the safe house", "30000.00"),
            ("personnel", "Two social workers", "22500.00"))):
        BudgetLine.objects.create(application=grant.application, category=category,
                                  description=description, amount=Decimal(amount),
                                  position=position)
    return grant


def test_the_agreement_has_every_clause_a_trust_fund_grant_carries(grant):
    text = pdf_text(render_agreement_pdf(grant, language="en"))
    missing = [heading for heading in CLAUSES if heading not in text]
    assert missing == []
    assert f"for at least {RECORDS_KEPT_YEARS} years after the grant is closed" in text
    assert "Consolidated United Nations Security Council Sanctions List" in text
    assert "Reports give aggregate counts only" in text


def test_the_agreement_is_filled_from_the_grant(grant, organisation):
    text = pdf_text(render_agreement_pdf(grant, language="en"))
    assert f"Grant agreement {grant.agreement_number}" in text
    assert organisation.name in text and organisation.registration_number in text
    assert "USD 52,500.00" in text
    assert "Rent of the safe house 30,000.00" in text
    assert "Hire a child-protection officer before the second tranche." in text
    tranches = list(grant.tranches.order_by("position"))
    assert [t.amount_usd for t in tranches] == [Decimal("42000.00"), Decimal("10500.00")]
    assert "On signature of this agreement by both parties 80% 42,000.00" in text
    assert "After the Fund accepts the final report 20% 10,500.00" in text
    assert f"from {day(grant.start_date)} to {day(grant.end_date)}" in text
    assert f"a period of {duration_months(grant)} months" in text
    for due in grant.reports_due.all():
        assert day(due.due_date) in text


def test_the_signatures_appear_once_given(grant, ngo, secretariat):
    unsigned = pdf_text(render_agreement_pdf(grant, language="en"))
    assert "Not yet signed." in unsigned and "Not yet countersigned." in unsigned
    agreement_accept(actor=ngo, grant=grant, signatory_name="Ada Obi",
                     signatory_title="Executive Director")
    agreement_countersign(actor=secretariat, grant=grant)
    grant.refresh_from_db()
    signed = pdf_text(render_agreement_pdf(grant, language="en"))
    assert "Accepted by Ada Obi, Executive Director" in signed
    assert f"Countersigned by {secretariat.display_name}" in signed
    assert f"Date: {day(grant.signature.signed_at.date())}" in signed
    assert "Not yet" not in signed


def test_changed_terms_after_signature_are_flagged(grant, ngo):
    agreement_accept(actor=ngo, grant=grant, signatory_name="Ada Obi", signatory_title="Director")
    grant.conditions = "A new condition."
    grant.save()
    text = pdf_text(render_agreement_pdf(grant, language="en"))
    assert "The terms changed after the Grantee signed" in text


def test_the_grantee_downloads_it_in_its_language(client, grant, ngo):
    ngo.language = "fr"
    ngo.save()
    client.force_login(ngo)
    response = client.get(reverse("grants:grant-agreement-pdf", args=[grant.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    meta = pdf_metadata(response.content)
    assert meta["language"] == "fr"
    assert grant.agreement_number in meta["title"]
    assert grant.agreement_number in pdf_text(response.content)


def test_another_organisation_cannot_download_it(client, grant, other_ngo):
    client.force_login(other_ngo)
    response = client.get(reverse("grants:grant-agreement-pdf", args=[grant.pk]))
    assert response.status_code == 404
