"""Regression tests from the permission review: each one names the hole it closes."""

import pytest

from grants.models import ReviewStatus
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer

pytestmark = pytest.mark.django_db


# --- blind review: an external reviewer cannot find the applicant by its name --------------


@pytest.fixture
def blind_app(organisation):
    app = eligible_application(organisation=organisation, title="Shelter project")
    app.call.blind_review = True
    app.call.save()
    return app


def _found(client, words: str) -> int:
    response = client.get("/api/v1/applications/", {"search": words})
    assert response.status_code == 200
    return response.json()["count"]


def test_an_external_reviewer_cannot_search_a_blind_application_by_organisation_name(
        api_as, blind_app):
    reviewer = make_reviewer(external=True)
    assign(blind_app, reviewer, status=ReviewStatus.DRAFT)
    client = api_as(reviewer)
    assert _found(client, "Shelter project") == 1
    assert _found(client, "Hope Shelter Nigeria") == 0


def test_a_staff_reviewer_and_the_secretariat_still_search_by_organisation_name(
        api_as, blind_app, secretariat):
    staff = make_reviewer(external=False)
    assign(blind_app, staff, status=ReviewStatus.DRAFT)
    assert _found(api_as(staff), "Hope Shelter Nigeria") == 1
    assert _found(api_as(secretariat), "Hope Shelter Nigeria") == 1


def test_an_external_reviewer_searches_organisation_names_when_the_review_is_not_blind(
        api_as, organisation):
    app = eligible_application(organisation=organisation)
    reviewer = make_reviewer(external=True)
    assign(app, reviewer, status=ReviewStatus.DRAFT)
    assert _found(api_as(reviewer), "Hope Shelter Nigeria") == 1
