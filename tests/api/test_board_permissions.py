"""Who may do what on every board endpoint, for every role (seated or not, Chair or not)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.grants.board.helpers import meeting, recommended_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("funded")]
OUTSIDERS = [("anonymous", 401), ("ngo", 403), ("reviewer", 403), ("donor", 403)]
READERS = [("secretariat", 200), ("board_member", 200), ("trustee", 200), ("chair", 200)]


@pytest.fixture
def session(everyone, seated, secretariat):
    return meeting(recommended_call(), secretariat)


def url(session, action=""):
    return f"/api/v1/board/sessions/{session.pk}/{action}"


def vote_body(session, vote="approve"):
    return {"application": session.items.first().application_id, "vote": vote}


@pytest.mark.parametrize("role,expected", OUTSIDERS + READERS)
def test_listing_sessions(client_for, session, role, expected):
    assert client_for(role).get("/api/v1/board/sessions/").status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + READERS)
def test_reading_a_session(client_for, session, role, expected):
    assert client_for(role).get(url(session)).status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 201), ("board_member", 403), ("trustee", 403), ("chair", 403)])
def test_creating_a_session(client_for, everyone, seated, role, expected):
    call = recommended_call()
    response = client_for(role).post("/api/v1/board/sessions/", {
        "call": call.pk, "kind": "meeting", "meeting_date": timezone.localdate().isoformat()},
        format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 403), ("board_member", 403), ("trustee", 200), ("chair", 200)])
def test_voting(client_for, session, role, expected):
    response = client_for(role).post(url(session, "votes/"), vote_body(session), format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 403), ("board_member", 403), ("trustee", 403), ("chair", 200)])
def test_closing(client_for, session, role, expected):
    assert client_for(role).post(url(session, "close/"), {}, format="json").status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 403), ("board_member", 403), ("trustee", 403), ("chair", 200)])
def test_setting_the_chairs_amount(client_for, session, role, expected):
    body = {"application": session.items.first().application_id, "amount_usd": "1000.00",
            "reason": "Agreed in the meeting."}
    response = client_for(role).post(url(session, "chair-amount/"), body, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 409), ("board_member", 403), ("trustee", 403), ("chair", 403)])
def test_offering_to_the_reserve(client_for, session, role, expected):
    body = {"call": session.call_id,
            "closes_at": (timezone.now() + timedelta(days=3)).isoformat()}
    response = client_for(role).post("/api/v1/board/sessions/offer-reserve/", body,
                                     format="json")
    assert response.status_code == expected  # 409: the session on the call is still open


@pytest.mark.parametrize("role,expected", OUTSIDERS + READERS)
def test_listing_memberships(client_for, session, role, expected):
    assert client_for(role).get("/api/v1/board/members/").status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 201), ("board_member", 403), ("trustee", 403), ("chair", 403)])
def test_adding_a_seat(client_for, session, board_member, role, expected):
    body = {"user": board_member.pk, "role": "member",
            "term_start": timezone.localdate().isoformat()}
    assert client_for(role).post("/api/v1/board/members/", body,
                                 format="json").status_code == expected


@pytest.mark.parametrize("role,expected", OUTSIDERS + [
    ("secretariat", 200), ("board_member", 403), ("trustee", 403), ("chair", 403)])
def test_ending_a_term(client_for, session, trustee, role, expected):
    seat = trustee.board_memberships.get()
    body = {"term_end": (timezone.localdate() + timedelta(days=30)).isoformat()}
    assert client_for(role).patch(f"/api/v1/board/members/{seat.pk}/", body,
                                  format="json").status_code == expected
