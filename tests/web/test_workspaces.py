"""The home pages of NGOs, reviewers, Board members and donors (issue 15): each provider
counts the right rows only (never another organisation's or donor's), overdue, fixed
queries whatever the rows; the API's items per role; the linked lists' filters and counts
(``data-count``) equal the items'; the NGO timeline's words per state, never revealing what
the applicant may not know yet."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fundapp.accounts.roles import Role
from grants.models import (
    ApplicationStatus,
    DeadlineExtension,
    GrantStatus,
    InformationRequest,
    Review,
    ReviewStatus,
)
from grants.selectors.work.applicants import applicant_items
from grants.selectors.work.members import board_items, reviewer_items
from grants.views.workspaces.applicants import timeline_of
from tests.donors.factories import DonorFactory, pledge, record
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory, ngo_user
from tests.grants.board.helpers import meeting, recommended_call, sitting_board, vote_all
from tests.grants.implementation.helpers import make_grant
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer
from tests.queries import queries_for_get

pytestmark = pytest.mark.django_db

HOME_BUDGET = 45
API_BUDGET = 35
LIST_BUDGET = 30


def _items(provider, user) -> dict:
    return {i.code: i for i in provider(user)}


def _data_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def _assert_lists_agree(client, items) -> None:
    for item in items:
        assert _data_count(client, item.url) == item.count, (item.code, item.url)


# --- NGO ---------------------------------------------------------------------------------


def _ngo_rows(org, n: int) -> None:
    """``n`` of each: drafts closing soon, requests for information (late), decisions."""
    soon = CallFactory(closes_at=timezone.now() + timedelta(days=5))
    for _ in range(n):
        ApplicationFactory(organisation=org, call=soon)
        asked = ApplicationFactory(organisation=org, status=ApplicationStatus.INFORMATION_REQUESTED,
                                   reference=None, submitted_at=timezone.now())
        InformationRequest.objects.create(application=asked, message="The budget, please.",
                                          due_on=timezone.localdate() - timedelta(days=1),
                                          returns_to=ApplicationStatus.SUBMITTED)
        ApplicationFactory(organisation=org, status=ApplicationStatus.DECLINED,
                           submitted_at=timezone.now())
        make_grant(org)


def test_the_ngo_items_count_its_own_organisation_only(login, ngo, organisation):
    _ngo_rows(organisation, 2)
    _ngo_rows(OrganisationFactory(), 3)  # another organisation's: never counted
    late = CallFactory(closes_at=timezone.now() + timedelta(days=40))
    ApplicationFactory(organisation=organisation, call=late)
    items = _items(applicant_items, ngo)
    assert items["drafts"].count == 3
    assert items["drafts_deadline_soon"].count == 2
    assert items["information_requests"].count == 2
    assert items["information_requests"].overdue == 2
    assert items["decisions_received"].count == 4  # declined 2, approved 2 (the grants')
    assert items["agreements_to_sign"].count == 2
    assert "nearest deadline" in items["drafts"].detail
    _assert_lists_agree(login(ngo), [i for i in items.values()
                                     if "portfolio" not in i.url])  # "ledger"'s list


def test_an_extension_pushes_a_draft_out_of_closing_soon(ngo, organisation):
    call = CallFactory(closes_at=timezone.now() + timedelta(days=3))
    app = ApplicationFactory(organisation=organisation, call=call)
    assert _items(applicant_items, ngo)["drafts_deadline_soon"].count == 1
    DeadlineExtension.objects.create(call=call, application=app, reason="Flood",
                                     until=timezone.now() + timedelta(days=30))
    assert _items(applicant_items, ngo)["drafts_deadline_soon"].count == 0


def test_a_viewer_sees_the_same_counts_under_labels_that_do_not_ask_to_act(ngo, organisation):
    viewer = ngo_user(organisation, org_role="viewer", username="viewer")
    _ngo_rows(organisation, 1)
    mine, theirs = _items(applicant_items, ngo), _items(applicant_items, viewer)
    assert {c: i.count for c, i in mine.items()} == {c: i.count for c, i in theirs.items()}
    assert mine["drafts"].label == "Drafts to finish"
    assert theirs["drafts"].label == "Drafts"
    assert theirs["agreements_to_sign"].label == "Agreements awaiting signature"
    assert theirs["information_requests"].label == "Requests for information"


def test_the_ngo_list_filters_are_shown_and_removable(login, ngo, organisation):
    _ngo_rows(organisation, 1)
    body = login(ngo).get(reverse("grants:my-applications") + "?deadline=soon").content.decode()
    assert "Drafts due within 14 days" in body and "chip-remove" in body
    assert 'data-count="1"' in body


def test_ngo_provider_queries_do_not_grow_with_rows(ngo, organisation):
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            applicant_items(ngo)
        return len(ctx.captured_queries)

    _ngo_rows(organisation, 2)
    cost()  # the user's membership is then cached on it, as on any request
    few = cost()
    _ngo_rows(organisation, 20)
    assert cost() == few


# --- the timeline ------------------------------------------------------------------------

HIDDEN = (ApplicationStatus.SCREENING, ApplicationStatus.ELIGIBLE,
          ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RANKED,
          ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)


@pytest.mark.parametrize("status", HIDDEN)
def test_the_timeline_reads_under_review_for_every_confidential_stage(
        login, ngo, organisation, status):
    ApplicationFactory(organisation=organisation, status=status, reference="VTF9-0001",
                       submitted_at=timezone.now())
    body = login(ngo).get(reverse("dashboard")).content.decode()
    panel = body[body.index("Where your applications stand"):]
    assert "Eligibility check and independent review under way" in panel
    for secret in ("ecommend", "anked", "Eligible", "score", "Score"):
        assert secret not in panel, (status, secret)


@pytest.mark.parametrize(("status", "words"), [
    (ApplicationStatus.SUBMITTED, "checking its eligibility"),
    (ApplicationStatus.INFORMATION_REQUESTED, "waiting for your answer"),
    (ApplicationStatus.INELIGIBLE, "Not eligible for this call"),
    (ApplicationStatus.DECLINED, "Not selected by the Board of Trustees"),
    (ApplicationStatus.WITHDRAWN, "You withdrew this application"),
])
def test_the_timeline_says_where_it_stands_in_plain_words(organisation, status, words):
    app = ApplicationFactory(organisation=organisation, status=status)
    app.seen_status = status
    assert words in timeline_of(app).summary


def test_an_approved_application_moves_into_implementation(login, ngo, organisation):
    grant = make_grant(organisation)
    body = login(ngo).get(reverse("dashboard")).content.decode()
    assert "Your grant agreement is ready to be signed." in body
    grant.status = GrantStatus.ACTIVE
    grant.save()
    body = login(ngo).get(reverse("dashboard")).content.decode()
    assert "The project is under way" in body


def test_another_organisations_applications_are_not_on_the_timeline(login, ngo):
    ApplicationFactory(status=ApplicationStatus.SUBMITTED, title="Somebody else's project",
                       submitted_at=timezone.now())
    assert "Somebody else" not in login(ngo).get(reverse("dashboard")).content.decode()


# --- reviewers ---------------------------------------------------------------------------


def _review_rows(reviewer, n: int, *, late: int = 0) -> None:
    for i in range(n):
        app = eligible_application()
        review = assign(app, reviewer)
        if i < late:
            Review.objects.filter(pk=review.pk).update(
                assigned_at=timezone.now() - timedelta(days=30))
        assign(eligible_application(), reviewer, status=ReviewStatus.DRAFT)


def test_the_reviewer_items_count_its_own_reviews_and_the_late_ones(login):
    reviewer, other = make_reviewer("rev1"), make_reviewer("rev2")
    _review_rows(reviewer, 3, late=2)
    _review_rows(other, 4, late=4)
    items = _items(reviewer_items, reviewer)
    assert items["reviews_to_declare"].count == 3
    assert items["reviews_to_declare"].overdue == 2
    assert items["reviews_to_score"].count == 3
    assert items["reviews_overdue"].count == 2
    _assert_lists_agree(login(reviewer), items.values())


def test_reviewer_queries_do_not_grow_with_rows():
    reviewer = make_reviewer("rev1")

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            reviewer_items(reviewer)
        return len(ctx.captured_queries)

    _review_rows(reviewer, 2, late=1)
    cost()
    few = cost()
    _review_rows(reviewer, 20, late=10)
    assert cost() == few


# --- Board members -----------------------------------------------------------------------


def test_the_board_item_counts_sessions_with_items_awaiting_this_members_vote(
        login, secretariat, monkeypatch):
    monkeypatch.setattr("grants.selectors.board.contributions_received_usd", lambda: None)
    _chair, members = sitting_board(3)
    session = meeting(recommended_call(), secretariat)
    meeting(recommended_call(), secretariat)
    vote_all(session, [members[0]])
    first, second = _items(board_items, members[0]), _items(board_items, members[1])
    assert first["board_votes_needed"].count == 1
    assert second["board_votes_needed"].count == 2
    assert "items still need your vote" in second["board_votes_needed"].detail
    client = login(members[0])
    _assert_lists_agree(client, first.values())
    body = client.get(reverse("dashboard")).content.decode()
    assert "you have voted on every item" in body


# --- donors ------------------------------------------------------------------------------


def _donor_rows(donor, n: int) -> None:
    today = timezone.localdate()
    for _ in range(n):
        record(donor, amount="1000.00", received_on=today)
        record(donor, amount="500.00", received_on=today.replace(year=today.year - 1))
        pledge(donor, year=today.year, expected_on=today - timedelta(days=3))


def test_the_donor_items_count_its_own_contributions_and_pledges(login, django_user_model):
    from tests.factories import UserFactory

    user = UserFactory(username="donor", roles=[Role.DONOR])
    mine = DonorFactory(users=[user])
    _donor_rows(mine, 2)
    _donor_rows(DonorFactory(), 3)
    from donors.selectors.work import donor_items

    items = {i.code: i for i in donor_items(user)}
    assert items["contributions_this_year"].count == 2
    assert items["receipts_available"].count == 4
    assert items["pledges_outstanding"].count == 2
    assert items["pledges_outstanding"].overdue == 2
    _assert_lists_agree(login(user), items.values())


# --- the API and the home pages' query budgets -------------------------------------------


@pytest.fixture
def people(ngo, organisation, secretariat, monkeypatch):
    from tests.factories import UserFactory

    monkeypatch.setattr("grants.selectors.board.contributions_received_usd", lambda: None)
    reviewer = make_reviewer("rev1")
    _chair, members = sitting_board(2)
    donor = UserFactory(username="donor", roles=[Role.DONOR])
    funder = DonorFactory(users=[donor])

    def rows(n):
        _ngo_rows(organisation, n)
        _review_rows(reviewer, n, late=1)
        _donor_rows(funder, n)
        meeting(recommended_call(), secretariat)

    return {"ngo": ngo, "reviewer": reviewer, "board": members[0], "donor": donor,
            "rows": rows}


ROLE_CODES = {
    "ngo": {"drafts", "drafts_deadline_soon", "information_requests", "questions_answered",
            "agreements_to_sign", "reports_due", "reports_overdue", "decisions_received"},
    "reviewer": {"reviews_to_declare", "reviews_to_score", "reviews_overdue"},
    "board": {"board_votes_needed"},
    "donor": {"contributions_this_year", "receipts_available", "pledges_outstanding"},
}


@pytest.mark.parametrize("who", list(ROLE_CODES))
def test_the_api_gives_each_role_its_items_as_the_home_page(login, people, who):
    people["rows"](1)
    client = login(people[who])
    items = client.get("/api/v1/me/work-queue/").json()["items"]
    assert {i["code"] for i in items} == ROLE_CODES[who]
    body = client.get(reverse("dashboard")).content.decode()
    for item in items:
        assert f'data-code="{item["code"]}" data-count="{item["count"]}"' in body


@pytest.mark.parametrize("who", list(ROLE_CODES))
def test_home_page_and_api_queries_do_not_grow_with_rows(login, people, who):
    people["rows"](1)
    client = login(people[who])
    few_home = queries_for_get(client, reverse("dashboard"))
    few_api = queries_for_get(client, "/api/v1/me/work-queue/")
    people["rows"](6)
    assert queries_for_get(client, reverse("dashboard")) == few_home <= HOME_BUDGET
    assert queries_for_get(client, "/api/v1/me/work-queue/") == few_api <= API_BUDGET


@pytest.mark.parametrize(("who", "url"), [
    ("ngo", "grants:my-applications"), ("ngo", "grants:my-questions"),
    ("reviewer", "grants:my-reviews"), ("board", "grants:board-home"),
    ("donor", "donors:portal-contributions"), ("donor", "donors:portal-pledges"),
])
def test_the_linked_lists_queries_do_not_grow_with_rows(login, people, who, url):
    people["rows"](1)
    client = login(people[who])
    few = queries_for_get(client, reverse(url))
    people["rows"](6)
    assert queries_for_get(client, reverse(url)) <= max(few, LIST_BUDGET)


def test_my_questions_lists_answers_on_the_organisations_calls_only(login, ngo, organisation):
    from grants.models import ClarificationQuestion

    app = ApplicationFactory(organisation=organisation)
    ClarificationQuestion.objects.create(call=app.call, question="May we apply with a partner?",
                                         answer="Yes.", published_at=timezone.now())
    ClarificationQuestion.objects.create(call=CallFactory(), question="Elsewhere?",
                                         answer="No.", published_at=timezone.now())
    ClarificationQuestion.objects.create(call=app.call, question="Not answered yet",
                                         published_at=None)
    items = _items(applicant_items, ngo)
    assert items["questions_answered"].count == 1
    client = login(ngo)
    body = client.get(items["questions_answered"].url).content.decode()
    assert "May we apply with a partner?" in body and "Elsewhere?" not in body
    assert "Not answered yet" not in body
    _assert_lists_agree(client, [items["questions_answered"]])
