"""/reviews/, their actions, /applications/{id}/assign-reviewers/, rubric, pool: behaviour."""

import pytest

from grants.models import ReviewStatus
from tests.grants.reviews.helpers import (
    ALL_FIVES,
    assign,
    eligible_application,
    make_reviewer,
    scored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return make_reviewer("alice", external=True)


@pytest.fixture
def review(app, alice):
    return assign(app, alice)


def patch(client, review, body):
    return client.patch(f"/api/v1/reviews/{review.pk}/", body, format="json")


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def test_the_secretariat_assigns_reviewers_and_the_application_goes_under_review(
        client_for, secretariat, app, alice):
    bob = make_reviewer("bob")
    response = post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/assign-reviewers/",
                    {"reviewers": [alice.pk, bob.pk]})
    assert response.status_code == 200, response.json()
    assert {r["reviewer"] for r in response.json()} == {alice.pk, bob.pk}
    app.refresh_from_db()
    assert app.status == "under_review"


def test_assigning_an_unknown_or_non_reviewer_user_is_a_400(client_for, secretariat, app, ngo):
    client = client_for("secretariat")
    url = f"/api/v1/applications/{app.pk}/assign-reviewers/"
    assert post(client, url, {"reviewers": [999999]}).status_code == 400
    assert post(client, url, {"reviewers": []}).status_code == 400
    response = post(client, url, {"reviewers": [ngo.pk]})
    assert response.status_code == 400 and "reviewer pool" in str(response.json())


def test_assigning_to_a_submitted_application_is_a_409(client_for, secretariat, alice,
                                                        open_call):
    from tests.grants.reviews.helpers import submitted_application

    app = submitted_application(call=open_call)
    response = post(client_for("secretariat"), f"/api/v1/applications/{app.pk}/assign-reviewers/",
                    {"reviewers": [alice.pk]})
    assert response.status_code == 409


def test_a_review_shows_the_rubric_and_a_brief_before_the_declaration(api_as, review, app):
    data = api_as(review.reviewer).get(f"/api/v1/reviews/{review.pk}/").json()
    assert data["status"] == "assigned" and data["conflict_declared"] is None
    assert [c["code"] for c in data["criteria"]][0] == "relevance"
    assert data["application_brief"]["reference"] == app.reference
    assert data["application_brief"]["organisation_name"] == app.organisation.name
    assert data["scores"] == {} and data["peer_reviews"] == []


def test_the_reviewer_declares_then_sees_the_application(api_as, review, app):
    client = api_as(review.reviewer)
    assert client.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    response = post(client, f"/api/v1/reviews/{review.pk}/declare/", {"conflict": False})
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert client.get(f"/api/v1/applications/{app.pk}/").status_code == 200
    assert client.get("/api/v1/applications/").json()["count"] == 1
    assert post(client, f"/api/v1/reviews/{review.pk}/declare/",
                {"conflict": True}).status_code == 409


def test_a_declared_conflict_removes_the_reviewer(api_as, review, app):
    client = api_as(review.reviewer)
    response = post(client, f"/api/v1/reviews/{review.pk}/declare/",
                    {"conflict": True, "note": "Former employer"})
    assert response.status_code == 200 and response.json()["status"] == "conflict"
    assert client.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    assert patch(client, review, {"scores": {"relevance": 3}}).status_code == 409


