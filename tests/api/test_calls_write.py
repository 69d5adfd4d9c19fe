from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import Call, CallStatus
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/calls/"
NOT_SECRETARIAT = [("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
                   ("board_member", 403), ("donor", 403)]


def new_call(**changes) -> dict:
    now = timezone.now()
    body = {
        "number": 42, "title_en": "Eighth global call", "title_fr": "Huitième appel mondial",
        "description_en": "Direct assistance to victims.",
        "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=30)).isoformat(),
        "envelope_usd": "1200000.00", "min_grant_usd": "20000.00", "max_grant_usd": "60000",
        "max_duration_months": 24, "required_documents": ["registration_certificate"],
        "eligible_countries": ["ng", "KE"],
        "priorities": [{"code": "armed-conflict", "name_en": "Armed conflict", "weight": "2"},
                       {"code": "women-girls", "name_en": "Women and girls",
                        "name_fr": "Femmes et filles"}],
    }
    return body | changes


def test_the_secretariat_creates_a_draft_call_with_its_priorities(client_for, secretariat):
    response = client_for("secretariat").post(URL, new_call(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["is_open"] is False
    assert data["max_grant_usd"] == "60000.00"
    assert data["eligible_countries"] == ["KE", "NG"]
    assert [(p["code"], p["weight"]) for p in data["priorities"]] == [
        ("armed-conflict", "2.00"), ("women-girls", "1.00")]
    assert Call.objects.get(number=42).created_by == secretariat


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_creates_calls(client_for, everyone, role, expected):
    assert client_for(role).post(URL, new_call(), format="json").status_code == expected
    assert not Call.objects.exists()


@pytest.mark.parametrize("changes,field,words", [
    ({"envelope_usd": "1000.555"}, "envelope_usd", "2 decimal places"),
    ({"min_grant_usd": "-5.00"}, "min_grant_usd", "greater than zero"),
    ({"eligible_countries": ["ZZ"]}, "eligible_countries", "Unknown country code: ZZ"),
    ({"title_en": "x" * 100_000}, "title_en", "200 characters"),
    ({"max_grant_usd": "10000.00"}, "max_grant_usd", "below the minimum"),
    ({"closes_at": "2000-01-01T00:00:00Z"}, "closes_at", "close after it opens"),
    ({"required_documents": ["passport"]}, "required_documents", "valid choice"),
    ({"number": "seven"}, "number", "valid integer"),
    ({"priorities": [{"code": "a b", "name_en": "x"}]}, "priorities", "letters"),
])
def test_bad_call_input_is_a_400_naming_the_field(client_for, secretariat, changes, field,
                                                  words):
    response = client_for("secretariat").post(URL, new_call(**changes), format="json")
    assert response.status_code == 400
    assert words in str(response.json()[field])
    assert not Call.objects.exists()


def test_a_duplicate_number_is_a_400(client_for, secretariat, open_call):
    response = client_for("secretariat").post(URL, new_call(number=open_call.number),
                                              format="json")
    assert response.status_code == 400
    assert "number" in response.json()


def test_malformed_json_is_a_400(client_for, secretariat):
    response = client_for("secretariat").post(URL, '{"number": 4', content_type="application/json")
    assert response.status_code == 400


def test_the_secretariat_changes_part_of_a_draft(client_for, secretariat, draft_call):
    response = client_for("secretariat").patch(
        f"{URL}{draft_call.pk}/", {"title_fr": "Nouveau titre", "max_grant_usd": "55000.50"},
        format="json")
    assert response.status_code == 200, response.json()
    draft_call.refresh_from_db()
    assert draft_call.title_fr == "Nouveau titre"
    assert str(draft_call.max_grant_usd) == "55000.50"
    assert draft_call.title_en.startswith("Call for proposals")


def test_a_bad_change_keeps_what_was_saved(client_for, secretariat, draft_call):
    before = (draft_call.title_en, draft_call.max_grant_usd)
    response = client_for("secretariat").patch(
        f"{URL}{draft_call.pk}/", {"title_en": "Kept?", "max_grant_usd": "1.001"}, format="json")
    assert response.status_code == 400
    draft_call.refresh_from_db()
    assert (draft_call.title_en, draft_call.max_grant_usd) == before


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_changes_calls(client_for, everyone, open_call, role, expected):
    response = client_for(role).patch(f"{URL}{open_call.pk}/", {"title_en": "Hijacked"},
                                      format="json")
    assert response.status_code == expected
    open_call.refresh_from_db()
    assert open_call.title_en != "Hijacked"


def test_a_closed_call_can_no_longer_be_changed(client_for, secretariat):
    call = CallFactory(status=CallStatus.CLOSED)
    response = client_for("secretariat").patch(f"{URL}{call.pk}/", {"title_en": "Late"},
                                               format="json")
    assert response.status_code == 409


def test_calls_cannot_be_deleted_or_replaced(client_for, secretariat, draft_call):
    client = client_for("secretariat")
    assert client.delete(f"{URL}{draft_call.pk}/").status_code == 405
    assert client.put(f"{URL}{draft_call.pk}/", new_call(), format="json").status_code == 405


def test_the_secretariat_publishes_a_draft(client_for, secretariat, draft_call):
    response = client_for("secretariat").post(f"{URL}{draft_call.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["is_open"] is True


def test_publishing_twice_is_a_conflict(client_for, secretariat, open_call):
    response = client_for("secretariat").post(f"{URL}{open_call.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["detail"]


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_publishes(client_for, everyone, draft_call, role, expected):
    assert client_for(role).post(f"{URL}{draft_call.pk}/publish/").status_code == expected
    draft_call.refresh_from_db()
    assert draft_call.status == CallStatus.DRAFT


def test_the_secretariat_closes_an_open_call(client_for, secretariat, open_call):
    response = client_for("secretariat").post(f"{URL}{open_call.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert client_for("secretariat").post(f"{URL}{open_call.pk}/close/").status_code == 409


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_closes(client_for, everyone, open_call, role, expected):
    assert client_for(role).post(f"{URL}{open_call.pk}/close/").status_code == expected
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.PUBLISHED


def test_actions_on_an_unknown_call_are_404(client_for, secretariat):
    assert client_for("secretariat").post(f"{URL}999999/publish/").status_code == 404
