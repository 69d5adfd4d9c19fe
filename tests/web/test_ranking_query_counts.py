"""The ranking pages cost the same number of queries for 5 and 30 applications."""

import pytest
from django.urls import reverse

from tests.grants.ranking_integration.builders import hand_checked_call, many_reviewed
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
BUDGET = 20


@pytest.mark.parametrize("name", ["ranking", "portfolio", "ranking-calls"])
@pytest.mark.parametrize("role", ["secretariat", "board_member"])
def test_pages_cost_the_same_for_few_or_many_applications(login, request, name, role):
    call, apps = hand_checked_call()
    client = login(request.getfixturevalue(role))
    url = reverse(f"grants:{name}", args=[] if name == "ranking-calls" else [call.pk])
    client.get(url)
    few = queries_for_get(client, url)
    many_reviewed(call)
    hand_checked_call(prefix="other-")  # another call
    assert queries_for_get(client, url) == few <= BUDGET
