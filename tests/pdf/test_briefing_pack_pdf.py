"""The board's briefing pack says DRAFT while the recommendation is not finalised, and
carries the version and its finalisation date once it is."""

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import exports
from grants.selectors.ranking import call_portfolio, portfolio_data
from grants.services.ranking import portfolio_finalise
from tests.grants.ranking_integration.builders import hand_checked_call
from tests.pdf_text import pdf_metadata, pdf_pages_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db):
    return hand_checked_call()


def today() -> str:
    d = timezone.localdate()
    return f"{d.day} {d:%B} {d.year}"


def pack(client, call, version=None) -> bytes:
    url = reverse("grants:portfolio-export", args=[call.pk, "pdf"])
    response = client.get(url + (f"?version={version}" if version else ""))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


def test_a_live_recommendation_is_marked_draft_on_every_page(small):
    call, apps = small
    pages = pdf_pages_text(exports.briefing_pack_pdf(portfolio_data(call_portfolio(call)),
                                                     call=call))
    assert len(pages) == 1 + 3
    assert all("DRAFT" in page for page in pages)
    assert "Live recommendation, not finalised by the secretariat" in pages[0]
    assert "Final version" not in pages[0]
    assert apps["C"].reference in pages[1]


def test_once_finalised_the_pack_shows_the_version_and_date_and_no_draft(
        client, small, secretariat, board_member):
    call, _apps = small
    client.force_login(board_member)
    before = pack(client, call)
    assert "DRAFT" in pdf_text(before.content)
    assert before["Content-Disposition"].endswith('-draft.pdf"')
    portfolio_finalise(actor=secretariat, call=call)
    after = pack(client, call)
    text = pdf_text(after.content)
    assert "DRAFT" not in text
    assert "Final version 1" in text
    assert f"Portfolio recommendation finalised on {today()} by {secretariat.display_name}" \
        in text
    assert after["Content-Disposition"].endswith('-v1.pdf"')
    assert pdf_metadata(after.content)["title"] == (
        f"Briefing pack for the Board of Trustees, call {call.number}, version 1")


def test_a_live_recommendation_that_moved_away_from_the_final_version_is_a_draft(
        client, small, secretariat):
    call, _apps = small
    portfolio_finalise(actor=secretariat, call=call)
    call.max_projects_per_country = 1
    call.save()
    client.force_login(secretariat)
    live = pdf_text(pack(client, call).content)
    assert "DRAFT" in live
    assert f"It differs from final version 1 of {today()}" in live
    final = pdf_text(pack(client, call, version=1).content)
    assert "DRAFT" not in final and "Final version 1" in final


def test_an_older_version_says_which_one_replaced_it(api_as, small, secretariat,
                                                    board_member):
    call, _apps = small
    portfolio_finalise(actor=secretariat, call=call)
    call.max_projects_per_country = 1
    call.save()
    portfolio_finalise(actor=secretariat, call=call, note="One project per country.")
    api = api_as(board_member)
    old = api.get(f"/api/v1/calls/{call.pk}/portfolio/export/pdf/?version=1")
    assert old.status_code == 200
    text = pdf_text(old.content)
    assert "Final version 1" in text and f"Superseded by version 2 of {today()}" in text
    current = pdf_text(api.get(f"/api/v1/calls/{call.pk}/portfolio/export/pdf/").content)
    assert "Final version 2" in current and "Superseded" not in current
    assert "DRAFT" not in current
