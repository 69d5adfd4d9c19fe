"""The amendments page: the secretariat's navigation marks "Grants" (not "Board") on grant
pages in implementation, and no stray result count under the cards of a single page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _current(body: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', body)


def test_grant_pages_highlight_grants_not_board(login, secretariat, live_grant):
    client = login(secretariat)
    for name in ("grant-amendments", "grant-implementation"):
        body = client.get(reverse(f"grants:{name}", args=[live_grant.pk])).content.decode()
        assert _current(body) == [reverse("grants:grant-portfolio")], name
    body = client.get(reverse("grants:board-home")).content.decode()
    assert _current(body) == [reverse("grants:board-home")]


def test_no_result_count_under_a_single_page_of_amendments(login, ngo, live_grant):
    body = login(ngo).get(reverse("grants:grant-amendments",
                                  args=[live_grant.pk])).content.decode()
    assert not re.search(r"\d+ results?</p>", body)
