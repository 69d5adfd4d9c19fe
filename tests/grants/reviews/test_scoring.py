from decimal import Decimal

import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from grants.models import ReviewCriterion, ReviewStatus
from grants.selectors.reviews import peer_reviews, weighted_score
from grants.services.reviews import review_save, review_submit
from tests.grants.reviews.helpers import (
    ALL_FIVES,
    assign,
    eligible_application,
    make_reviewer,
    scored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(open_call):
    return eligible_application(call=open_call)


@pytest.fixture
def draft(app):
    return assign(app, make_reviewer("alice"), status=ReviewStatus.DRAFT)


def test_scoring_before_declaring_is_a_conflict(app):
    review = assign(app, make_reviewer("bob"))
    with pytest.raises(StateConflict, match="conflict of interest first"):
        review_save(actor=review.reviewer, review=review, scores={"relevance": 3})


def test_a_draft_saves_scores_and_comments_and_audits(draft):
    review_save(actor=draft.reviewer, review=draft, scores={"relevance": 4},
                comments={"relevance": "Clear link to priorities."}, comment="Solid.")
    row = draft.scores.get(criterion__code="relevance")
    assert (row.score, row.comment) == (4, "Clear link to priorities.")
    draft.refresh_from_db()
    assert draft.comment == "Solid."
    event = audit_trail_for(draft.application).get(verb="review.save")
    assert event.after["scores"] == {"relevance": 4}


@pytest.mark.parametrize("value", [0, 6, -1, True])
def test_scores_outside_one_to_five_are_refused_with_a_clear_message(draft, value):
    with pytest.raises(ValidationFailed) as exc:
        review_save(actor=draft.reviewer, review=draft, scores={"relevance": value})
    assert "Scores run from 1 to 5" in str(exc.value.field_errors["scores"])
    assert not draft.scores.exists()


def test_an_unknown_criterion_is_refused(draft):
    with pytest.raises(ValidationFailed) as exc:
        review_save(actor=draft.reviewer, review=draft, scores={"charisma": 3})
    assert "charisma" in str(exc.value.field_errors["scores"])


def test_submitting_needs_every_criterion_scored(draft):
    review_save(actor=draft.reviewer, review=draft, scores={"relevance": 4})
    with pytest.raises(ValidationFailed) as exc:
        review_submit(actor=draft.reviewer, review=draft)
    assert "Sustainability" in str(exc.value.field_errors["scores"])


def test_a_submitted_review_is_locked(draft):
    review_save(actor=draft.reviewer, review=draft, scores=ALL_FIVES)
    review = review_submit(actor=draft.reviewer, review=draft)
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    with pytest.raises(StateConflict):
        review_save(actor=draft.reviewer, review=review, scores={"relevance": 1})
    with pytest.raises(StateConflict):
        review_submit(actor=draft.reviewer, review=review)


def test_nobody_else_changes_a_review(draft, secretariat):
    with pytest.raises(NotAllowed):
        review_save(actor=make_reviewer("mallory"), review=draft, scores={"relevance": 1})
    with pytest.raises(NotAllowed):
        review_save(actor=secretariat, review=draft, scores={"relevance": 1})


def test_the_weighted_score_is_the_weighted_average(draft, app):
    ReviewCriterion.objects.filter(call=app.call, code="relevance").update(weight=3)
    scores = {**ALL_FIVES, "relevance": 2, "capacity": 4}
    scored(draft, scores)
    criteria = list(app.call.review_criteria.all())
    # (3×2 + 5 + 5 + 4 + 5 + 5) / (3 + 5×1) = 30 / 8 = 3.75
    assert weighted_score(draft, criteria) == Decimal("3.75")


def test_an_incomplete_review_has_no_weighted_score(draft, app):
    scored(draft, {"relevance": 5})
    assert weighted_score(draft, list(app.call.review_criteria.all())) is None


def test_others_scores_appear_only_once_ones_own_review_is_submitted(draft, app):
    other = scored(assign(app, make_reviewer("bob"), status=ReviewStatus.DRAFT),
                   submitted=True)
    assert peer_reviews(draft) == []
    scored(draft, submitted=True)
    assert peer_reviews(draft) == [other]
    assert peer_reviews(other) == [draft]
