"""GET/POST /api/v1/grants/{id}/refunds/: who reads, who records, the 400s, once per
Idempotency-Key, and a flat query count."""

from decimal import Decimal

import pytest

from grants.models import Refund
from grants.services.implementation import disbursement_record
from grants.services.refunds import refund_record
from tests.grants.implementation.helpers import active_grant, today
from tests.queries import queries_for_get


@pytest.fixture
def grant(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="PAY-1")
    return grant


@pytest.fixture
def people(ngo, other_ngo, secretariat, board_member, reviewer, donor):
    return {"ngo": ngo, "other_ngo": other_ngo, "secretariat": secretariat,
            "board": board_member, "reviewer": reviewer, "donor": donor, "anonymous": None}


def body(reference="FT-0042", amount="3412.50", **extra):
    return {"amount_usd": amount, "received_on": today().isoformat(), "reference": reference,
            **extra}


READ = {"ngo": 200, "other_ngo": 404, "secretariat": 200, "board": 200, "reviewer": 403,
        "donor": 404, "anonymous": 401}
WRITE = {"ngo": 403, "other_ngo": 403, "secretariat": 201, "board": 403, "reviewer": 403,
         "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", READ)
def test_reading_refunds(api_as, people, grant, secretariat, who):
    refund_record(actor=secretariat, grant=grant, amount_usd="100.00", received_on=today(),
                  reference="FT-1")
    response = api_as(people[who]).get(f"/api/v1/grants/{grant.pk}/refunds/")
    assert response.status_code == READ[who]
    if READ[who] == 200:
        row = response.json()[0]
        assert row["amount_usd"] == "100.00" and row["reference"] == "FT-1"
        assert row["recorded_by"] == "sec" and row["recorded_at"]


@pytest.mark.parametrize("who", WRITE)
def test_only_the_secretariat_records_a_refund(api_as, people, grant, who):
    response = api_as(people[who]).post(f"/api/v1/grants/{grant.pk}/refunds/", body(),
                                        format="json")
    assert response.status_code == WRITE[who]
    assert Refund.objects.count() == (1 if WRITE[who] == 201 else 0)


def test_over_refund_and_duplicate_reference_are_400(api_as, secretariat, grant):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/refunds/"
    too_much = client.post(url, body(amount="40000.01"), format="json")
    assert too_much.status_code == 400 and "amount_usd" in too_much.json()
    assert client.post(url, body(amount="-1"), format="json").status_code == 400
    future = client.post(url, body(received_on="2999-01-01"), format="json")
    assert future.status_code == 400 and "received_on" in future.json()
    assert client.post(url, body(note="Unspent shelter budget"), format="json").status_code == 201
    again = client.post(url, body(amount="1.00"), format="json")
    assert again.status_code == 400 and "reference" in again.json()
    listed = client.get(url).json()
    assert [r["note"] for r in listed] == ["Unspent shelter budget"]
    assert client.get(f"/api/v1/grants/{grant.pk}/").json()["refunded_usd"] == "3412.50"


def test_a_grant_never_paid_is_409(api_as, secretariat, organisation, ngo):
    unpaid = active_grant(organisation, ngo, secretariat)
    response = api_as(secretariat).post(f"/api/v1/grants/{unpaid.pk}/refunds/", body(),
                                        format="json")
    assert response.status_code == 409


def test_the_same_idempotency_key_records_once(api_as, secretariat, grant):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/refunds/"
    first = client.post(url, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == second.json()
    assert Refund.objects.count() == 1


def test_the_refunds_list_costs_the_same_for_few_or_many(api_as, secretariat, grant):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/refunds/"
    refund_record(actor=secretariat, grant=grant, amount_usd="10.00", received_on=today(),
                  reference="R-0")
    few = queries_for_get(client, url)
    for i in range(1, 12):
        refund_record(actor=secretariat, grant=grant, amount_usd="10.00", received_on=today(),
                      reference=f"R-{i}")
    assert queries_for_get(client, url) == few <= 12
