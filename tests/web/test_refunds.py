"""The grant page's refunds: recorded once by the secretariat, listed for the organisation,
refused with field errors, absent for those who may not see the grant; the portfolio's
refunded column and its query budget."""

from decimal import Decimal

import pytest

from grants.models import Refund
from grants.services.implementation import disbursement_record
from grants.services.refunds import refund_record
from tests.grants.implementation.helpers import active_grant, today
from tests.queries import queries_for_get

from .conftest import CONFIRMED


def ok(response, status=302):
    assert response.status_code == status, response.content[:2000]
    return response


@pytest.fixture
def grant(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P-1")
    return grant


def form(client, grant):
    body = ok(client.get(f"/grants/{grant.pk}/implementation/"), 200).content.decode()
    token = body.split('name="refund-form_token" value="', 1)[1].split('"', 1)[0]
    return {"refund-amount_usd": "3412.50", "refund-received_on": today().isoformat(),
            "refund-reference": "FT-0042", "refund-note": "Unspent shelter budget",
            "refund-form_token": token, **CONFIRMED}


def test_the_secretariat_records_a_refund_once_and_the_organisation_sees_it(
        login, grant, ngo, secretariat):
    client = login(secretariat)
    data = form(client, grant)
    ok(client.post(f"/grants/{grant.pk}/refunds/", data))
    ok(client.post(f"/grants/{grant.pk}/refunds/", data))  # sent twice: recorded once
    assert Refund.objects.count() == 1
    body = ok(login(ngo).get(f"/grants/{grant.pk}/implementation/"), 200).content.decode()
    assert "FT-0042" in body and "Refunds of unspent funds" in body
    assert "Record a refund" not in body


def test_errors_land_on_the_form(login, grant, secretariat):
    client = login(secretariat)
    data = form(client, grant) | {"refund-amount_usd": "40000.01"}
    body = ok(client.post(f"/grants/{grant.pk}/refunds/", data), 400).content.decode()
    assert "Above what was paid and not yet refunded" in body
    refund_record(actor=secretariat, grant=grant, amount_usd="1.00", received_on=today(),
                  reference="FT-0042")
    data = form(client, grant)
    body = ok(client.post(f"/grants/{grant.pk}/refunds/", data), 400).content.decode()
    assert "already recorded" in body
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("who", ["ngo", "other_ngo", "board_member", "reviewer", "donor"])
def test_only_the_secretariat_records(request, login, grant, who):
    client = login(request.getfixturevalue(who))
    response = client.post(f"/grants/{grant.pk}/refunds/", {
        "refund-amount_usd": "1.00", "refund-received_on": today().isoformat(),
        "refund-reference": "X", **CONFIRMED})
    assert response.status_code == 403 and not Refund.objects.exists()


def test_another_organisation_does_not_see_the_grant_s_refunds(login, grant, other_ngo):
    assert login(other_ngo).get(f"/grants/{grant.pk}/implementation/").status_code == 404


def test_the_portfolio_shows_refunded_and_costs_the_same_for_many_grants(
        login, grant, organisation, ngo, secretariat):
    refund_record(actor=secretariat, grant=grant, amount_usd="3412.50", received_on=today(),
                  reference="FT-1")
    client = login(secretariat)
    body = ok(client.get("/grants/portfolio/"), 200).content.decode()
    assert "Refunded" in body and "3,412.50" in body
    few = queries_for_get(client, "/grants/portfolio/")
    for i in range(6):
        other = active_grant(organisation, ngo, secretariat)
        disbursement_record(actor=secretariat, grant=other,
                            tranche=other.tranches.get(position=1), paid_on=today(),
                            amount_usd=Decimal("100.00"), reference=f"P-{i + 2}")
        refund_record(actor=secretariat, grant=other, amount_usd="10.00",
                      received_on=today(), reference=f"FT-{i + 2}")
    assert queries_for_get(client, "/grants/portfolio/") == few
