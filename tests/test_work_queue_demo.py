"""Issue 15's promise on the demo data: for every demo login, each item of its work queue
(``fundapp.core.work.work_queue_for``) is the API's item (``GET /api/v1/me/work-queue/``),
and its count is the ``data-count`` of the list page it links to, read as that user (200).

One seeding for the module (tests/seeding.py; grouped in tests/conftest.py)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fundapp.accounts.models import User
from fundapp.core.work import work_queue_for
from tests.seeding import seeded_once

pytestmark = pytest.mark.django_db

# README's table of demo logins (and the NGO users it names below it)
LOGINS = ["secretariat", "ngo1", "ngo1-viewer", "ngo2", "reviewer1", "reviewer2",
          "reviewer3", "chair", "trustee1", "trustee2", "trustee3", "trustee4", "donor1"]
DATA_COUNT = re.compile(r'class="[^"]*\blist-count\b[^"]*" data-count="(\d+)"')

demo = seeded_once(lambda: call_command("seed_demo", stdout=StringIO()))


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(demo)


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = DATA_COUNT.findall(response.content.decode())
    assert len(found) == 1, (url, "expected one list count on the page", found)
    return int(found[0])


@pytest.mark.parametrize("username", LOGINS)
def test_every_item_agrees_with_the_api_and_with_its_list(seeded, client, api_as, username):
    user = User.objects.filter(username=username).first()
    assert user is not None, f"the demo has no {username}"
    items = work_queue_for(user)
    assert items, f"{username} has no work queue at all"
    api = api_as(user).get("/api/v1/me/work-queue/")
    assert api.status_code == 200
    # The API words labels and details in the user's language and time zone (its token's
    # user), this process in the defaults: what must agree is what is counted and where.
    same = ("code", "count", "overdue", "url", "role")
    assert [{k: i[k] for k in same} for i in api.json()["items"]] == [
        {k: i.as_dict()[k] for k in same} for i in items]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    home = client.get(reverse("dashboard"))
    assert home.status_code == 200
    for item in items:
        assert f'data-code="{item.code}" data-count="{item.count}"' in home.content.decode()
        assert _list_count(client, item.url) == item.count, (username, item.code, item.url)


def test_the_secretariat_has_real_work_on_the_demo(seeded):
    items = {i.code: i for i in work_queue_for(User.objects.get(username="secretariat"))}
    busy = [code for code, item in items.items() if item.count]
    assert len(busy) >= 4, busy
    for code in ("applications_to_screen", "organisations_to_verify", "calls_closing_soon",
                 "messages_awaiting_answer", "reviews_to_reassign"):
        assert items[code].count > 0, code


def test_nobody_else_sees_the_secretariats_items(seeded):
    for username in LOGINS[1:]:
        roles = {i.role for i in work_queue_for(User.objects.get(username=username))}
        assert "secretariat" not in roles, username
