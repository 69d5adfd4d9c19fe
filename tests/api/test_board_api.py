"""The board API: sessions and their agenda, votes, closing, the budget guard, immutability."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.core.audit import audit_trail_for
from grants.models import Vote
from tests.grants.board.helpers import meeting, recommended_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def session(seated, secretariat):
    return meeting(recommended_call(envelope="100000.00"), secretariat)


def url(session, action=""):
    return f"/api/v1/board/sessions/{session.pk}/{action}"


def app_ids(session):
    return [i.application_id for i in session.items.all()]


def vote(api_as, user, session, application, **body):
    return api_as(user).post(url(session, "votes/"), {"application": application, **body},
                             format="json")


def test_the_secretariat_opens_a_session_on_the_finalised_recommendation(api_as, secretariat,
                                                                          seated):
    call = recommended_call()
    response = api_as(secretariat).post("/api/v1/board/sessions/", {
        "call": call.pk, "kind": "written", "opens_at": timezone.now().isoformat(),
        "closes_at": (timezone.now() + timedelta(days=7)).isoformat()}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["call"], body["kind"], body["status"]) == (call.pk, "written", "open")
    assert [(i["requested_usd"], i["on_reserve"], i["decision"], i["approved_usd"])
            for i in body["agenda"]] == [("50000.00", False, None, None),
                                         ("40000.00", False, None, None),
                                         ("30000.00", True, None, None)]


@pytest.mark.parametrize("body,field", [
    ({"kind": "meeting"}, "meeting_date"),
    ({"kind": "written", "closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
    ({"kind": "other", "meeting_date": "2031-01-01"}, "kind"),
    ({"kind": "meeting", "meeting_date": "yesterday"}, "meeting_date"),
])
def test_bad_session_data_is_a_400_by_field(api_as, secretariat, seated, body, field):
    call = recommended_call()
    response = api_as(secretariat).post("/api/v1/board/sessions/", {"call": call.pk, **body},
                                        format="json")
    assert response.status_code == 400 and field in response.json()


def test_an_unknown_call_is_a_400(api_as, secretariat, seated):
    response = api_as(secretariat).post("/api/v1/board/sessions/", {
        "call": 999999, "kind": "meeting", "meeting_date": "2031-01-01"}, format="json")
    assert response.status_code == 400 and "call" in response.json()


def test_a_member_votes_and_changes_the_vote(api_as, session, trustees):
    first = app_ids(session)[0]
    response = vote(api_as, trustees[0], session, first, vote="approve", amount_usd="45000.00",
                    conditions="Monthly visits.")
    assert response.status_code == 200
    assert response.json()["amount_usd"] == "45000.00"
    response = vote(api_as, trustees[0], session, first, vote="abstain")
    assert response.json()["vote"] == "abstain" and Vote.objects.count() == 1


def test_a_trustee_cannot_vote_as_another(api_as, session, trustees):
    vote(api_as, trustees[0], session, app_ids(session)[0], vote="approve",
         member=trustees[1].pk)
    assert Vote.objects.get().member == trustees[0]


@pytest.mark.parametrize("amount", ["0", "-1.00", "50000.01", "1.234", "abc", "1e400"])
def test_bad_amounts_are_a_400(api_as, session, trustees, amount):
    response = vote(api_as, trustees[0], session, app_ids(session)[0], vote="approve",
                    amount_usd=amount)
    assert response.status_code == 400 and "amount_usd" in response.json()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("body,field", [
    ({"vote": "maybe"}, "vote"),
    ({"vote": "decline"}, "feedback"),
    ({"vote": "abstain", "amount_usd": "100.00"}, "amount_usd"),
])
def test_bad_votes_are_a_400_by_field(api_as, session, trustees, body, field):
    response = vote(api_as, trustees[0], session, app_ids(session)[0], **body)
    assert response.status_code == 400 and field in response.json()


def test_an_application_off_the_agenda_is_a_400(api_as, session, trustees):
    response = vote(api_as, trustees[0], session, 999999, vote="approve")
    assert response.status_code == 400 and "application" in response.json()


def test_the_session_shows_tallies_and_who_voted_but_hides_votes_from_the_recused(
        api_as, session, trustees, chair):
    first = app_ids(session)[0]
    vote(api_as, trustees[0], session, first, vote="recuse")
    vote(api_as, trustees[1], session, first, vote="approve")
    recused = api_as(trustees[0]).get(url(session)).json()["agenda"][0]
    assert (recused["recused"], recused["votes"], recused["tally"]) == (True, None, None)
    seen = api_as(chair).get(url(session)).json()
    item = seen["agenda"][0]
    assert item["tally"]["approve"] == 1 and item["tally"]["recuse"] == 1
    assert item["tally"]["eligible"] == 4 and item["tally"]["needed"] == 3
    assert [v["vote"] for v in item["votes"]] == ["recuse", "approve"]
    assert {m["name"]: m["items_voted"] for m in seen["members"]}["trustee2"] == 1
    assert seen["is_chair"] is True and seen["budget"]["envelope_usd"] == "100000.00"


def test_closing_freezes_the_decisions_and_every_later_change_is_a_409(api_as, session,
                                                                        trustees, chair):
    first, second, reserve = app_ids(session)
    for user in (chair, trustees[0], trustees[1]):
        vote(api_as, user, session, first, vote="approve", amount_usd="42000.00")
        vote(api_as, user, session, second, vote="decline", feedback="Weak monitoring.")
    response = api_as(chair).post(url(session, "close/"), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed" and len(body["votes_hash"]) == 64
    assert body["votes_intact"] is True and body["approved_total_usd"] == "42000.00"
    assert [(i["decision"], i["approved_usd"]) for i in body["agenda"]] == [
        ("approved", "42000.00"), ("declined", None), ("deferred", None)]
    assert body["agenda"][1]["feedback"] == "Weak monitoring."

    late = vote(api_as, trustees[2], session, reserve, vote="approve")
    again = api_as(chair).post(url(session, "close/"), {}, format="json")
    amount = api_as(chair).post(url(session, "chair-amount/"), {
        "application": first, "amount_usd": "1.00", "reason": "x"}, format="json")
    assert [r.status_code for r in (late, again, amount)] == [409, 409, 409]
    assert "closed" in late.json()["detail"]
    verbs = [e.verb for e in audit_trail_for(session)]
    assert {"board.vote.refused", "board.session.close.refused",
            "board.chair_amount.refused"} <= set(verbs)


def test_the_budget_guard_blocks_closing_with_a_clear_409_until_the_chair_overrides(
        api_as, session, trustees, chair):
    for application in app_ids(session):  # 120,000 asked of a 100,000 envelope
        for user in (chair, trustees[0], trustees[1]):
            vote(api_as, user, session, application, vote="approve")
    before = api_as(chair).get(url(session)).json()["budget"]
    assert (before["total_usd"], before["overdraws"], before["problems"]) == (
        "120000.00", True, ["envelope"])
    blocked = api_as(chair).post(url(session, "close/"), {}, format="json")
    assert blocked.status_code == 409
    assert "USD 120,000.00" in blocked.json()["detail"]
    closed = api_as(chair).post(url(session, "close/"), {
        "override_reason": "Pledges due in Q1 cover the difference."}, format="json")
    assert closed.status_code == 200
    assert closed.json()["override_reason"].startswith("Pledges")


def test_the_list_is_filtered_and_paginated(api_as, secretariat, session):
    body = api_as(secretariat).get("/api/v1/board/sessions/?status=open").json()
    assert body["count"] == 1 and body["results"][0]["id"] == session.pk
    assert api_as(secretariat).get("/api/v1/board/sessions/?status=closed").json()["count"] == 0
    assert api_as(secretariat).get("/api/v1/board/sessions/?status=nope").status_code == 400
