"""The ranking and portfolio pages: who sees them, the funding line, settings, finalising,
the files."""

import pytest
from django.urls import reverse

from grants.models import ApplicationStatus, CallStatus, PortfolioRecommendation
from tests.grants.ranking_integration.builders import hand_checked_call

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db
OUTSIDERS = ["ngo", "reviewer", "donor"]


@pytest.fixture
def small(db):
    return hand_checked_call()


def _pages(call):
    return [reverse("grants:ranking-calls"), reverse("grants:ranking", args=[call.pk]),
            reverse("grants:portfolio", args=[call.pk]),
            reverse("grants:ranking-export", args=[call.pk, "csv"]),
            reverse("grants:ranking-export", args=[call.pk, "xlsx"]),
            reverse("grants:portfolio-export", args=[call.pk, "csv"]),
            reverse("grants:portfolio-export", args=[call.pk, "xlsx"])]


@pytest.mark.parametrize("role", ["secretariat", "board_member"])
def test_secretariat_and_board_read_every_page(login, request, small, role):
    client = login(request.getfixturevalue(role))
    for url in _pages(small[0]):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OUTSIDERS)
def test_others_are_refused(login, request, small, role):
    client = login(request.getfixturevalue(role))
    for url in _pages(small[0]):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(login, small):
    client = login(None)
    for url in _pages(small[0]):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_board_does_not_see_a_draft_calls_ranking(login, board_member, small):
    call = small[0]
    call.status = CallStatus.DRAFT
    call.save()
    assert login(board_member).get(reverse("grants:ranking", args=[call.pk])).status_code == 404


def test_an_unknown_export_format_is_not_found(login, secretariat, small):
    client = login(secretariat)
    assert client.get(reverse("grants:ranking-export", args=[small[0].pk, "pdf"])
                      ).status_code == 404
    assert client.get(reverse("grants:portfolio-export", args=[small[0].pk, "doc"])
                      ).status_code == 404


def test_the_ranking_page_shows_the_funding_line_after_the_last_funded_rank(login,
                                                                            secretariat,
                                                                            small):
    call, apps = small
    html = login(secretariat).get(reverse("grants:ranking", args=[call.pk])).content.decode()
    line = html.index("FUNDING LINE")
    assert html.index(apps["A"].reference) < line < html.index(apps["B"].reference)
    assert "90.45" in html and "83.32" in html  # normalised review score, combined score
    assert "<details" in html and "confirmed" in html
    assert reverse("grants:ranking-calls") in html  # the nav link


def test_the_portfolio_page_shows_selection_reserve_and_comparison(login, board_member, small):
    call, apps = small
    html = login(board_member).get(reverse("grants:portfolio", args=[call.pk])).content.decode()
    assert "171.69" in html and "25.05" in html
    assert "the optimiser added it" in html
    assert "Reserve list, in order" in html
    assert "Finalise" not in html and "Save the settings" not in html


def test_the_secretariat_saves_settings_from_the_portfolio_page(login, secretariat, small):
    call, apps = small
    client = login(secretariat)
    url = reverse("grants:ranking-settings", args=[call.pk])
    response = client.post(url, {"review_weight": "0.70", "normalise_reviews": "on",
                                 "max_projects_per_country": "1",
                                 "min_women_girls_share": "", "min_countries": ""})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.max_projects_per_country == 1
    bad = client.post(url, {"review_weight": "3", "max_projects_per_country": "0"})
    assert bad.status_code == 400
    assert "Ensure this value is less than or equal to 1" in bad.content.decode()


def test_the_board_cannot_post_settings_or_finalise(login, board_member, small):
    call = small[0]
    client = login(board_member)
    assert client.post(reverse("grants:ranking-settings", args=[call.pk]),
                       {"review_weight": "0.5"}).status_code == 403
    assert client.post(reverse("grants:portfolio-finalise", args=[call.pk]),
                       CONFIRMED).status_code == 403


def test_finalising_from_the_page_then_again_with_a_note(login, secretariat, small):
    call, apps = small
    client = login(secretariat)
    url = reverse("grants:portfolio-finalise", args=[call.pk])
    response = client.post(url, {"note": "", **CONFIRMED})
    assert response.status_code == 302 and response["Location"].endswith("?version=1")
    page = client.get(response["Location"]).content.decode()
    assert "final version 1" in page
    assert type(apps["B"]).objects.get(pk=apps["B"].pk).status == ApplicationStatus.RECOMMENDED
    refused = client.post(url, {"note": "", **CONFIRMED})
    assert refused.status_code == 400 and "Say why the recommendation changes" in (
        refused.content.decode())
    assert client.post(url, {"note": "A late review.", **CONFIRMED}).status_code == 302
    assert PortfolioRecommendation.objects.get(is_current=True).version == 2


def test_finalising_an_open_call_shows_the_conflict(login, secretariat, small):
    call = small[0]
    call.status = CallStatus.PUBLISHED
    call.closes_at = call.closes_at.replace(year=call.closes_at.year + 5)
    call.save()
    response = login(secretariat).post(reverse("grants:portfolio-finalise", args=[call.pk]),
                                     CONFIRMED)
    assert response.status_code == 409 and "still open" in response.content.decode()


def test_the_briefing_pack_downloads_as_pdf(login, board_member, small):
    call = small[0]
    response = login(board_member).get(reverse("grants:portfolio-export", args=[call.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="call-' in response["Content-Disposition"]
