import pytest

from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotAllowed, StateConflict, ValidationFailed
from fundapp.notifications.models import Notification
from grants.models import ApplicationStatus, Review, ReviewStatus
from grants.services.reviews import reviewers_assign, reviewers_assign_auto
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.reviews.helpers import (
    assign,
    eligible_application,
    make_reviewer,
    submitted_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(open_call):
    return eligible_application(call=open_call, organisation=OrganisationFactory(country="NG"))


def reviewers_of(app) -> list[str]:
    return sorted(app.reviews.filter(status__in=["assigned", "draft", "submitted"])
                  .values_list("reviewer__username", flat=True))


def test_assigning_by_hand_starts_the_review_and_tells_the_reviewer(secretariat, app):
    alice, bob = make_reviewer("alice"), make_reviewer("bob")
    created = reviewers_assign(actor=secretariat, application=app, reviewers=[alice, bob])
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert {r.status for r in created} == {ReviewStatus.ASSIGNED}
    assert set(Notification.objects.filter(kind="review_assigned").values_list(
        "recipient__username", flat=True)) == {"alice", "bob"}
    assert audit_trail_for(app).filter(verb="review.assign").count() == 2
    assert app.call.review_criteria.count() == 6


def test_assigning_again_leaves_existing_reviews_alone(secretariat, app):
    alice = make_reviewer("alice")
    reviewers_assign(actor=secretariat, application=app, reviewers=[alice])
    assert reviewers_assign(actor=secretariat, application=app, reviewers=[alice]) == []
    assert Review.objects.filter(application=app).count() == 1


def test_a_user_outside_the_pool_cannot_be_assigned(secretariat, app):
    with pytest.raises(ValidationFailed) as exc:
        reviewers_assign(actor=secretariat, application=app, reviewers=[UserFactory()])
    assert "not in the reviewer pool" in str(exc.value.field_errors["reviewers"])


def test_a_reviewer_with_a_country_conflict_cannot_be_assigned_by_hand(secretariat, app):
    nigerian = make_reviewer("ade", countries=["NG"])
    with pytest.raises(ValidationFailed) as exc:
        reviewers_assign(actor=secretariat, application=app, reviewers=[nigerian])
    assert "conflict" in str(exc.value.field_errors["reviewers"])


def test_applications_not_yet_eligible_cannot_get_reviewers(secretariat, open_call):
    with pytest.raises(StateConflict):
        reviewers_assign(actor=secretariat, application=submitted_application(call=open_call),
                         reviewers=[make_reviewer()])


def test_only_the_secretariat_assigns(reviewer, app):
    with pytest.raises(NotAllowed):
        reviewers_assign(actor=reviewer, application=app, reviewers=[reviewer])


# Automatic assignment --------------------------------------------------------------------


def test_auto_assignment_gives_each_application_two_reviewers_balancing_the_load(
        secretariat, open_call):
    apps = [eligible_application(call=open_call) for _ in range(3)]
    pool = [make_reviewer(name) for name in ("r1", "r2", "r3")]
    result = reviewers_assign_auto(actor=secretariat, call=open_call)
    # Fewest assignments first, ties by id: (r1, r2), (r3, r1), (r2, r3).
    assert result.assigned == {apps[0].pk: [pool[0].pk, pool[1].pk],
                               apps[1].pk: [pool[2].pk, pool[0].pk],
                               apps[2].pk: [pool[1].pk, pool[2].pk]}
    assert result.short == {}
    loads = [Review.objects.filter(reviewer=r).count() for r in pool]
    assert loads == [2, 2, 2]


def test_auto_assignment_counts_existing_assignments_and_tops_up(secretariat, open_call):
    busy, idle, third = make_reviewer("busy"), make_reviewer("idle"), make_reviewer("third")
    first = eligible_application(call=open_call)
    assign(first, busy)
    second = eligible_application(call=open_call)
    result = reviewers_assign_auto(actor=secretariat, call=open_call)
    # Loads busy 1, idle 0, third 0: the first gets one more (idle: load 0, lower id);
    # then busy 1, idle 1, third 0: the second gets third, then busy (tie, lower id).
    assert result.assigned == {first.pk: [idle.pk], second.pk: [third.pk, busy.pk]}


def test_auto_assignment_never_picks_a_conflicted_reviewer(secretariat, open_call):
    org = OrganisationFactory(country="KE")
    app = eligible_application(call=open_call, organisation=org)
    sister = eligible_application(call=open_call, organisation=org)
    declared, by_country, by_org = (make_reviewer("declared"),
                                    make_reviewer("country", countries=["KE"]),
                                    make_reviewer("org", organisations=[org]))
    assign(sister, declared, status=ReviewStatus.CONFLICT)
    free = [make_reviewer("free1"), make_reviewer("free2")]
    result = reviewers_assign_auto(actor=secretariat, applications=[app])
    assert result.assigned[app.pk] == [u.pk for u in free]
    assert not {declared.pk, by_country.pk, by_org.pk} & set(result.assigned[app.pk])


def test_auto_assignment_reports_applications_it_could_not_fully_staff(secretariat, app):
    make_reviewer("only")
    result = reviewers_assign_auto(actor=secretariat, call=app.call)
    assert result.short == {app.pk: 1}
    assert reviewers_of(app) == ["only"]


def test_auto_assignment_with_an_empty_pool_says_so(secretariat, app):
    with pytest.raises(ValidationFailed, match="pool is empty"):
        reviewers_assign_auto(actor=secretariat, call=app.call)


def test_a_reviewer_who_declared_a_conflict_is_not_reassigned(secretariat, app):
    gone = make_reviewer("gone")
    assign(app, gone, status=ReviewStatus.CONFLICT)
    make_reviewer("a"), make_reviewer("b")
    reviewers_assign_auto(actor=secretariat, call=app.call)
    assert reviewers_of(app) == ["a", "b"]
