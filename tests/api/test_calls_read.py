from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "ngo", "other_ngo", "secretariat", "reviewer", "board_member", "donor"]


def numbers(response) -> set[int]:
    return {row["number"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_published_calls_and_only_the_secretariat_sees_drafts(
        client_for, everyone, open_call, draft_call, role):
    response = client_for(role).get("/api/v1/calls/")
    assert response.status_code == 200
    expected = {open_call.number, draft_call.number} if role == "secretariat" else {
        open_call.number}
    assert numbers(response) == expected


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 404), ("ngo", 404), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_a_draft_call_is_hidden_from_all_but_the_secretariat(
        client_for, everyone, draft_call, role, expected):
    assert client_for(role).get(f"/api/v1/calls/{draft_call.pk}/").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_a_published_call(client_for, everyone, open_call, role):
    assert client_for(role).get(f"/api/v1/calls/{open_call.pk}/").status_code == 200


def test_a_call_shows_its_terms_with_money_as_two_decimal_strings(api, open_call):
    data = api.get(f"/api/v1/calls/{open_call.pk}/").json()
    assert data["number"] == open_call.number
    assert data["title"] == open_call.title_en
    assert data["status"] == "published" and data["is_open"] is True
    assert data["envelope_usd"] == "1000000.00"
    assert (data["min_grant_usd"], data["max_grant_usd"]) == ("20000.00", "60000.00")
    assert data["max_duration_months"] == 24
    assert data["required_documents"] == ["registration_certificate"]
    assert data["eligible_countries"] == []
    assert data["priorities"][1] == {"code": "women-girls", "name": "Women and girls",
                                     "name_en": "Women and girls", "name_fr": "",
                                     "weight": "2.00"}
    assert data["closes_at"].endswith("Z")


def test_a_published_call_past_its_deadline_reads_closed(api, past_deadline_call):
    data = api.get(f"/api/v1/calls/{past_deadline_call.pk}/").json()
    assert data["status"] == "closed"
    assert data["is_open"] is False


def test_status_filter_uses_the_status_people_see(api, open_call, past_deadline_call):
    assert numbers(api.get("/api/v1/calls/?status=published")) == {open_call.number}
    assert numbers(api.get("/api/v1/calls/?status=closed")) == {past_deadline_call.number}


def test_an_unknown_status_filter_is_a_400(api, open_call):
    response = api.get("/api/v1/calls/?status=bogus")
    assert response.status_code == 400
    assert "status" in response.json()


def test_calls_can_be_ordered_by_deadline(api, db):
    late = CallFactory(closes_at=timezone.now() + timedelta(days=400))
    soon = CallFactory()
    rows = api.get("/api/v1/calls/?ordering=closes_at").json()["results"]
    assert [r["number"] for r in rows] == [soon.number, late.number]


def test_the_title_follows_the_readers_language(api, open_call):
    data = api.get(f"/api/v1/calls/{open_call.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert data["title"] == open_call.title_fr
    assert data["title_en"] == open_call.title_en


def test_an_unknown_call_is_a_404(api, db):
    response = api.get("/api/v1/calls/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
