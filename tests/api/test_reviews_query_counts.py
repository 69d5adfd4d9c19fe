"""The new lists run as many queries for 3 rows as for 30; details do not grow either."""

import pytest

from grants.models import ReviewStatus
from grants.services.sanctions import sanctions_list_import
from grants.services.screening import screening_run
from tests.api.test_list_query_counts import assert_flat
from tests.factories import OrganisationFactory
from tests.grants.reviews.helpers import (
    SAMPLE_LIST,
    assign,
    eligible_application,
    make_reviewer,
    scored,
    submitted_application,
)
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db


def test_the_secretariats_review_list_is_flat(client_for, secretariat, open_call):
    def add(n):
        for _ in range(n):
            app = eligible_application(call=open_call)
            scored(assign(app, make_reviewer(), status=ReviewStatus.DRAFT), {"relevance": 3})

    assert_flat(client_for("secretariat"), "/api/v1/reviews/?ordering=-assigned_at", add,
                budget=7)


def test_a_reviewers_review_list_is_flat(api_as, open_call):
    me = make_reviewer("me")
    open_call.blind_review = True
    open_call.save()

    def add(n):
        for _ in range(n):
            scored(assign(eligible_application(call=open_call), me, status=ReviewStatus.DRAFT),
                   submitted=True)
            assign(eligible_application(call=open_call), make_reviewer())  # not mine

    assert_flat(api_as(me), "/api/v1/reviews/", add, budget=8)


def test_a_reviewers_application_list_is_flat(api_as, open_call):
    me = make_reviewer("me")
    open_call.blind_review = True
    open_call.save()

    def add(n):
        for _ in range(n):
            assign(eligible_application(call=open_call), me, status=ReviewStatus.DRAFT)
            assign(eligible_application(call=open_call), me)  # undeclared: not listed

    assert_flat(api_as(me), "/api/v1/applications/", add, budget=8)


def test_the_reviewer_pool_is_flat(client_for, secretariat, open_call):
    def add(n):
        for _ in range(n):
            assign(eligible_application(call=open_call), make_reviewer(countries=["KE"]))

    assert_flat(client_for("secretariat"), f"/api/v1/reviewers/?call={open_call.pk}", add,
                budget=7)


def test_the_sanctions_list_list_is_flat(client_for, secretariat):
    def add(n):
        for _ in range(n):
            sanctions_list_import(actor=secretariat, data=SAMPLE_LIST.read_bytes(),
                                  source_name="c.xml")

    assert_flat(client_for("secretariat"), "/api/v1/sanctions-lists/", add, budget=5)


def test_a_reviews_detail_does_not_grow_with_peer_reviews(api_as, open_call):
    app = eligible_application(call=open_call)
    me = make_reviewer("me")
    mine = scored(assign(app, me, status=ReviewStatus.DRAFT), submitted=True)
    client, url = api_as(me), f"/api/v1/reviews/{mine.pk}/"
    scored(assign(app, make_reviewer(), status=ReviewStatus.DRAFT), submitted=True)
    client.get(url)
    few = queries_for_get(client, url)
    for _ in range(5):
        scored(assign(app, make_reviewer(), status=ReviewStatus.DRAFT), submitted=True)
    assert queries_for_get(client, url) == few <= 12


def test_the_screening_checklist_does_not_grow_with_matches(client_for, secretariat,
                                                            open_call):
    sanctions_list_import(actor=None, data=SAMPLE_LIST.read_bytes(), source_name="c.xml")
    org = OrganisationFactory(name="Crescent Relief Foundation", contact_name="Ibrahim Kareem")
    app = submitted_application(call=open_call, organisation=org)
    client, url = client_for("secretariat"), f"/api/v1/applications/{app.pk}/screening/"
    client.get(url)
    few = queries_for_get(client, url)
    org.former_names = "Sahel Transit Services\nAl-Hilal Charitable Trust"
    org.save()
    screening_run(actor=secretariat, application=app)
    assert app.sanctions_matches.count() == 4
    assert queries_for_get(client, url) == few <= 8
