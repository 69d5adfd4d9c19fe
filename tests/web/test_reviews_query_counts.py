"""The review pages cost the same with few rows and with many."""

import pytest
from django.urls import reverse

from grants.models import ReviewStatus
from tests.factories import CallFactory
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer, scored
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db
BUDGET = 15


def _reviewed(call, n, reviewer=None):
    for i in range(n):
        app = eligible_application(call=call)
        review = assign(app, reviewer or make_reviewer(countries=["KE"]),
                        status=ReviewStatus.DRAFT if i % 2 else ReviewStatus.ASSIGNED)
        if i % 2:
            scored(review, submitted=i % 4 == 1)
        assign(app, make_reviewer())


@pytest.mark.parametrize("name,by_call", [
    ("review-progress", True), ("review-progress-reviewers", True), ("review-calls", False),
    ("reviewer-pool", False)])
def test_secretariat_review_lists_cost_the_same_for_few_or_many_rows(as_secretariat, name,
                                                                     by_call):
    call = CallFactory()
    url = reverse(f"grants:{name}", args=[call.pk] if by_call else [])
    _reviewed(call, 2)
    few = queries_for_get(as_secretariat, url)
    _reviewed(call, 20)
    _reviewed(CallFactory(), 3)
    assert queries_for_get(as_secretariat, url) == few <= BUDGET


def test_the_assignment_page_costs_the_same_for_a_small_or_large_pool(as_secretariat):
    call = CallFactory()
    app = eligible_application(call=call)
    for _ in range(2):
        make_reviewer()
    url = reverse("grants:review-assign", args=[app.pk])
    few = queries_for_get(as_secretariat, url)
    for _ in range(20):
        make_reviewer(countries=["NG"])
    _reviewed(call, 5)
    assert queries_for_get(as_secretariat, url) == few <= BUDGET


def test_my_reviews_costs_the_same_for_few_or_many_reviews(login):
    me = make_reviewer("me")
    client = login(me)
    call = CallFactory(blind_review=True)
    _reviewed(call, 2, reviewer=me)
    few = queries_for_get(client, reverse("grants:my-reviews"))
    _reviewed(call, 20, reviewer=me)
    assert queries_for_get(client, reverse("grants:my-reviews")) == few <= BUDGET


def test_the_scoring_page_does_not_grow_with_peer_reviews(login):
    me = make_reviewer("me")
    app = eligible_application()
    mine = scored(assign(app, me, status=ReviewStatus.DRAFT), submitted=True)
    scored(assign(app, make_reviewer(), status=ReviewStatus.DRAFT), submitted=True)
    client, url = login(me), reverse("grants:review-detail", args=[mine.pk])
    few = queries_for_get(client, url)
    for _ in range(6):
        scored(assign(app, make_reviewer(), status=ReviewStatus.DRAFT), submitted=True)
    assert queries_for_get(client, url) == few <= BUDGET + 5
