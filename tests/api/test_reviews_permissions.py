"""Who may do what on every review endpoint, for every role (conflicts and strangers too)."""

import pytest

from grants.models import ReviewStatus
from tests.grants.reviews.helpers import assign, make_reviewer

pytestmark = pytest.mark.django_db
OUTSIDERS = [("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("board_member", 403),
             ("donor", 403)]


@pytest.fixture
def review(app, reviewer):
    """The ``reviewer`` fixture's review, declared: scoring in progress."""
    return assign(app, reviewer, status=ReviewStatus.DRAFT)


@pytest.fixture
def stranger(db):
    """A reviewer not assigned to the application."""
    return make_reviewer("stranger")


@pytest.fixture
def conflicted(app):
    user = make_reviewer("conflicted")
    assign(app, user, status=ReviewStatus.CONFLICT)
    return user


@pytest.fixture
def cast(everyone, review, stranger, conflicted):
    """Every role's user, the assigned reviewer's review in progress."""


def review_url(review, action=""):
    return f"/api/v1/reviews/{review.pk}/{action}"


READ_EXPECTED = OUTSIDERS + [("secretariat", 200), ("reviewer", 200), ("stranger", 404),
                             ("conflicted", 404)]


@pytest.mark.parametrize("role,expected", READ_EXPECTED)
def test_reading_a_review(client_for, cast, review, role, expected):
    assert client_for(role).get(review_url(review)).status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [("secretariat", 200), ("reviewer", 200),
                                                       ("stranger", 200), ("conflicted", 200)])
def test_listing_reviews(client_for, cast, role, expected):
    assert client_for(role).get("/api/v1/reviews/").status_code == expected


@pytest.mark.parametrize("role,count", [("secretariat", 2), ("reviewer", 1), ("stranger", 0),
                                        ("conflicted", 1)])
def test_each_reviewer_lists_only_their_own_reviews(client_for, cast, review, role, count):
    results = client_for(role).get("/api/v1/reviews/").json()["results"]
    assert len(results) == count
    if role == "reviewer":
        assert results[0]["id"] == review.pk


def test_an_ngo_cannot_see_the_reviews_of_its_application(client_for, cast, app):
    assert client_for("ngo").get(f"/api/v1/reviews/?application={app.pk}").status_code == 403
    detail = client_for("ngo").get(f"/api/v1/applications/{app.pk}/").json()
    assert detail["reviews_summary"] is None and "reviews" not in detail


WRITE_EXPECTED = OUTSIDERS + [("secretariat", 403), ("stranger", 404), ("conflicted", 404)]


@pytest.mark.parametrize("role,expected", WRITE_EXPECTED + [("reviewer", 200)])
def test_changing_scores(client_for, cast, review, role, expected):
    response = client_for(role).patch(review_url(review), {"scores": {"relevance": 2}},
                                      format="json")
    assert response.status_code == expected
    assert review.scores.exists() == (expected == 200)


@pytest.mark.parametrize("role,expected", WRITE_EXPECTED + [("reviewer", 400)])
def test_submitting(client_for, cast, review, role, expected):
    # The reviewer gets as far as the rule (every criterion scored); nobody else does.
    assert client_for(role).post(review_url(review, "submit/")).status_code == expected


@pytest.mark.parametrize("role,expected", WRITE_EXPECTED + [("reviewer", 409)])
def test_declaring(client_for, cast, review, role, expected):
    response = client_for(role).post(review_url(review, "declare/"), {"conflict": True},
                                     format="json")
    assert response.status_code == expected  # the reviewer already declared: 409
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


@pytest.mark.parametrize("role,expected", OUTSIDERS + [("reviewer", 403), ("stranger", 403),
                                                       ("conflicted", 403),
                                                       ("secretariat", 204)])
def test_withdrawing_an_assignment(client_for, cast, review, role, expected):
    assert client_for(role).delete(review_url(review)).status_code == expected


SECRETARIAT_ONLY = OUTSIDERS + [("reviewer", 403), ("stranger", 403), ("conflicted", 403)]


@pytest.mark.parametrize("role,expected", SECRETARIAT_ONLY + [("secretariat", 200)])
def test_assigning_reviewers(client_for, cast, app, stranger, role, expected):
    response = client_for(role).post(f"/api/v1/applications/{app.pk}/assign-reviewers/",
                                     {"reviewers": [stranger.pk]}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", SECRETARIAT_ONLY + [("secretariat", 200)])
@pytest.mark.parametrize("method,path", [
    ("get", "rubric/"), ("post", "auto-assign-reviewers/"), ("post", "remind-reviewers/")])
def test_call_level_review_actions(client_for, cast, app, role, expected, method, path):
    client = client_for(role)
    url = f"/api/v1/calls/{app.call_id}/{path}"
    response = client.get(url) if method == "get" else client.post(url, {}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", SECRETARIAT_ONLY + [("secretariat", 200)])
def test_the_reviewer_pool(client_for, cast, stranger, role, expected):
    client = client_for(role)
    assert client.get("/api/v1/reviewers/").status_code == expected
    response = client.patch(f"/api/v1/reviewers/{stranger.pk}/", {"expertise": "Law"},
                            format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", [("reviewer", 200), ("stranger", 404),
                                           ("conflicted", 404), ("secretariat", 200),
                                           ("board_member", 404), ("donor", 404),
                                           ("other_ngo", 404), ("ngo", 200)])
def test_who_reads_an_application_under_review(client_for, cast, app, role, expected):
    assert client_for(role).get(f"/api/v1/applications/{app.pk}/").status_code == expected


def test_an_undeclared_reviewer_cannot_read_the_application(client_for, api_as, app):
    late = make_reviewer("late")
    assign(app, late)
    assert api_as(late).get(f"/api/v1/applications/{app.pk}/").status_code == 404
