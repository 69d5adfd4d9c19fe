"""Bad input is a 400 with a ``detail``, never a server error: deeply nested or oversized
JSON, and NUL characters in the path, query or body (PostgreSQL cannot store them)."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from donors.models import Contribution
from tests.donors.factories import DonorFactory

pytestmark = pytest.mark.django_db

NUL = "\u0000"


@pytest.fixture
def staff(api_as, secretariat):
    return api_as(secretariat)


@pytest.fixture
def sweden(db):
    return DonorFactory(name="Sweden")


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


def post_raw(client, url, raw: str):
    return client.post(url, data=raw, content_type="application/json")


@pytest.mark.parametrize("depth", [33, 2000, 100_000])
def test_json_nested_too_deep_is_400(staff, depth):
    response = post_raw(staff, "/api/v1/contributions/", "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert "nested deeper than 32" in response.json()["detail"]


def test_deep_objects_count_too(staff):
    body = "1"
    for _ in range(40):
        body = '{"a": ' + body + "}"
    response = post_raw(staff, "/api/v1/contributions/", body)
    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]


def test_json_within_the_depth_limit_is_parsed(staff, sweden):
    body = {"donor": sweden.pk, "amount": "10.00", "currency": "USD",
            "received_on": "2024-01-05", "note": "ok",
            "extra": json.loads("[" * 30 + "]" * 30)}
    assert staff.post("/api/v1/contributions/", body, format="json").status_code == 201


def test_a_json_body_above_the_upload_limit_is_400(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_raw(staff, "/api/v1/contributions/", json.dumps({"note": "x" * 2000}))
    assert response.status_code == 400
    assert "larger than 1000 bytes" in response.json()["detail"]


def test_malformed_json_is_still_400(staff):
    response = post_raw(staff, "/api/v1/contributions/", '{"amount": ')
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_nan_is_refused_as_before(staff):
    assert post_raw(staff, "/api/v1/contributions/", '{"amount": NaN}').status_code == 400


@pytest.mark.parametrize("url, field", [
    ("/api/v1/users/?role=%00", "role"),
    ("/api/v1/applications/?search=%00", "search"),
    ("/api/v1/contributions/?ordering=x%00y", "ordering"),
    ("/api/v1/calls/?page=1&status=open%00", "status"),
])
def test_a_nul_in_the_query_is_a_400_naming_the_parameter(staff, url, field):
    response = staff.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()[field][0]


def test_a_nul_in_a_parameter_name_is_400_with_a_detail(staff):
    response = staff.get("/api/v1/calls/?%00=1")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_json_string_is_400_and_nothing_is_recorded(staff, sweden):
    body = {"donor": sweden.pk, "amount": "10.00", "currency": "USD",
            "received_on": "2024-01-05", "note": f"bad{NUL}note"}
    response = staff.post("/api/v1/contributions/", body, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_a_nul_in_a_json_key_is_400(staff):
    response = post_raw(staff, "/api/v1/contributions/", '{"no\\u0000te": "x"}')
    assert response.status_code == 400


def test_a_nul_in_a_form_body_is_400_for_the_api(staff, sweden):
    response = staff.post("/api/v1/contributions/", urlencode({"donor": sweden.pk,
                                                               "note": NUL}),
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "NUL" in response.json()["note"][0]


def test_a_nul_in_a_web_query_or_form_gets_the_400_page(login, secretariat):
    client = login(secretariat)
    page = client.get("/funding/contributions/?q=%00")
    assert page.status_code == 400
    assert "could not be understood" in page.content.decode()
    posted = client.post("/funding/contributions/new/", urlencode({"note": f"a{NUL}b"}),
                         content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 400
    assert "could not be understood" in posted.content.decode()


def test_a_nul_in_a_multipart_web_form_is_a_field_error(login, secretariat, sweden):
    client = login(secretariat)
    posted = client.post("/funding/contributions/new/", {
        "donor": sweden.pk, "amount": "10.00", "currency": "USD", "received_on": "2024-01-05",
        "earmarking": "unearmarked", "note": f"a{NUL}b"})
    assert posted.status_code == 400
    assert "Null characters are not allowed" in posted.content.decode()
    assert not Contribution.objects.exists()


def test_a_nul_in_the_path_is_400(db):
    assert Client().get("/api/v1/calls/%00/").status_code == 400


def test_a_clean_urlencoded_api_post_still_reaches_the_view(api, ngo, password):
    response = api.post("/api/v1/auth/token/", urlencode({"username": "ngo",
                                                          "password": password}),
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.json()["token"]
