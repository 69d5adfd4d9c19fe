"""A French reader gets French after signing in (issue 15: the demo's donor1), and the
header's language menu brings the reader back to the page they were on: its query string
kept, and from a page shown in answer to a POST, the page before it."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _next_of(body: str) -> str:
    match = re.search(r'<input name="next" type="hidden" value="([^"]*)">', body)
    assert match, "no language menu"
    return unescape(match.group(1))


def test_a_donor_whose_profile_says_french_reads_the_portal_in_french(donor, password):
    donor.language = "fr"
    donor.save(update_fields=["language"])
    client = Client()
    response = client.post(reverse("accounts:login"),
                           {"username": donor.username, "password": password}, follow=True)
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    page = client.get(reverse("donors:reports"))
    assert page.status_code == 200 and '<html lang="fr"' in page.content.decode()


def test_the_menu_comes_back_to_the_same_list_with_its_filters(login, secretariat):
    client = login(secretariat)
    url = reverse("grants:application-list") + "?status=submitted&page_size=25"
    body = client.get(url).content.decode()
    assert _next_of(body) == url
    response = client.post(reverse("accounts:set-language"),
                           {"language": "fr", "next": _next_of(body)})
    assert response.status_code == 302 and response.url == url
    assert '<html lang="fr"' in client.get(response.url).content.decode()
    secretariat.refresh_from_db()
    assert secretariat.language == "fr"


def test_from_a_page_answering_a_post_the_menu_goes_back_to_the_page_before(login, ngo):
    client = login(ngo)
    preferences = reverse("accounts:preferences")
    before = "http://testserver" + reverse("grants:my-applications")
    # A refused form is shown in answer to the POST; its address may not answer a GET.
    body = client.post(preferences, {"language": "xx"}, HTTP_REFERER=before).content.decode()
    assert _next_of(body) == before
    response = client.post(reverse("accounts:set-language"),
                           {"language": "fr", "next": _next_of(body)})
    assert response.status_code == 302 and response.url == before
    body = client.post(preferences, {"language": "xx"}).content.decode()
    assert _next_of(body) == "/"
