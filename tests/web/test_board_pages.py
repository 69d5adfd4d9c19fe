"""Board pages: who sees them, voting and closing over the web, immutability, letters."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import BoardSession, Grant, SessionStatus, Vote
from grants.services.board import board_session_close, board_vote_cast
from tests.factories import ngo_user
from tests.grants.board.helpers import (
    meeting,
    recommended_call,
    vote_all,
)

from .conftest import CONFIRMED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def session(seated, secretariat, organisation):
    return meeting(recommended_call(envelope="100000.00", organisation=organisation),
                   secretariat)


@pytest.fixture
def people(request, ngo, other_ngo, secretariat, reviewer, board_member, donor, seated):
    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


def session_url(session, name="board-session", **kw):
    return reverse(f"grants:{name}", args=[session.pk, *kw.values()])


def vote_post(item, vote="approve", **fields):
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-vote": vote}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


PAGES = [("board-home", False), ("board-session", True), ("board-members", False)]
ROLES = [("anonymous", 302), ("ngo", 403), ("reviewer", 403), ("donor", 403),
         ("secretariat", 200), ("board_member", 200), ("trustee", 200), ("chair", 200)]


@pytest.mark.parametrize("name,by_session", PAGES)
@pytest.mark.parametrize("role,expected", ROLES)
def test_board_pages_are_for_the_board_and_the_secretariat(login, people, session, name,
                                                          by_session, role, expected):
    url = session_url(session, name) if by_session else reverse(f"grants:{name}")
    assert login(people(role)).get(url).status_code == expected


@pytest.mark.parametrize("role,expected", [("secretariat", 200), ("trustee", 403),
                                           ("chair", 403), ("ngo", 403)])
def test_session_creation_and_reserve_pages_are_for_the_secretariat(login, people, session,
                                                                    role, expected):
    client = login(people(role))
    assert client.get(reverse("grants:board-session-create")).status_code == expected
    assert client.get(reverse("grants:board-reserve-offer")).status_code == expected


def test_the_session_page_has_everything_in_one_screen(login, session, chair, trustee):
    first = session.items.first()
    board_vote_cast(actor=trustee, session=session, application=first.application,
                    vote="approve")
    html = login(chair).get(session_url(session)).content.decode()
    assert first.application.reference in html
    assert "Budget position" in html and "USD 100,000.00" in html
    assert "Who has voted" in html and "1 of 3" in html
    assert "Close and sign" in html  # the Chair's close button
    briefing = reverse("grants:portfolio-export", args=[session.call_id, "pdf"])
    assert f"{briefing}?version={session.recommendation.version}" in html
    assert reverse("grants:ranking", args=[session.call_id]) in html
    assert f'action="{session_url(session, "board-ballot")}"' in html
    assert "Submit ballot" in html and "Approve all recommended, decline the reserve" in html
    html = login(trustee).get(session_url(session)).content.decode()
    assert "Close and sign" not in html and "Chair: set the approved amount" not in html


def test_a_trustee_votes_through_the_page(login, session, trustee):
    item = session.items.first()
    response = login(trustee).post(session_url(session, "board-ballot"),
                                   vote_post(item, amount_usd="41000.00",
                                             conditions="Annual audit."))
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert (vote.member, vote.amount_usd, vote.conditions) == (trustee, 41000, "Annual audit.")


def test_a_bad_vote_shows_the_error_next_to_the_field(login, session, trustee):
    item = session.items.first()
    response = login(trustee).post(session_url(session, "board-ballot"),
                                   vote_post(item, vote="decline"))
    assert response.status_code == 400
    assert "feedback with a decline" in response.content.decode()
    assert not Vote.objects.exists()


def test_only_seated_members_vote_on_the_page(login, session, board_member, secretariat):
    item = session.items.first()
    url = session_url(session, "board-ballot")
    assert login(board_member).post(url, vote_post(item)).status_code == 403
    assert login(secretariat).post(url, vote_post(item)).status_code == 403


def test_the_chair_closes_through_the_page_and_then_nothing_changes(login, session, chair,
                                                                    seated):
    vote_all(session, [chair, *seated[1][:2]], amount_usd="30000.00")
    response = login(chair).post(session_url(session, "board-close"), CONFIRMED)
    assert response.status_code == 302
    assert BoardSession.objects.get().status == SessionStatus.CLOSED
    assert Grant.objects.count() == 3
    item = session.items.first()
    late = login(seated[1][3]).post(session_url(session, "board-ballot"),
                                    vote_post(item, vote="abstain"))
    assert late.status_code == 409
    assert "closed" in late.content.decode()
    again = login(chair).post(session_url(session, "board-close"), CONFIRMED)
    assert again.status_code == 409
    html = login(chair).get(session_url(session)).content.decode()
    assert "Signed decisions" in html and "board.ballot.refused" in html


def test_closing_over_budget_asks_for_the_override_reason(login, session, chair, seated):
    vote_all(session, [chair, *seated[1][:2]])  # 120,000 of 100,000
    response = login(chair).post(session_url(session, "board-close"), CONFIRMED)
    assert response.status_code == 409
    assert "Reason for overriding the budget guard" in response.content.decode()
    response = login(chair).post(session_url(session, "board-close"),
                                 {"override_reason": "Pledges arrive next month.", **CONFIRMED})
    assert response.status_code == 302


def test_a_trustee_cannot_close(login, session, trustee):
    assert login(trustee).post(session_url(session, "board-close"), CONFIRMED).status_code == 403


def test_a_recused_member_sees_neither_votes_nor_reviews(login, session, trustee, chair):
    from grants.models import PortfolioItem

    item = session.items.first()
    PortfolioItem.objects.filter(application=item.application).update(breakdown={"row": {
        "total_score": "89.00", "priority_score": "60.00", "breakdown": {
            "review_component": "85.50", "review_weight": "0.7", "priority_score": "60.00",
            "criteria": [{"code": "relevance", "name": "Relevance", "weight": "2",
                          "mean": "4.25"}]}}})
    board_vote_cast(actor=chair, session=session, application=item.application,
                    vote="approve", conditions="SECRET-CONDITION")
    board_vote_cast(actor=trustee, session=session, application=item.application, vote="recuse")
    page = login(trustee).get(session_url(session)).content.decode()
    assert "SECRET-CONDITION" not in page and "recused yourself" in page
    assert "Reviews 85.50 of 100" not in page  # the sheet hides the marks, as the item page
    assert "Reviews 85.50 of 100" in login(chair).get(session_url(session)).content.decode()
    briefing = login(trustee).get(session_url(session, "board-item", item=item.pk))
    assert briefing.status_code == 200
    assert 'id="reviews-h"' not in briefing.content.decode()
    other = login(chair).get(session_url(session, "board-item", item=item.pk)).content.decode()
    assert 'id="reviews-h"' in other and "Score breakdown" in other
    # the score's parts in words, as on the ballot sheet, never the ranking's raw record
    assert "Reviews 85.50 of 100 (weight 70%)" in other and "Relevance 4.2 of 5" in other
    assert "above funding line" not in other.lower() and "requested usd" not in other.lower()


def test_the_secretariat_opens_a_session_from_the_form(login, secretariat, seated):
    call = recommended_call()
    response = login(secretariat).post(reverse("grants:board-session-create"), {
        "call": call.pk, "kind": "written",
        "opens_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert BoardSession.objects.get(call=call).kind == "written"


def test_the_secretariat_manages_seats_from_the_page(login, secretariat, board_member, seated):
    url = reverse("grants:board-members")
    today = timezone.localdate()
    response = login(secretariat).post(url, {"user": board_member.pk, "role": "chair",
                                             "term_start": today.isoformat()})
    assert response.status_code == 400  # the seated board already has a Chair
    assert "already has a Chair" in response.content.decode()
    response = login(secretariat).post(url, {"user": board_member.pk, "role": "member",
                                             "term_start": today.isoformat()})
    assert response.status_code == 302
    seat = board_member.board_memberships.get()
    end = reverse("grants:board-member-end", args=[seat.pk])
    assert login(board_member).post(end, {"term_end": today.isoformat()}).status_code == 403
    assert login(secretariat).post(end, {"term_end": today.isoformat()}).status_code == 302
    seat.refresh_from_db()
    assert seat.term_end == today


@pytest.fixture
def decided(session, chair, seated, organisation):
    vote_all(session, [chair, *seated[1][:2]], amount_usd="30000.00")
    board_session_close(actor=chair, session=session)
    return session.items.first().application


@pytest.mark.parametrize("role,expected", [("anonymous", 302), ("ngo", 200),
                                           ("other_ngo", 404), ("donor", 404),
                                           ("reviewer", 404), ("secretariat", 200),
                                           ("chair", 200)])
def test_the_decision_letter_is_for_the_applicant_the_secretariat_and_the_board(
        login, people, decided, role, expected):
    response = login(people(role)).get(reverse("grants:decision-letter", args=[decided.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_applicant_finds_the_letter_and_the_grant_on_the_application(login, decided,
                                                                          organisation):
    applicant = ngo_user(organisation, username="applicant", language="fr")
    html = login(applicant).get(reverse("grants:application-detail",
                                        args=[decided.pk])).content.decode()
    assert reverse("grants:decision-letter", args=[decided.pk]) in html
    response = login(applicant).get(reverse("grants:application-grant", args=[decided.pk]))
    assert response.status_code == 302
    grant_page = login(applicant).get(response["Location"])
    assert grant_page.status_code == 200
    assert decided.grant.agreement_number in grant_page.content.decode()
    letter = login(applicant).get(reverse("grants:decision-letter", args=[decided.pk]))
    assert letter["Content-Disposition"].endswith('-fr.pdf"')


@pytest.mark.parametrize("role,expected", [("ngo", 200), ("other_ngo", 404), ("donor", 404),
                                           ("secretariat", 200), ("chair", 200)])
def test_the_grant_page(login, people, decided, role, expected):
    url = reverse("grants:grant-detail", args=[decided.grant.pk])
    assert login(people(role)).get(url).status_code == expected


@pytest.mark.parametrize("role,expected", [("ngo", 403), ("donor", 403), ("secretariat", 200),
                                           ("chair", 200), ("anonymous", 302)])
def test_the_grant_list_is_for_the_secretariat_and_the_board(login, people, decided, role,
                                                             expected):
    assert login(people(role)).get(reverse("grants:grant-list")).status_code == expected


def test_the_secretariat_edits_tranches_and_cancels_from_the_grant_page(login, decided,
                                                                        secretariat, chair):
    grant = decided.grant
    url = reverse("grants:grant-tranches", args=[grant.pk])
    data = {"tranches-TOTAL_FORMS": "2", "tranches-INITIAL_FORMS": "2",
            "tranches-MIN_NUM_FORMS": "0", "tranches-MAX_NUM_FORMS": "10",
            "tranches-0-percent": "50", "tranches-0-condition": "on_signature",
            "tranches-1-percent": "50", "tranches-1-condition": "after_final_report"}
    assert login(chair).post(url, data).status_code == 403
    assert login(secretariat).post(url, data).status_code == 302
    assert [t.amount_usd for t in grant.tranches.all()] == [15000, 15000]
    data["tranches-1-percent"] = "40"
    response = login(secretariat).post(url, data)
    assert response.status_code == 400 and "100" in response.content.decode()
    cancel = login(secretariat).post(reverse("grants:grant-cancel", args=[grant.pk]),
                                     {"reason": "The NGO closed.", **CONFIRMED})
    assert cancel.status_code == 302
    grant.refresh_from_db()
    assert grant.status == "cancelled"


def test_a_trustee_cannot_add_seats(login, trustee, board_member):
    response = login(trustee).post(reverse("grants:board-members"), {
        "user": board_member.pk, "role": "member",
        "term_start": timezone.localdate().isoformat()})
    assert response.status_code == 403


def test_the_boards_grant_list_filters_and_sorts_like_the_portfolio(login, decided, chair):
    grant = decided.grant
    client = login(chair)
    shown = client.get(reverse("grants:grant-list"), {"status": grant.status})
    same = Grant.objects.filter(status=grant.status).count()
    assert shown.status_code == 200 and shown.context["page"].paginator.count == same >= 1
    assert shown.context["listing"].applied and grant.agreement_number in shown.content.decode()
    other = "closed" if grant.status != "closed" else "active"
    hidden = client.get(reverse("grants:grant-list"), {"status": other, "sort": "approved"})
    assert hidden.context["page"].paginator.count == Grant.objects.filter(status=other).count()
    assert grant.agreement_number not in hidden.content.decode()


def test_a_grant_recorded_without_a_board_item_offers_no_letter_it_has_not(
        login, secretariat, organisation):
    from tests.grants.implementation.helpers import make_grant

    grant = make_grant(organisation)  # a past call's grant, imported without its session
    html = login(secretariat).get(reverse("grants:grant-detail", args=[grant.pk])).content
    assert reverse("grants:decision-letter", args=[grant.application_id]).encode() not in html
