"""The secretariat's work before the award (grants/selectors/work/secretariat.py): each item
counts what it says and nothing else, says how many are overdue, equals its linked list's
count, and costs the same queries for 2 rows as for 20."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import (
    AgendaItem,
    ApplicationStatus,
    BoardSession,
    CallStatus,
    Message,
    OrganisationStatus,
    PortfolioRecommendation,
    ReviewStatus,
    SanctionsMatch,
    SessionKind,
    Vote,
)
from grants.selectors.work.secretariat import REVIEW_DAYS, secretariat_items
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory, UserFactory
from tests.grants.board.helpers import recommended_call
from tests.grants.reviews.helpers import (
    assign,
    eligible_application,
    make_reviewer,
    submitted_application,
)

pytestmark = pytest.mark.django_db

CODES = ["applications_to_screen", "sanctions_matches_to_clear", "organisations_to_verify",
         "reviews_overdue", "reviews_to_reassign", "calls_closing_soon", "rankings_to_finalise",
         "board_sessions_to_prepare", "board_sessions_to_close", "messages_awaiting_answer"]


def _items(user) -> dict:
    return {i.code: i for i in secretariat_items(user)}


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _match(app):
    return SanctionsMatch.objects.create(
        application=app, subject="organisation", subject_value=app.organisation.name,
        entry_kind="entity", entry_name="LISTED FRONT", matched_name="LISTED FRONT",
        score=Decimal("91.00"))


def _closed_call(**fields):
    return CallFactory(opens_at=timezone.now() - timedelta(days=90),
                       closes_at=timezone.now() - timedelta(days=30), status=CallStatus.CLOSED,
                       **fields)


def _late(review):
    type(review).objects.filter(pk=review.pk).update(
        assigned_at=timezone.now() - timedelta(days=REVIEW_DAYS + 2))
    return review


def test_every_item_is_there_even_at_zero_with_stable_codes(secretariat):
    items = secretariat_items(secretariat)
    assert [i.code for i in items] == CODES
    assert all(i.count == 0 and i.overdue == 0 for i in items)


def test_nobody_but_the_secretariat_gets_these_items(ngo, reviewer, board_member, donor):
    from fundapp.core.work import work_queue_for

    submitted_application()
    for user in (ngo, reviewer, board_member, donor):
        items = work_queue_for(user)
        assert not any(i.role == "secretariat" for i in items), user
        assert not {i.code for i in items} & {
            "applications_to_screen", "sanctions_matches_to_clear", "organisations_to_verify",
            "rankings_to_finalise", "board_sessions_to_close"}, user


def test_applications_to_screen_and_sanctions_matches(secretariat, login):
    waiting = [submitted_application() for _ in range(3)]
    screening = submitted_application()
    screening.status = ApplicationStatus.SCREENING
    screening.save()
    eligible_application()                                    # screened: not counted
    ApplicationFactory()                                      # a draft: not counted
    flagged = _match(waiting[0])
    cleared = _match(waiting[1])
    cleared.cleared_at = timezone.now()
    cleared.save()
    items = _items(secretariat)
    assert items["applications_to_screen"].count == 4
    assert items["sanctions_matches_to_clear"].count == 1
    assert flagged.application_id == waiting[0].pk
    client = login(secretariat)
    for code in ("applications_to_screen", "sanctions_matches_to_clear"):
        assert _listed(client, items[code].url) == items[code].count, code


def test_organisations_to_verify(secretariat, login):
    OrganisationFactory(status=OrganisationStatus.PENDING)
    OrganisationFactory(status=OrganisationStatus.PENDING)
    OrganisationFactory(status=OrganisationStatus.REJECTED)
    OrganisationFactory()
    item = _items(secretariat)["organisations_to_verify"]
    assert item.count == 2 and item.overdue == 0
    assert item.url.endswith("?status=pending")
    assert _listed(login(secretariat), item.url) == 2


def test_reviews_overdue_counts_late_pending_reviews_only(secretariat, login):
    app = eligible_application()
    late_assigned = _late(assign(app, make_reviewer()))
    _late(assign(app, make_reviewer(), status=ReviewStatus.DRAFT))
    assign(app, make_reviewer())                              # assigned today: not late
    _late(assign(app, make_reviewer(), status=ReviewStatus.SUBMITTED,
                 submitted_at=timezone.now()))                # submitted: not late
    item = _items(secretariat)["reviews_overdue"]
    assert item.count == 2 and item.overdue == 2
    assert late_assigned.application.reviews.count() == 4
    assert _listed(login(secretariat), item.url) == 2


def test_reviews_to_reassign_are_the_pending_reviews_of_deactivated_reviewers(secretariat, login):
    from grants.services.people import user_deactivate

    app = eligible_application()
    gone = make_reviewer()
    pending = assign(app, gone)
    assign(eligible_application(), gone, status=ReviewStatus.DRAFT)
    assign(eligible_application(), gone, status=ReviewStatus.SUBMITTED,
           submitted_at=timezone.now())                       # done: nothing to reassign
    assign(eligible_application(), gone, status=ReviewStatus.CONFLICT)  # declined
    assign(app, make_reviewer())                              # an active reviewer's
    assert _items(secretariat)["reviews_to_reassign"].count == 0
    user_deactivate(actor=secretariat, user=gone, reason="Left the reviewer pool")
    item = _items(secretariat)["reviews_to_reassign"]
    assert item.count == 2 and item.url.endswith("?reassign=1")
    client = login(secretariat)
    assert _listed(client, item.url) == 2
    page = client.get(item.url).content.decode()
    assert reverse("grants:review-assign", args=[pending.application_id]) in page
    assert "Reassign" in page


def test_calls_closing_within_14_days(secretariat, login):
    CallFactory(closes_at=timezone.now() + timedelta(days=3))
    CallFactory(closes_at=timezone.now() + timedelta(days=13, hours=20))
    CallFactory(closes_at=timezone.now() + timedelta(days=15))        # later
    CallFactory(closes_at=timezone.now() - timedelta(hours=1))        # closed already
    CallFactory(closes_at=timezone.now() + timedelta(days=5), status=CallStatus.DRAFT)
    item = _items(secretariat)["calls_closing_soon"]
    assert item.count == 2 and item.overdue == 0
    assert item.url.endswith("?closing=14")
    assert _listed(login(secretariat), item.url) == 2


def test_rankings_ready_to_finalise(secretariat, login):
    ready = _closed_call()
    done = eligible_application(call=ready)
    assign(done, make_reviewer(), status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    waiting = _closed_call()                                  # a review still awaited
    app = eligible_application(call=waiting)
    assign(app, make_reviewer(), status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    assign(app, make_reviewer(), status=ReviewStatus.DRAFT)
    open_call = CallFactory()                                 # still open
    other = eligible_application(call=open_call)
    assign(other, make_reviewer(), status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    final = recommended_call()                                # already finalised
    assign(final.applications.first(), make_reviewer(), status=ReviewStatus.SUBMITTED,
           submitted_at=timezone.now())
    item = _items(secretariat)["rankings_to_finalise"]
    assert item.count == 1
    client = login(secretariat)
    assert _listed(client, item.url) == 1
    assert client.get(item.url).context["page"].object_list[0].pk == ready.pk


def test_board_sessions_to_prepare_and_to_close(secretariat, login, seated):
    chair, members = seated
    recommended_call()                                        # final, no session: to prepare
    met = recommended_call()
    session = BoardSession.objects.create(call=met, kind=SessionKind.MEETING,
                                          meeting_date=timezone.localdate() - timedelta(days=1))
    written_ended = recommended_call()
    BoardSession.objects.create(call=written_ended, kind=SessionKind.WRITTEN,
                                opens_at=timezone.now() - timedelta(days=5),
                                closes_at=timezone.now() - timedelta(hours=2))
    all_voted = recommended_call()
    full = BoardSession.objects.create(call=all_voted, kind=SessionKind.WRITTEN,
                                       opens_at=timezone.now() - timedelta(days=1),
                                       closes_at=timezone.now() + timedelta(days=5))
    still_voting = recommended_call()
    partial = BoardSession.objects.create(call=still_voting, kind=SessionKind.WRITTEN,
                                          opens_at=timezone.now() - timedelta(days=1),
                                          closes_at=timezone.now() + timedelta(days=5))
    for s in (full, partial):
        for i, app in enumerate(s.call.applications.order_by("pk")):
            AgendaItem.objects.create(session=s, application=app, position=i,
                                      requested_usd=app.requested_usd)
    for item in full.items.all():
        for member in [chair, *members]:
            Vote.objects.create(session=full, item=item, member=member, vote="approve")
    first = partial.items.first()
    Vote.objects.create(session=partial, item=first, member=chair, vote="approve")
    items = _items(secretariat)
    assert items["board_sessions_to_prepare"].count == 1
    assert items["board_sessions_to_close"].count == 3    # met, written_ended, full
    client = login(secretariat)
    assert _listed(client, items["board_sessions_to_prepare"].url) == 1
    listed = client.get(items["board_sessions_to_close"].url).context["page"].object_list
    assert partial.pk not in {s.pk for s in listed} and session.pk in {s.pk for s in listed}
    assert _listed(client, items["board_sessions_to_close"].url) == 3


def test_messages_awaiting_an_answer(secretariat, login, ngo, organisation):
    asked = submitted_application(organisation=organisation)
    answered = submitted_application(organisation=organisation)
    Message.objects.create(application=asked, author=ngo, body="When will you decide?")
    Message.objects.create(application=answered, author=ngo, body="A question")
    Message.objects.create(application=answered, author=secretariat, from_secretariat=True,
                           body="An answer")
    item = _items(secretariat)["messages_awaiting_answer"]
    assert item.count == 1
    client = login(secretariat)
    response = client.get(item.url)
    assert response.context["page"].paginator.count == 1
    assert "When will you decide?" in response.content.decode()


def _rows(n: int) -> None:
    call = CallFactory(closes_at=timezone.now() + timedelta(days=4))
    closed = _closed_call()
    for _ in range(n):
        app = submitted_application(call=call)
        _match(app)
        OrganisationFactory(status=OrganisationStatus.PENDING)
        Message.objects.create(application=app, author=UserFactory(), body="Hello")
        late = eligible_application(call=closed)
        _late(assign(late, make_reviewer()))
        assign(late, make_reviewer(is_active=False))
    recommended_call()


def test_the_items_cost_the_same_queries_for_2_rows_as_for_20(secretariat):
    _rows(2)
    secretariat_items(secretariat)  # the user's roles, read once per request, are cached
    with CaptureQueriesContext(connection) as few:
        counts = {i.code: i.count for i in secretariat_items(secretariat)}
    assert counts["applications_to_screen"] == 2 and counts["reviews_overdue"] == 2
    assert counts["reviews_to_reassign"] == 2
    _rows(18)
    with CaptureQueriesContext(connection) as many:
        counts = {i.code: i.count for i in secretariat_items(secretariat)}
    assert counts["applications_to_screen"] == 20 and counts["messages_awaiting_answer"] == 20
    assert counts["reviews_to_reassign"] == 20
    assert len(many.captured_queries) == len(few.captured_queries) <= 15


def test_a_recommendation_that_is_not_current_does_not_count_as_final(secretariat):
    call = recommended_call()
    PortfolioRecommendation.objects.filter(call=call).update(is_current=False)
    assert _items(secretariat)["board_sessions_to_prepare"].count == 0
