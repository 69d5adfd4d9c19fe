"""API of cloning a call: POST /api/v1/calls/{id}/clone/ → 201 with the new draft."""

from datetime import timedelta
from decimal import Decimal

import pytest

from grants.models import Call, CallStatus, ReviewCriterion
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
NOT_SECRETARIAT = [("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
                   ("board_member", 403), ("donor", 403)]


@pytest.fixture
def source(db):
    call = CallFactory(number=8, eligible_countries=["NG", "KE"], blind_review=True,
                       review_weight=Decimal("0.60"), min_countries=4)
    ReviewCriterion.objects.create(call=call, code="relevance", name_en="Relevance",
                                   weight=Decimal("3"))
    return call


def body(source, number=9):
    year = timedelta(days=365)
    return {"number": number, "opens_at": (source.opens_at + year).isoformat(),
            "closes_at": (source.closes_at + year).isoformat()}


def url(call):
    return f"/api/v1/calls/{call.pk}/clone/"


def test_the_secretariat_clones_a_call(client_for, secretariat, source):
    response = client_for("secretariat").post(url(source), body(source), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == 9 and data["status"] == "draft" and data["id"] != source.pk
    assert data["eligible_countries"] == ["KE", "NG"]
    assert [(p["code"], p["weight"]) for p in data["priorities"]] == [
        ("armed-conflict", "1.00"), ("women-girls", "2.00")]
    assert data["max_grant_usd"] == "60000.00" and data["title_en"] == source.title_en
    clone = Call.objects.get(number=9)
    assert clone.blind_review and clone.min_countries == 4
    assert list(clone.review_criteria.values_list("code", flat=True)) == ["relevance"]


@pytest.mark.parametrize("role,expected", NOT_SECRETARIAT)
def test_only_the_secretariat_clones(client_for, everyone, source, role, expected):
    response = client_for(role).post(url(source), body(source), format="json")
    assert response.status_code == expected
    assert Call.objects.count() == 1


def test_a_draft_is_cloned_by_the_secretariat_and_hidden_from_others(client_for, everyone,
                                                                     secretariat):
    draft = CallFactory(status=CallStatus.DRAFT)
    assert client_for("secretariat").post(url(draft), body(draft), format="json"
                                          ).status_code == 201


def test_an_unknown_call_is_a_404(client_for, secretariat, source):
    response = client_for("secretariat").post("/api/v1/calls/999999/clone/", body(source),
                                              format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("changes,field", [
    ({"number": 8}, "number"),
    ({"number": 0}, "number"),
    ({"number": "nine"}, "number"),
    ({"closes_at": "2001-01-01T00:00:00Z"}, "closes_at"),
    ({"opens_at": "not a date"}, "opens_at"),
])
def test_bad_input_is_a_400_naming_the_field(client_for, secretariat, source, changes, field):
    response = client_for("secretariat").post(url(source), body(source) | changes,
                                              format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Call.objects.count() == 1
