"""Review journeys in the web pages: assignment, declaration, scoring, progress, blind review."""

import pytest
from django.urls import reverse

from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, Review, ReviewStatus
from tests.grants.reviews.helpers import (
    ALL_FIVES,
    assign,
    make_reviewer,
    scored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return make_reviewer("alice", first_name="Alice", last_name="Ndiaye")


def score_post(scores, action="save", **comments) -> dict:
    data = {f"score-{code}": str(value) for code, value in scores.items()}
    data.update({f"comment-{code}": text for code, text in comments.items()})
    data[action] = "1"
    return data


def test_the_secretariat_assigns_by_hand_from_the_pool_with_loads(as_secretariat, app, alice):
    url = reverse("grants:review-assign", args=[app.pk])
    html = as_secretariat.get(url).content.decode()
    assert "Alice Ndiaye" in html and "Reviews in this call" in html
    response = as_secretariat.post(url, {"reviewers": [str(alice.pk)]}, follow=True)
    assert "1 reviewer assigned" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert Notification.objects.filter(kind="review_assigned", recipient=alice).exists()


def test_a_conflicted_reviewer_is_shown_but_cannot_be_picked(as_secretariat, app):
    make_reviewer("kenyan", countries=[app.organisation.country.code])
    html = as_secretariat.get(reverse("grants:review-assign", args=[app.pk])).content.decode()
    assert "Conflict with the organisation&#x27;s country" in html or \
        "Conflict with the organisation's country" in html
    assert 'name="reviewers"' not in html


def test_automatic_assignment_from_the_progress_page(as_secretariat, app, alice):
    make_reviewer("bob")
    response = as_secretariat.post(reverse("grants:review-auto-assign", args=[app.call_id]),
                                   {"per_application": "2"}, follow=True)
    assert "2 assignments made" in response.content.decode()
    assert Review.objects.filter(application=app).count() == 2


def test_progress_by_application_and_by_reviewer(as_secretariat, app, alice):
    scored(assign(app, alice, status=ReviewStatus.DRAFT), submitted=True)
    assign(app, make_reviewer("bob"))
    html = as_secretariat.get(reverse("grants:review-progress", args=[app.call_id])
                              ).content.decode()
    assert app.reference in html and "Submitted" in html
    html = as_secretariat.get(reverse("grants:review-progress-reviewers", args=[app.call_id])
                              ).content.decode()
    assert "Alice Ndiaye" in html and "bob" in html
    assert as_secretariat.get(reverse("grants:review-calls")).status_code == 200
    response = as_secretariat.post(reverse("grants:review-remind", args=[app.call_id]),
                                   follow=True)
    assert "1 reminder sent" in response.content.decode()


def test_the_rubric_page_edits_until_scoring_starts(as_secretariat, app, alice):
    url = reverse("grants:rubric-edit", args=[app.call_id])
    html = as_secretariat.get(url).content.decode()
    assert "Victim-centred and rights-based approach" in html
    data = {"criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "30",
            "criteria-0-code": "impact", "criteria-0-name_en": "Impact",
            "criteria-0-weight": "1"}
    response = as_secretariat.post(url, data, follow=True)
    assert "The rubric is saved" in response.content.decode()
    assert list(app.call.review_criteria.values_list("code", flat=True)) == ["impact"]
    scored(assign(app, alice, status=ReviewStatus.DRAFT), {"impact": 4})
    assert "can no longer change" in as_secretariat.get(url).content.decode()
    assert as_secretariat.post(url, data).status_code == 400


def test_the_reviewer_journey_declare_score_save_submit(login, app, alice):
    review = assign(app, alice)
    client = login(alice)
    html = client.get(reverse("grants:my-reviews")).content.decode()
    assert app.reference in html and "Declare" in html
    # Before declaring, the scoring page sends to the declaration; the application is closed.
    detail = reverse("grants:review-detail", args=[review.pk])
    assert client.get(detail)["Location"].endswith(f"/reviews/{review.pk}/declare/")
    assert client.get(reverse("grants:application-detail", args=[app.pk])).status_code == 404
    response = client.post(reverse("grants:review-declare", args=[review.pk]),
                           {"conflict": "no"}, follow=True)
    assert "open for your review" in response.content.decode()
    assert app.summary in response.content.decode()
    response = client.post(detail, score_post({"relevance": 4}, relevance="Good fit."),
                           follow=True)
    assert "Your draft is saved" in response.content.decode()
    incomplete = client.post(detail, score_post({"relevance": 4}, action="submit"))
    assert incomplete.status_code == 400 and "Score every criterion" in incomplete.content.decode()
    response = client.post(detail, score_post(ALL_FIVES, action="submit"), follow=True)
    assert "Your review is submitted" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    locked = client.post(detail, score_post({"relevance": 1}), follow=True)
    assert locked.status_code == 200
    assert review.scores.get(criterion__code="relevance").score == 5


def test_a_score_outside_one_to_five_is_refused_on_the_form(login, app, alice):
    review = assign(app, alice, status=ReviewStatus.DRAFT)
    response = login(alice).post(reverse("grants:review-detail", args=[review.pk]),
                                 score_post({"relevance": 9}))
    assert response.status_code == 400
    assert not review.scores.exists()


def test_declaring_a_conflict_leaves_the_application(login, app, alice, secretariat):
    review = assign(app, alice)
    client = login(alice)
    response = client.post(reverse("grants:review-declare", args=[review.pk]),
                           {"conflict": "yes", "note": "My cousin runs it."}, follow=True)
    assert "no longer review this application" in response.content.decode()
    html = client.get(reverse("grants:review-detail", args=[review.pk])).content.decode()
    assert "Conflict of interest declared" in html and app.summary not in html
    assert Notification.objects.filter(kind="review_conflict_declared",
                                       recipient=secretariat).exists()


def test_other_reviewers_scores_show_only_after_submitting(login, app, alice):
    mine = assign(app, alice, status=ReviewStatus.DRAFT)
    scored(assign(app, make_reviewer("bob"), status=ReviewStatus.DRAFT),
           {**ALL_FIVES, "feasibility": 2}, submitted=True)
    client = login(alice)
    url = reverse("grants:review-detail", args=[mine.pk])
    assert "Reviewer 1" not in client.get(url).content.decode()
    scored(mine, submitted=True)
    html = client.get(url).content.decode()
    assert "Reviewer 1" in html and "bob" not in html


def test_reviewers_cannot_open_others_reviews(login, app, alice):
    other = assign(app, make_reviewer("bob"), status=ReviewStatus.DRAFT)
    client = login(alice)
    assert client.get(reverse("grants:review-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("grants:review-detail", args=[other.pk]),
                       score_post({"relevance": 1})).status_code == 404
    assert client.get(reverse("grants:review-declare", args=[other.pk])).status_code == 404


def test_blind_review_hides_the_organisation_from_external_reviewers(login, app, alice):
    app.call.blind_review = True
    app.call.save()
    review = assign(app, alice)
    client = login(alice)
    name = app.organisation.name
    assert name not in client.get(reverse("grants:my-reviews")).content.decode()
    assert name not in client.get(reverse("grants:review-declare", args=[review.pk])
                                  ).content.decode()
    client.post(reverse("grants:review-declare", args=[review.pk]), {"conflict": "no"})
    for url in (reverse("grants:review-detail", args=[review.pk]),
                reverse("grants:application-detail", args=[app.pk])):
        html = client.get(url).content.decode()
        assert name not in html and "Hidden (blind review)" in html
        assert "certificate.pdf" not in html
    attachment = app.attachments.first()
    assert client.get(reverse("grants:attachment-download", args=[app.pk, attachment.pk])
                      ).status_code == 404


def test_a_staff_reviewer_sees_the_organisation_in_a_blind_review(login, app):
    app.call.blind_review = True
    app.call.save()
    staff = make_reviewer("staff", external=False)
    review = assign(app, staff, status=ReviewStatus.DRAFT)
    html = login(staff).get(reverse("grants:review-detail", args=[review.pk])).content.decode()
    assert app.organisation.name in html


@pytest.mark.parametrize("role", ["ngo", "board_member", "donor", "reviewer"])
def test_secretariat_review_pages_are_closed_to_others(login, request, role, app):
    client = login(request.getfixturevalue(role))
    for url in (reverse("grants:review-calls"), reverse("grants:review-progress",
                                                        args=[app.call_id]),
                reverse("grants:rubric-edit", args=[app.call_id]),
                reverse("grants:review-assign", args=[app.pk]),
                reverse("grants:reviewer-pool")):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["ngo", "board_member", "donor", "secretariat"])
def test_my_reviews_is_for_reviewers(login, request, role):
    assert login(request.getfixturevalue(role)).get(reverse("grants:my-reviews")
                                                    ).status_code == 403


def test_the_reviewer_pool_page_edits_a_profile(as_secretariat, alice, organisation):
    html = as_secretariat.get(reverse("grants:reviewer-pool")).content.decode()
    assert "Alice Ndiaye" in html
    response = as_secretariat.post(reverse("grants:reviewer-edit", args=[alice.pk]), {
        "expertise": "Migration law", "conflict_countries": ["NG"],
        "conflict_organisations": [str(organisation.pk)]}, follow=True)
    assert "profile is saved" in response.content.decode()
    alice.reviewer_profile.refresh_from_db()
    assert alice.reviewer_profile.is_external is False  # unticked box
    assert [c.code for c in alice.reviewer_profile.conflict_countries] == ["NG"]


def test_the_nav_shows_my_reviews_to_reviewers(login, alice):
    html = login(alice).get(reverse("home")).content.decode()
    assert reverse("grants:my-reviews") in html
