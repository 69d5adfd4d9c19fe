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


def _embedded_fonts(pdf: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    return names


@pytest.mark.parametrize("language, script", [
    ("ar", "\u0600-\u06ff"), ("zh-hans", "\u4e00-\u9fff"), ("ru", "\u0400-\u04ff"),
    ("es", "A-Za-zñáéíóú"),
])
def test_the_receipt_is_written_in_each_script_with_a_font_that_holds_it(
        luxembourg, language, script):
    """Glyphs, not boxes: the text layer holds the translated title in the language's own
    script, and the font drawn with is one fontconfig says covers it (ensure-fonts.sh)."""
    import re
    import subprocess
    import unicodedata

    contribution = record(luxembourg, "1000.00", "USD")
    contribution.receipt_language = language
    pdf = receipt_pdf(contribution)
    with translation.override(language):
        title = translation.gettext("Receipt for a voluntary contribution")
    text = unicodedata.normalize("NFKC", pdf_text(pdf))
    assert title != "Receipt for a voluntary contribution"
    assert len(re.findall(f"[{script}]", text)) > 50, text[:200]
    words = [w for w in unicodedata.normalize("NFKC", title).split() if len(w) > 2]
    assert any(w in text or w[::-1] in text for w in words), (title, text[:300])
    fc_lang = {"zh-hans": "zh-cn"}.get(language, language)
    covering = subprocess.run(["fc-list", f":lang={fc_lang}", "family"], capture_output=True,
                              text=True, check=False).stdout
    families = {re.sub(r"[^A-Za-z]", "", part) for line in covering.splitlines()
                for part in line.split(",")} - {""}
    embedded = {re.sub(r"[^A-Za-z]", "", re.sub(r"^/?[A-Z]{6}\+", "", name))
                for name in _embedded_fonts(pdf)}  # "ABCDEF+DejaVu-Sans-Bold": DejaVuSansBold
    assert any(e.startswith(f) for e in embedded for f in families), (embedded, families)
