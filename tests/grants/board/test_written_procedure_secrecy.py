"""In a written procedure a trustee does not see how the others voted on an item (votes,
tally, decision if closed now, running total) before casting their own vote on it. Who has
voted stays visible; the secretariat, which does not vote, sees the tallies; meetings and
closed sessions are unchanged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import BoardSession
from grants.services.board import board_session_close, board_vote_cast
from tests.grants.board.helpers import meeting, vote_all, written

pytestmark = pytest.mark.django_db

A_CONDITION = "Monthly visits by the field office."


@pytest.fixture
def procedure(call, secretariat, board):
    return written(call, secretariat)


@pytest.fixture
def first(procedure):
    return procedure.items.order_by("position").first()


def vote(member, session, item, choice="approve", **extra):
    if choice == "decline":
        extra.setdefault("feedback", "Too costly.")
    return board_vote_cast(actor=member, session=session, application=item.application,
                           vote=choice, **extra)


def article(client, user, session, item) -> str:
    client.force_login(user)
    html = client.get(reverse("grants:board-session", args=[session.pk])).content.decode()
    row = html.split(f'id="item-{item.pk}"', 1)[1]  # the item's row of the ballot sheet
    return row.split('<li class="ballot-row', 1)[0].split("</ol>", 1)[0]


def api_item(api_as, user, session, item) -> dict:
    data = api_as(user).get(f"/api/v1/board/sessions/{session.pk}/").json()
    return next(row for row in data["agenda"] if row["id"] == item.pk) | {
        "_budget": data["budget"], "_members": data["members"]}


def test_a_trustee_does_not_see_anothers_vote_before_voting(client, procedure, first,
                                                            members):
    a, b = members[0], members[1]
    vote(a, procedure, first, amount_usd=Decimal("41000.00"), conditions=A_CONDITION)

    html = article(client, b, procedure, first)
    assert a.display_name not in html and A_CONDITION not in html
    assert "1 approve" not in html and "Decision if closed now" not in html
    assert "41,000.00" not in html
    assert "once you have cast your own vote" in html


def test_the_api_hides_the_votes_tally_and_running_total_before_voting(api_as, procedure,
                                                                       first, members):
    a, b = members[0], members[1]
    vote(a, procedure, first, conditions=A_CONDITION)

    row = api_item(api_as, b, procedure, first)
    assert row["votes"] is None and row["tally"] is None
    assert row["votes_hidden_until_you_vote"] is True and row["my_vote"] is None
    assert row["_budget"]["total_usd"] is None and row["_budget"]["overdraws"] is None
    # Who has voted, not how, stays visible.
    voted = {m["user"]: m["items_voted"] for m in row["_members"]}
    assert voted[a.pk] == 1 and voted[b.pk] == 0


def test_once_the_trustee_has_voted_the_others_votes_show(client, api_as, procedure, first,
                                                          members):
    a, b = members[0], members[1]
    vote(a, procedure, first, conditions=A_CONDITION)
    vote(b, procedure, first, "decline")

    html = article(client, b, procedure, first)
    assert a.display_name in html and A_CONDITION in html
    assert "1 approve · 1 decline" in html
    row = api_item(api_as, b, procedure, first)
    assert row["votes_hidden_until_you_vote"] is False
    assert {v["member"] for v in row["votes"]} == {a.pk, b.pk}
    assert row["tally"]["approve"] == 1 and row["tally"]["decline"] == 1


def test_voting_on_one_item_reveals_only_that_item(api_as, procedure, first, members):
    a, b = members[0], members[1]
    second = procedure.items.order_by("position")[1]
    vote_all(procedure, [a])
    vote(b, procedure, first)
    assert api_item(api_as, b, procedure, first)["votes"] is not None
    row = api_item(api_as, b, procedure, second)
    assert row["votes"] is None and row["tally"] is None
    assert row["_budget"]["total_usd"] is None  # not every item voted on yet
    vote_all(procedure, [b])
    assert api_item(api_as, b, procedure, second)["_budget"]["total_usd"] is not None


def test_the_chair_is_a_voter_like_the_others(client, api_as, procedure, first, chair,
                                              members):
    vote(members[0], procedure, first, conditions=A_CONDITION)
    assert api_item(api_as, chair, procedure, first)["votes"] is None
    html = article(client, chair, procedure, first)
    assert A_CONDITION not in html
    client.force_login(chair)
    page = client.get(reverse("grants:board-session", args=[procedure.pk])).content.decode()
    assert "Who has voted" in page and "Close and sign" in page


def test_the_secretariat_follows_the_tallies(api_as, client, procedure, first, members,
                                             secretariat):
    vote(members[0], procedure, first, conditions=A_CONDITION)
    row = api_item(api_as, secretariat, procedure, first)
    assert row["tally"]["approve"] == 1 and len(row["votes"]) == 1
    assert row["votes_hidden_until_you_vote"] is False
    assert A_CONDITION in article(client, secretariat, procedure, first)


def test_a_trustee_not_sitting_on_the_session_sees_no_votes_either(api_as, procedure, first,
                                                                   members, board_member):
    vote(members[0], procedure, first)
    assert api_item(api_as, board_member, procedure, first)["votes"] is None


def test_a_meeting_keeps_showing_the_votes_as_they_come(api_as, call, secretariat, members):
    session = meeting(call, secretariat)
    item = session.items.order_by("position").first()
    vote(members[0], session, item)
    row = api_item(api_as, members[1], session, item)
    assert row["tally"]["approve"] == 1 and row["votes_hidden_until_you_vote"] is False


def test_after_the_window_ends_and_after_closing_everything_shows(api_as, procedure, first,
                                                                  chair, members):
    vote(members[0], procedure, first, conditions=A_CONDITION)
    BoardSession.objects.filter(pk=procedure.pk).update(
        opens_at=timezone.now() - timedelta(days=4),
        closes_at=timezone.now() - timedelta(minutes=1))
    procedure.refresh_from_db()
    assert api_item(api_as, chair, procedure, first)["tally"]["approve"] == 1
    board_session_close(actor=chair, session=procedure)
    row = api_item(api_as, members[1], procedure, first)
    assert row["votes"][0]["conditions"] == A_CONDITION
