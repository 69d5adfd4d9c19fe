"""Money recorded once: Idempotency-Key on the API, a one-time token in the forms, and a
confirmation before an identical contribution without a bank reference."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from donors.models import Contribution, Pledge
from fundapp.core.models import IdempotencyKey

from .factories import record

pytestmark = pytest.mark.django_db

URL = "/api/v1/contributions/"
BODY = {"donor": None, "amount": "500.00", "currency": "USD", "received_on": "2024-05-02"}


@pytest.fixture
def staff(api_as, secretariat):
    return api_as(secretariat)


@pytest.fixture
def body(sweden):
    return BODY | {"donor": sweden.pk}


def post(client, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, data, format="json", **headers)


# --- Idempotency-Key -------------------------------------------------------------------------


def test_the_same_key_and_body_returns_the_first_response_and_records_once(staff, body):
    first = post(staff, body, key="k-1")
    again = post(staff, body, key="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Contribution.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_records_nothing_more(staff, body):
    assert post(staff, body, key="k-2").status_code == 201
    response = post(staff, body | {"amount": "501.00"}, key="k-2")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Contribution.objects.count() == 1


def test_a_key_expires_after_a_day(staff, body):
    assert post(staff, body | {"bank_reference": "B-1"}, key="k-3").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(staff, body | {"bank_reference": "B-2"}, key="k-3")
    assert response.status_code == 201
    assert Contribution.objects.count() == 2


def test_keys_belong_to_their_user(api_as, staff, body, secretariat):
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", roles=["secretariat"])
    assert post(staff, body | {"bank_reference": "B-3"}, key="shared").status_code == 201
    response = post(api_as(colleague), body | {"bank_reference": "B-4"}, key="shared")
    assert response.status_code == 201
    assert Contribution.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(staff, body):
    assert post(staff, body | {"amount": "-1"}, key="k-4").status_code == 400
    assert post(staff, body, key="k-4").status_code == 201
    assert IdempotencyKey.objects.get(key="k-4").status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "bad\u0007key"])
def test_a_malformed_key_is_400(staff, body, key):
    response = post(staff, body, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_a_pledge_is_recorded_once_per_key(staff, sweden):
    data = {"donor": sweden.pk, "amount": "1000.00", "currency": "USD", "year_from": 2024,
            "pledged_on": "2024-01-10"}
    first = staff.post("/api/v1/pledges/", data, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = staff.post("/api/v1/pledges/", data, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Pledge.objects.count() == 1


def test_the_schema_documents_the_header_on_money_writes_only(staff):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    def has_header(path, method):
        params = schema["paths"][path][method].get("parameters", [])
        return any(p["name"] == "Idempotency-Key" for p in params)

    assert has_header("/api/v1/contributions/", "post")
    assert has_header("/api/v1/pledges/", "post")
    assert has_header("/api/v1/grants/{id}/disbursements/", "post")
    assert not has_header("/api/v1/grants/{id}/disbursements/", "get")


# --- The duplicate rule ----------------------------------------------------------------------


def test_an_identical_contribution_without_reference_is_409_naming_the_earlier_one(staff,
                                                                                  body):
    first = post(staff, body).json()
    response = post(staff, body)
    assert response.status_code == 409
    earlier = response.json()["duplicate_of"]
    assert earlier == {"id": first["id"], "received_on": "2024-05-02", "amount": "500.00",
                       "currency": "USD", "receipt_number": first["receipt_number"]}
    assert first["receipt_number"] in response.json()["detail"]
    assert Contribution.objects.count() == 1


def test_confirm_duplicate_records_the_second_payment(staff, body):
    post(staff, body)
    response = post(staff, body | {"confirm_duplicate": True})
    assert response.status_code == 201
    assert "confirm_duplicate" not in response.json()
    assert Contribution.objects.count() == 2


@pytest.mark.parametrize("change", [{"amount": "500.01"}, {"currency": "EUR",
                                                           "exchange_rate": "1.1"},
                                    {"received_on": "2024-05-03"},
                                    {"bank_reference": "OTHER-1"}])
def test_a_contribution_that_differs_or_has_a_reference_needs_no_confirmation(staff, body,
                                                                              change):
    post(staff, body)
    assert post(staff, body | change).status_code == 201


def test_another_donor_with_the_same_amount_needs_no_confirmation(staff, body, norway):
    post(staff, body)
    assert post(staff, body | {"donor": norway.pk}).status_code == 201


# --- Web forms -------------------------------------------------------------------------------

FORM_URL = "/funding/contributions/new/"


def _token(page) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert found, "the form carries a one-time token"
    return found.group(1)


def _form(sweden, token, **extra):
    return {"donor": sweden.pk, "amount": "700.00", "currency": "USD",
            "received_on": "2024-06-03", "earmarking": "unearmarked",
            "form_token": token} | extra


@pytest.fixture
def staff_web(login, secretariat):
    return login(secretariat)


def test_a_second_post_of_the_same_form_shows_already_recorded(staff_web, sweden):
    token = _token(staff_web.get(FORM_URL))
    first = staff_web.post(FORM_URL, _form(sweden, token))
    contribution = Contribution.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/funding/contributions/{contribution.pk}/"
    again = staff_web.post(FORM_URL, _form(sweden, token), follow=True)
    assert again.redirect_chain[0][0] == f"/funding/contributions/{contribution.pk}/"
    assert "already recorded" in again.content.decode()
    assert Contribution.objects.count() == 1


def test_each_showing_of_the_form_has_a_new_token(staff_web):
    assert _token(staff_web.get(FORM_URL)) != _token(staff_web.get(FORM_URL))


def test_an_expired_form_token_asks_to_send_again_with_a_new_one(staff_web, sweden,
                                                                 settings):
    token = _token(staff_web.get(FORM_URL))
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 0
    response = staff_web.post(FORM_URL, _form(sweden, token))
    assert response.status_code == 400
    assert "more than a day ago" in response.content.decode()
    assert _token(response) != token
    assert not Contribution.objects.exists()


def test_a_forged_token_is_refused(staff_web, sweden):
    response = staff_web.post(FORM_URL, _form(sweden, "made-up:token"))
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_the_form_warns_of_an_identical_contribution_and_records_it_when_confirmed(
        staff_web, sweden):
    earlier = record(sweden, "700.00", received_on=timezone.datetime(2024, 6, 3).date())
    token = _token(staff_web.get(FORM_URL))
    warned = staff_web.post(FORM_URL, _form(sweden, token))
    page = warned.content.decode()
    assert warned.status_code == 409
    assert earlier.receipt_number in page
    assert 'name="confirm_duplicate"' in page
    assert Contribution.objects.count() == 1
    confirmed = staff_web.post(FORM_URL, _form(sweden, _token(warned), confirm_duplicate="on"))
    assert confirmed.status_code == 302
    assert Contribution.objects.count() == 2


def test_the_pledge_form_records_once_per_token(staff_web, sweden):
    url = "/funding/pledges/new/"
    token = _token(staff_web.get(url))
    data = {"donor": sweden.pk, "amount": "9000.00", "currency": "USD", "year_from": 2024,
            "pledged_on": "2024-01-10", "form_token": token}
    assert staff_web.post(url, data).status_code == 302
    again = staff_web.post(url, data, follow=True)
    assert "already recorded" in again.content.decode()
    assert Pledge.objects.count() == 1
