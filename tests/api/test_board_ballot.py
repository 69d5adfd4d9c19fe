"""POST /api/v1/board/sessions/{id}/ballot/: every vote of a member at once, or none."""

import pytest

from grants.models import Vote
from grants.services.board import board_session_close
from tests.grants.board.helpers import meeting, recommended_call, vote_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]


@pytest.fixture
def session(everyone, seated, secretariat):
    return meeting(recommended_call(), secretariat)


def url(session):
    return f"/api/v1/board/sessions/{session.pk}/ballot/"


def ballot(session):
    first, second, reserve = session.items.all()
    return {"votes": [
        {"application": first.application_id, "vote": "approve", "amount_usd": "45000.00",
         "conditions": "Quarterly visits."},
        {"application": second.application_id, "vote": "abstain"},
        {"application": reserve.application_id, "vote": "decline",
         "feedback": "The recommended portfolio uses the envelope."},
    ]}


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 403), ("reviewer", 403), ("donor", 403),
    ("secretariat", 403), ("board_member", 403), ("trustee", 200), ("chair", 200)])
def test_who_submits_a_ballot(client_for, session, role, expected):
    response = client_for(role).post(url(session), ballot(session), format="json")
    assert response.status_code == expected
    assert Vote.objects.count() == (3 if expected == 200 else 0)


def test_the_ballot_records_every_vote_and_answers_them(api_as, session, trustee):
    response = api_as(trustee).post(url(session), ballot(session), format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["session"], body["changed"]) == (session.pk, 3)
    sent = {v["application"]: v["vote"] for v in ballot(session)["votes"]}
    assert {v["application"]: v["vote"] for v in body["votes"]} == sent
    assert body["votes"][0]["amount_usd"] == "45000.00"
    assert Vote.objects.filter(member=trustee).count() == 3


def test_a_bad_row_is_a_400_naming_it_and_nothing_is_recorded(api_as, session, trustee):
    body = ballot(session)
    body["votes"][2]["feedback"] = ""
    bad = body["votes"][2]["application"]
    response = api_as(trustee).post(url(session), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["votes"]) == [str(bad)]
    assert "feedback" in response.json()["votes"][str(bad)]
    assert not Vote.objects.exists()


@pytest.mark.parametrize("row,key", [
    ({"application": 999999, "vote": "approve"}, "999999"),
    ({"application": "x", "vote": "approve"}, "#4"),
    ({"vote": "approve"}, "#4"),
    ({"application": 1, "vote": "yes please"}, "1"),
    ({"application": 1, "vote": "approve", "amount_usd": "12.345"}, "1"),
])
def test_malformed_rows_are_named(api_as, session, trustee, row, key):
    body = ballot(session)
    body["votes"].append(row)
    response = api_as(trustee).post(url(session), body, format="json")
    assert response.status_code == 400
    assert key in response.json()["votes"]
    assert not Vote.objects.exists()


@pytest.mark.parametrize("body", [{}, {"votes": []}, {"votes": "all approve"}, [1, 2]])
def test_a_ballot_without_rows_is_a_400(api_as, session, trustee, body):
    response = api_as(trustee).post(url(session), body, format="json")
    assert response.status_code == 400 and "votes" in response.json()


def test_an_unknown_session_is_a_404(api_as, session, trustee):
    response = api_as(trustee).post("/api/v1/board/sessions/999999/ballot/", ballot(session),
                                    format="json")
    assert response.status_code == 404


def test_a_closed_session_is_a_409(api_as, session, chair, trustees):
    vote_all(session, [chair, *trustees[:2]])
    board_session_close(actor=chair, session=session)
    response = api_as(trustees[3]).post(url(session), ballot(session), format="json")
    assert response.status_code == 409
    assert not Vote.objects.filter(member=trustees[3]).exists()


def test_the_schema_documents_the_ballot(api_as, secretariat):
    schema = api_as(secretariat).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/board/sessions/{id}/ballot/" in text
    assert "BallotError" in text and "BallotVote" in text
