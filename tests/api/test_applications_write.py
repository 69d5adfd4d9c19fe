import json
from decimal import Decimal

import pytest

from grants.models import Application, ApplicationStatus, CallStatus
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"


def full_body(call) -> dict:
    return {
        "call": call.pk, "title": "Safe homes for survivors", "summary": "Shelter and legal aid.",
        "countries": ["ng", "GH"], "requested_usd": "50000.00", "duration_months": 18,
        "start_date": "2030-01-15", "services": ["shelter", "legal"],
        "beneficiaries": {"women": 60, "girls": 30},
        "budget_lines": [
            {"category": "shelter", "description": "Rent", "amount": "30000.00"},
            {"category": "personnel", "amount": "20000"},
        ],
        "priorities": ["women-girls"],
        "priority_justifications": {"women-girls": "All residents are women and girls."},
    }


def test_an_ngo_starts_a_draft_with_every_field(client_for, ngo, organisation, open_call):
    response = client_for("ngo").post(URL, full_body(open_call), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["organisation"] == organisation.pk
    assert data["countries"] == ["GH", "NG"]
    assert data["budget_total"] == "50000.00"
    assert data["beneficiaries"] == {"women": 60, "girls": 30, "men": 0, "boys": 0}
    assert data["priority_justifications"] == {
        "women-girls": "All residents are women and girls."}
    assert data["missing"] == {"attachments": [
        "Attach the required document: Registration certificate"]}


def test_a_draft_can_start_nearly_empty(client_for, ngo, open_call):
    response = client_for("ngo").post(URL, {"call": open_call.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == ""


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 201), ("other_ngo", 201), ("secretariat", 403),
    ("reviewer", 403), ("board_member", 403), ("donor", 403),
])
def test_only_ngo_users_start_drafts(client_for, everyone, open_call, role, expected):
    response = client_for(role).post(URL, {"call": open_call.pk, "title": "T"}, format="json")
    assert response.status_code == expected
    assert Application.objects.count() == (1 if expected == 201 else 0)


