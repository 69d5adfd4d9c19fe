"""A donor's receipt as the donor reads it: number, amounts, rate and bank reference, in the
language recorded for it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from donors.pdf import receipt_pdf
from fundapp.core.pdf import fund_name
from tests.donors.factories import DonorFactory, rate, record
from tests.pdf_text import pdf_metadata, pdf_text

pytestmark = pytest.mark.django_db


def fund_name_in(language: str) -> str:
    with translation.override(language):
        return fund_name()


@pytest.fixture
def luxembourg(donor):
    return DonorFactory(name="Luxembourg", country="LU", language="fr", users=[donor])


def test_the_receipt_carries_its_number_amounts_and_reference(luxembourg):
    rate("EUR", date(2024, 3, 1), "1.0850")
    contribution = record(luxembourg, "20000.00", "EUR", bank_reference="LU-2024-0042")
    contribution.receipt_language = "en"
    text = pdf_text(receipt_pdf(contribution))
    assert f"Receipt no. {contribution.receipt_number}" in text
    assert "Luxembourg" in text
    assert "EUR 20,000.00" in text
    assert "USD 21,700.00" in text
    assert "LU-2024-0042" in text
    assert "Date received 1 March 2024" in text


def test_the_receipt_is_in_the_language_recorded_for_it(luxembourg):
    contribution = record(luxembourg, "5000.00", "USD")
    contribution.receipt_language = "fr"
    pdf = receipt_pdf(contribution)
    meta = pdf_metadata(pdf)
    assert meta["language"] == "fr"
    assert contribution.receipt_number in meta["title"]
    assert meta["author"] == fund_name_in("fr")
    assert "mars 2024" in pdf_text(pdf)


def test_the_donor_downloads_its_receipt_from_the_portal(client, luxembourg, donor):
    contribution = record(luxembourg, "7500.00", "USD")
    client.force_login(donor)
    response = client.get(reverse("donors:receipt", args=[contribution.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert contribution.receipt_number in pdf_text(response.content)
