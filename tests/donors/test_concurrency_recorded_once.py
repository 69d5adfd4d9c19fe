"""Twenty identical posts at once record one contribution (PostgreSQL: unique claims, locks)."""

import re
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from donors.models import Contribution
from grants.models import Disbursement
from tests.concurrency import run_together
from tests.conftest import MODEL_BACKEND
from tests.grants.implementation.helpers import active_grant, today

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

COUNT = 20
BODY = {"amount": "250.00", "currency": "USD", "received_on": "2024-05-02"}


def at_once(work, count: int) -> list:
    """Run ``work(i)`` in ``count`` threads released together; return their results."""
    return run_together([partial(work, i) for i in range(count)])


def _api(user):
    from fundapp.accounts.services import token_create

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user)[1]}")
    return client


def test_twenty_posts_with_one_idempotency_key_record_one_row_and_answer_alike(
        sweden, secretariat):
    clients = [_api(secretariat) for _ in range(COUNT)]
    results = at_once(lambda i: clients[i].post(
        "/api/v1/contributions/", BODY | {"donor": sweden.pk}, format="json",
        HTTP_IDEMPOTENCY_KEY="double-click"), COUNT)
    assert [r.status_code for r in results] == [201] * COUNT
    assert len({r.json()["id"] for r in results}) == 1
    assert Contribution.objects.count() == 1


def test_twenty_posts_without_a_key_record_one_row_and_ask_to_confirm_the_rest(
        sweden, secretariat):
    clients = [_api(secretariat) for _ in range(COUNT)]
    results = at_once(lambda i: clients[i].post(
        "/api/v1/contributions/", BODY | {"donor": sweden.pk}, format="json"), COUNT)
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (COUNT - 1)
    first = Contribution.objects.get()
    assert {r.json()["duplicate_of"]["id"] for r in results if r.status_code == 409} == {
        first.pk}


def test_five_posts_of_one_web_form_record_one_row(sweden, secretariat):
    clients = [Client() for _ in range(5)]
    for c in clients:
        c.force_login(secretariat, backend=MODEL_BACKEND)
    page = clients[0].get("/funding/contributions/new/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = BODY | {"donor": sweden.pk, "earmarking": "unearmarked", "form_token": token,
                   "confirm_duplicate": "on"}
    results = at_once(lambda i: clients[i].post("/funding/contributions/new/", data), 5)
    assert [r.status_code for r in results] == [302] * 5
    assert Contribution.objects.count() == 1
    assert {r["Location"] for r in results} == {
        f"/funding/contributions/{Contribution.objects.get().pk}/"}


def test_twenty_payments_with_one_key_record_one_disbursement(organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    clients = [_api(secretariat) for _ in range(COUNT)]
    body = {"tranche": 1, "paid_on": today().isoformat(), "amount_usd": "1000.00",
            "reference": "PAY-ONCE"}
    results = at_once(lambda i: clients[i].post(
        f"/api/v1/grants/{grant.pk}/disbursements/", body, format="json",
        HTTP_IDEMPOTENCY_KEY="pay-once"), COUNT)
    assert [r.status_code for r in results] == [201] * COUNT
    assert Disbursement.objects.filter(tranche__grant=grant).count() == 1
