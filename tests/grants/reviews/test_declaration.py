import pytest

from fundapp.core.errors import NotAllowed, StateConflict
from fundapp.notifications.models import Notification
from grants.models import ReviewStatus
from grants.selectors.applications import applications_visible_to
from grants.services.reviews import review_declare
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_call):
    return assign(eligible_application(call=open_call), make_reviewer("alice"))


def visible(user):
    return set(applications_visible_to(user).values_list("pk", flat=True))


def test_an_assigned_reviewer_does_not_see_the_application_before_declaring(review):
    assert visible(review.reviewer) == set()


def test_declaring_no_conflict_opens_the_application_for_scoring(review):
    review = review_declare(actor=review.reviewer, review=review, conflict=False)
    assert review.status == ReviewStatus.DRAFT and review.conflict_declared is False
    assert visible(review.reviewer) == {review.application_id}


def test_declaring_a_conflict_removes_the_reviewer_and_tells_the_secretariat(
        review, secretariat):
    review = review_declare(actor=review.reviewer, review=review, conflict=True,
                            note="I sit on its board.")
    assert review.status == ReviewStatus.CONFLICT and review.conflict_declared is True
    assert visible(review.reviewer) == set()
    notice = Notification.objects.get(kind="review_conflict_declared")
    assert notice.recipient == secretariat
    assert notice.data["note"] == "I sit on its board."


def test_declaring_twice_is_a_conflict(review):
    review_declare(actor=review.reviewer, review=review, conflict=False)
    with pytest.raises(StateConflict):
        review_declare(actor=review.reviewer, review=review, conflict=True)


def test_only_the_assigned_reviewer_declares(review, secretariat):
    with pytest.raises(NotAllowed):
        review_declare(actor=make_reviewer("bob"), review=review, conflict=False)
    with pytest.raises(NotAllowed):
        review_declare(actor=secretariat, review=review, conflict=False)