def test_scoring_saving_and_submitting(api_as, review):
    client = api_as(review.reviewer)
    assert patch(client, review, {"scores": {"relevance": 3}}).status_code == 409  # undeclared
    post(client, f"/api/v1/reviews/{review.pk}/declare/", {"conflict": False})
    response = patch(client, review, {"scores": {"relevance": 4},
                                      "comments": {"relevance": "Well argued."},
                                      "comment": "Promising."})
    assert response.status_code == 200
    assert response.json()["scores"]["relevance"] == 4
    assert response.json()["comments"] == {"relevance": "Well argued."}
    response = post(client, f"/api/v1/reviews/{review.pk}/submit/")
    assert response.status_code == 400 and "Score every criterion" in str(response.json())
    patch(client, review, {"scores": ALL_FIVES})
    response = post(client, f"/api/v1/reviews/{review.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["weighted_score"] == "5.00"
    assert patch(client, review, {"scores": {"relevance": 1}}).status_code == 409
    assert post(client, f"/api/v1/reviews/{review.pk}/submit/").status_code == 409


@pytest.mark.parametrize("value", [0, 6, 99, -3])
def test_a_score_outside_one_to_five_is_a_400_with_a_clear_message(api_as, app, alice, value):
    review = assign(app, alice, status=ReviewStatus.DRAFT)
    response = patch(api_as(alice), review, {"scores": {"relevance": value}})
    assert response.status_code == 400
    assert "Scores run from 1 to 5." in str(response.json())


@pytest.mark.parametrize("value", ["five", 2.5, True])
def test_a_score_that_is_not_a_whole_number_is_a_400(api_as, app, alice, value):
    review = assign(app, alice, status=ReviewStatus.DRAFT)
    response = patch(api_as(alice), review, {"scores": {"relevance": value}})
    assert response.status_code == 400


def test_an_unknown_criterion_is_a_400(api_as, app, alice):
    review = assign(app, alice, status=ReviewStatus.DRAFT)
    response = patch(api_as(alice), review, {"scores": {"charisma": 3}})
    assert response.status_code == 400 and "charisma" in str(response.json())


def test_peer_scores_appear_only_after_submitting(api_as, app, alice):
    mine = assign(app, alice, status=ReviewStatus.DRAFT)
    bob = make_reviewer("bob")
    scored(assign(app, bob, status=ReviewStatus.DRAFT), {**ALL_FIVES, "relevance": 1},
           submitted=True)
    client = api_as(alice)
    assert client.get(f"/api/v1/reviews/{mine.pk}/").json()["peer_reviews"] == []
    patch(client, mine, {"scores": ALL_FIVES})
    post(client, f"/api/v1/reviews/{mine.pk}/submit/")
    [peer] = client.get(f"/api/v1/reviews/{mine.pk}/").json()["peer_reviews"]
    assert peer["scores"]["relevance"] == 1 and "reviewer" not in peer
    assert client.get("/api/v1/reviews/").json()["count"] == 1  # still only their own


def test_the_secretariat_withdraws_an_assignment_but_not_a_submitted_review(
        client_for, secretariat, app, alice):
    review = assign(app, alice)
    client = client_for("secretariat")
    assert client.delete(f"/api/v1/reviews/{review.pk}/").status_code == 204
    done = scored(assign(app, make_reviewer("bob"), status=ReviewStatus.DRAFT), submitted=True)
    assert client.delete(f"/api/v1/reviews/{done.pk}/").status_code == 409


def test_the_review_list_filters(client_for, secretariat, app, alice):
    assign(app, alice)
    assign(app, make_reviewer("bob"), status=ReviewStatus.DRAFT)
    client = client_for("secretariat")
    assert client.get(f"/api/v1/reviews/?application={app.pk}").json()["count"] == 2
    assert client.get("/api/v1/reviews/?status=draft").json()["count"] == 1
    assert client.get(f"/api/v1/reviews/?reviewer={alice.pk}").json()["count"] == 1
    assert client.get("/api/v1/reviews/?status=nonsense").status_code == 400


# Blind review -------------------------------------------------------------------------------


@pytest.fixture
def blind_app(organisation, open_call):
    open_call.blind_review = True
    open_call.save()
    return eligible_application(organisation=organisation, call=open_call)  # one document


def test_an_external_reviewer_does_not_see_who_applies_in_a_blind_review(
        api_as, blind_app, alice):
    review = assign(blind_app, alice, status=ReviewStatus.DRAFT)
    client = api_as(alice)
    assert client.get(f"/api/v1/reviews/{review.pk}/").json()["application_brief"][
        "organisation_name"] is None
    detail = client.get(f"/api/v1/applications/{blind_app.pk}/").json()
    assert detail["organisation"] is None and detail["organisation_name"] is None
    assert detail["attachments"] == []
    assert client.get("/api/v1/applications/").json()["results"][0]["organisation_name"] is None
    assert client.get(f"/api/v1/applications/{blind_app.pk}/attachments/").json()[
        "results"] == []
    attachment = blind_app.attachments.get()
    assert client.get(f"/api/v1/applications/{blind_app.pk}/attachments/{attachment.pk}/"
                      ).status_code == 404
    assert client.get(f"/api/v1/organisations/{blind_app.organisation_id}/").status_code == 404


def test_a_staff_reviewer_and_the_secretariat_see_who_applies_in_a_blind_review(
        api_as, secretariat, blind_app):
    staff = make_reviewer("staffer", external=False)
    assign(blind_app, staff, status=ReviewStatus.DRAFT)
    for user in (staff, secretariat):
        detail = api_as(user).get(f"/api/v1/applications/{blind_app.pk}/").json()
        assert detail["organisation_name"] == blind_app.organisation.name
        assert len(detail["attachments"]) == 1


def test_without_blind_review_an_external_reviewer_sees_the_organisation(api_as, app, alice):
    assign(app, alice, status=ReviewStatus.DRAFT)
    assert api_as(alice).get(f"/api/v1/applications/{app.pk}/").json()[
        "organisation_name"] == app.organisation.name


# Rubric, automatic assignment, reminders, pool -----------------------------------------------


def test_the_rubric_reads_and_changes_until_scoring_starts(client_for, secretariat, app, alice):
    client = client_for("secretariat")
    url = f"/api/v1/calls/{app.call_id}/rubric/"
    data = client.get(url).json()
    assert len(data["criteria"]) == 6 and data["editable"] is True
    body = {"criteria": [{"code": "relevance", "name_en": "Relevance", "weight": "2.00"},
                         {"code": "impact", "name_en": "Impact", "weight": "1.00"}]}
    response = client.put(url, body, format="json")
    assert response.status_code == 200 and len(response.json()["criteria"]) == 2
    bad = {"criteria": [{"code": "x", "name_en": "X", "weight": "0"}]}
    assert client.put(url, bad, format="json").status_code == 400
    scored(assign(app, alice, status=ReviewStatus.DRAFT), {"relevance": 2})
    assert client.get(url).json()["editable"] is False
    assert client.put(url, body, format="json").status_code == 409


def test_automatic_assignment_through_the_api(client_for, secretariat, app):
    first, second = make_reviewer("r1"), make_reviewer("r2")
    response = post(client_for("secretariat"),
                    f"/api/v1/calls/{app.call_id}/auto-assign-reviewers/", {})
    assert response.status_code == 200
    assert response.json() == {"assigned": {str(app.pk): [first.pk, second.pk]}, "short": {}}


def test_reminders_through_the_api(client_for, secretariat, review):
    response = post(client_for("secretariat"), f"/api/v1/calls/{review.application.call_id}"
                                               "/remind-reviewers/")
    assert response.json() == {"sent": 1}


def test_the_pool_lists_reviewers_with_loads_and_profiles_change(client_for, secretariat,
                                                                 review, alice, organisation):
    client = client_for("secretariat")
    [row] = client.get(f"/api/v1/reviewers/?call={review.application.call_id}").json()["results"]
    assert row["id"] == alice.pk and row["is_external"] is True
    assert row["load"] == {"total": 1, "pending": 1, "submitted": 0}
    response = client.patch(f"/api/v1/reviewers/{alice.pk}/",
                            {"is_external": False, "conflict_countries": ["ke"],
                             "conflict_organisations": [organisation.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["is_external"] is False
    assert response.json()["conflict_countries"] == ["KE"]
    assert client.get("/api/v1/reviewers/?call=abc").status_code == 400
