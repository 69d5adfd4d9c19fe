"""Pages read in French: figures, dates and country names in French forms (issue 12)."""

from decimal import Decimal

import pytest

from grants.services.implementation import disbursement_record, report_accept, report_submit
from tests.grants.implementation.helpers import active_grant, due, report_data, today

pytestmark = pytest.mark.django_db
NNBSP, NBSP = "\u202f", "\xa0"


@pytest.fixture
def reported(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat, countries=("CI", "DE"))
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P1")
    report_accept(actor=secretariat, report=report_submit(
        actor=ngo, grant=grant, report_due=due(grant), data=report_data()))
    return grant


def test_the_impact_page_in_french_names_the_countries_and_writes_french_amounts(
        login, secretariat, reported):
    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    html = login(secretariat).get("/impact/").content.decode()
    assert '<th scope="row">Côte d&#x27;Ivoire</th>' in html  # not the code "CI"
    assert f"40{NNBSP}000,00{NBSP}USD" in html


def test_the_grant_portfolio_in_french_lists_country_names_in_french_order(
        login, secretariat, reported):
    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    html = login(secretariat).get("/grants/portfolio/").content.decode()
    assert "Allemagne, Côte d&#x27;Ivoire" in html


def test_english_pages_keep_their_english_forms(login, secretariat, reported):
    html = login(secretariat).get("/impact/").content.decode()
    assert "USD 40,000.00" in html and "Côte d&#x27;Ivoire" in html