def test_a_draft_for_a_closed_call_is_a_conflict(client_for, ngo, past_deadline_call):
    response = client_for("ngo").post(URL, {"call": past_deadline_call.pk}, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize("call", ["missing", "draft", 999999, "abc"])
def test_a_missing_hidden_or_unknown_call_is_a_400(client_for, ngo, draft_call, call):
    body = {} if call == "missing" else {"call": draft_call.pk if call == "draft" else call}
    response = client_for("ngo").post(URL, body, format="json")
    assert response.status_code == 400
    assert "call" in response.json()


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 403),
    ("reviewer", 403), ("board_member", 403), ("donor", 403),
])
def test_only_the_organisations_users_edit_its_draft(
        client_for, everyone, draft, role, expected):
    response = client_for(role).patch(f"{URL}{draft.pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == expected
    draft.refresh_from_db()
    assert (draft.title == "Changed") == (expected == 200)


def test_a_patch_changes_only_what_it_sends(client_for, ngo, complete_draft):
    response = client_for("ngo").patch(f"{URL}{complete_draft.pk}/",
                                       {"summary": "New summary"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["summary"] == "New summary"
    assert data["title"] == complete_draft.title
    assert data["requested_usd"] == "50000.00" and len(data["budget_lines"]) == 2
    assert data["priority_justifications"] == {
        "armed-conflict": "Most of our clients fled conflict."}


def test_changing_priority_codes_keeps_saved_justifications(client_for, ngo, complete_draft):
    response = client_for("ngo").patch(f"{URL}{complete_draft.pk}/",
                                       {"priorities": ["armed-conflict", "women-girls"]},
                                       format="json")
    assert response.json()["priority_justifications"] == {
        "armed-conflict": "Most of our clients fled conflict.", "women-girls": ""}
    assert "priorities" in response.json()["missing"]


def test_justifying_a_priority_alone_adds_it(client_for, ngo, complete_draft):
    response = client_for("ngo").patch(
        f"{URL}{complete_draft.pk}/",
        {"priority_justifications": {"women-girls": "Mostly girls."}}, format="json")
    assert response.json()["priorities"] == ["armed-conflict", "women-girls"]


def test_an_empty_priority_list_removes_every_claim(client_for, ngo, complete_draft):
    response = client_for("ngo").patch(f"{URL}{complete_draft.pk}/", {"priorities": []},
                                       format="json")
    assert response.json()["priorities"] == []


def test_a_submitted_application_can_no_longer_be_edited(client_for, ngo, submitted):
    response = client_for("ngo").patch(f"{URL}{submitted.pk}/", {"title": "Late"},
                                       format="json")
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.title != "Late"


def test_applications_are_never_deleted_or_replaced(client_for, ngo, draft):
    client = client_for("ngo")
    assert client.delete(f"{URL}{draft.pk}/").status_code == 405
    assert client.put(f"{URL}{draft.pk}/", {"title": "x"}, format="json").status_code == 405
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_writable_status_is_ignored(client_for, ngo, draft):
    client_for("ngo").patch(f"{URL}{draft.pk}/", {"status": "approved"}, format="json")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


BAD_INPUT = [
    ({"requested_usd": "10000.00"}, "requested_usd", "between USD 20,000.00 and USD 60,000.00"),
    ({"requested_usd": "90000.00"}, "requested_usd", "between USD 20,000.00 and USD 60,000.00"),
    ({"requested_usd": "25000.125"}, "requested_usd", "2 decimal places"),
    ({"requested_usd": "-25000.00"}, "requested_usd", "greater than zero"),
    ({"requested_usd": "lots"}, "requested_usd", "valid number"),
    ({"countries": ["XX"]}, "countries", "Unknown country code: XX"),
    ({"countries": "NG"}, "countries", "list"),
    ({"title": "t" * 100_000}, "title", "no more than 200 characters"),
    ({"duration_months": 36}, "duration_months", "Between 1 and 24 months"),
    ({"duration_months": -1}, "duration_months", "Between 1 and 24 months"),
    ({"start_date": "2030-02-30"}, "start_date", "wrong format"),
    ({"beneficiaries": {"women": -3}}, "beneficiaries", "greater than or equal to 0"),
    ({"services": ["tourism"]}, "services", "valid choice"),
    ({"budget_lines": [{"category": "shelter", "amount": "-10"}]}, "budget_lines",
     "greater than zero"),
    ({"budget_lines": [{"category": "yachts", "amount": "10"}]}, "budget_lines", "valid choice"),
    ({"priorities": ["space-travel"]}, "priorities", "Not a priority of this call: space-travel"),
    ({"priorities": ["women-girls"], "priority_justifications": {"armed-conflict": "x"}},
     "priority_justifications", "not selected: armed-conflict"),
    ({"priority_justifications": {"p" * 100_000: "x"}}, "priority_justifications",
     "Not a priority code"),
    ({"priority_justifications": {"women-girls": "j" * 3001}}, "priority_justifications",
     "3000 characters"),
]


@pytest.mark.parametrize("changes,field,words", BAD_INPUT)
def test_bad_input_is_a_400_with_a_readable_message_and_nothing_saved_is_lost(
        client_for, ngo, complete_draft, changes, field, words):
    before = client_for("ngo").get(f"{URL}{complete_draft.pk}/").json()
    response = client_for("ngo").patch(f"{URL}{complete_draft.pk}/",
                                       {"summary": "Should not be saved"} | changes,
                                       format="json")
    assert response.status_code == 400
    assert words in json.dumps(response.json()[field]), response.json()
    after = client_for("ngo").get(f"{URL}{complete_draft.pk}/").json()
    assert after == before


@pytest.mark.parametrize("body", ['{"title": "Unclosed', "[]", '"just a string"', "null"])
def test_malformed_or_non_object_json_is_a_400(client_for, ngo, draft, body):
    response = client_for("ngo").patch(f"{URL}{draft.pk}/", body,
                                       content_type="application/json")
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title.startswith("Shelter and legal aid project")


def test_an_out_of_range_amount_on_creation_saves_nothing(client_for, ngo, open_call):
    response = client_for("ngo").post(URL, full_body(open_call) | {"requested_usd": "5.00"},
                                      format="json")
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_only_countries_eligible_for_the_call_are_accepted(client_for, ngo):
    call = CallFactory(eligible_countries=["NG"], status=CallStatus.PUBLISHED)
    response = client_for("ngo").post(URL, {"call": call.pk, "countries": ["FR"]}, format="json")
    assert response.status_code == 400
    assert "not eligible" in str(response.json()["countries"])


def test_the_amount_is_stored_exactly(client_for, ngo, draft):
    client_for("ngo").patch(f"{URL}{draft.pk}/", {"requested_usd": "33333.33"}, format="json")
    draft.refresh_from_db()
    assert draft.requested_usd == Decimal("33333.33")
