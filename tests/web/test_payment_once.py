"""A payment is recorded once: the payment form's one-time token and the API's
Idempotency-Key (retries and double clicks replay, they do not pay twice)."""

import re

import pytest
from django.urls import reverse

from grants.models import Disbursement
from tests.grants.implementation.helpers import active_grant, today

from .conftest import CONFIRMED

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


def _payment(reference="WIRE-1", amount="1000.00"):
    return {"tranche": "1", "paid_on": today().isoformat(), "amount_usd": amount,
            "reference": reference}


def test_the_payment_form_posted_twice_records_one_payment(login, grant, secretariat):
    client = login(secretariat)
    page = client.get(reverse("grants:grant-implementation", args=[grant.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    url = reverse("grants:grant-payment", args=[grant.pk])
    data = {**_payment(), **CONFIRMED, "form_token": token}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "reference": "WIRE-2"}, follow=True)
    assert "already recorded" in again.content.decode()
    assert list(Disbursement.objects.values_list("reference", flat=True)) == ["WIRE-1"]


def test_a_payment_key_replays_and_a_changed_body_is_422(api_as, grant, secretariat):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/disbursements/"
    first = client.post(url, _payment(), format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = client.post(url, _payment(), format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    other = client.post(url, _payment(amount="2.00"), format="json",
                        HTTP_IDEMPOTENCY_KEY="pay-1")
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.json() == first.json()
    assert Disbursement.objects.count() == 1


def test_reading_payments_ignores_the_key(api_as, grant, secretariat):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/disbursements/"
    client.post(url, _payment(), format="json", HTTP_IDEMPOTENCY_KEY="pay-2")
    listed = client.get(url, HTTP_IDEMPOTENCY_KEY="pay-2")
    assert listed.status_code == 200 and len(listed.json()) == 1
