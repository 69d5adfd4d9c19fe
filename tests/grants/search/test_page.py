"""The search page (/search/?q=): the secretariat's alone (404 for anyone else), grouped by
kind with counts and links to each row's page, an explanation for an empty query, "see all"
links to the filtered lists, and the same number of queries for few rows and for many."""

import re

import pytest
from django.urls import reverse

from tests.queries import queries_for_get

from .conftest import add_many

pytestmark = pytest.mark.django_db
URL = reverse("grants:search")


@pytest.mark.parametrize("role", ["ngo", "reviewer", "board_member", "donor"])
def test_only_the_secretariat_searches(request, login, role, rows):
    response = login(request.getfixturevalue(role)).get(URL, {"q": "hope"})
    assert response.status_code == 404
    body = login(request.getfixturevalue(role)).get(reverse("grants:call-list")).content
    assert b'role="search"' not in body   # no search field in their header


def test_anonymous_people_are_sent_to_sign_in(login):
    response = login(None).get(URL, {"q": "hope"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_header_of_every_page_has_the_search_field(login, secretariat):
    body = login(secretariat).get(reverse("grants:call-list")).content.decode()
    assert f'action="{URL}"' in body and 'name="q"' in body


def test_an_empty_query_says_what_can_be_searched(login, secretariat):
    body = login(secretariat).get(URL).content.decode()
    assert "Search finds:" in body and "agreement number" in body and "bank reference" in body
    assert 'class="search-kind"' not in body


def _kinds(body: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', body)}


def test_results_are_grouped_by_kind_and_link_to_their_pages(login, secretariat, rows):
    client = login(secretariat)
    body = client.get(URL, {"q": "VTF9-0042"}).content.decode()
    assert _kinds(body) == {"applications": 1, "organisations": 0, "grants": 0,
                            "donors": 0, "contributions": 0}
    assert reverse("grants:application-detail", args=[rows["hope_app"].pk]) in body
    body = client.get(URL, {"q": "Hope Shelter"}).content.decode()
    assert _kinds(body)["organisations"] == 1
    assert reverse("grants:organisation-verify", args=[rows["hope_app"].organisation_id]) in body
    number = rows["other_grant"].agreement_number
    body = client.get(URL, {"q": number}).content.decode()
    assert _kinds(body)["grants"] == 1
    assert reverse("grants:grant-implementation", args=[rows["other_grant"].pk]) in body
    body = client.get(URL, {"q": "LU-2026-PART"}).content.decode()
    assert _kinds(body)["contributions"] == 1
    assert reverse("donors:contribution-detail", args=[rows["lux_money"].pk]) in body
    body = client.get(URL, {"q": "luxembourg"}).content.decode()
    assert reverse("donors:donor-detail", args=[rows["luxembourg"].pk]) in body
    assert "1 result for" not in body and "2 results for" in body   # donor + contribution


def test_see_all_links_to_the_filtered_lists(login, secretariat, rows):
    add_many(10)
    body = login(secretariat).get(URL, {"q": "Many"}).content.decode()
    for name in ("grants:application-list", "grants:organisation-list",
                 "grants:grant-portfolio", "donors:donor-list", "donors:contribution-list"):
        assert f'href="{reverse(name)}?search=Many"' in body, name


def test_odd_queries_are_not_errors(login, secretariat, rows):
    client = login(secretariat)
    for q in ("%", "' OR 1=1 --", "hope & !x:*", "x" * 1000, "\u00e9t\u00e9", "  "):
        assert client.get(URL, {"q": q}).status_code == 200, q


def test_the_page_costs_the_same_queries_for_few_rows_and_many(login, secretariat, rows):
    client = login(secretariat)
    few = queries_for_get(client, URL, {"q": "Many"})
    add_many(12)
    many = queries_for_get(client, URL, {"q": "Many"})
    assert many == few
    assert many <= 12   # session, user, roles, one per kind (5), notifications badge
