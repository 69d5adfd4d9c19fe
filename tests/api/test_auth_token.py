import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def test_a_user_exchanges_username_and_password_for_a_token(api, ngo, password):
    response = api.post(URL, {"username": "ngo", "password": password}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/applications/").status_code == 200


def test_asking_twice_returns_two_tokens_that_both_work(api, ngo, password):
    first = api.post(URL, {"username": "ngo", "password": password}, format="json").json()
    second = api.post(URL, {"username": "ngo", "password": password}, format="json").json()
    assert first["token"] != second["token"]
    for token in (first["token"], second["token"]):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/applications/").status_code == 200


def test_a_wrong_password_gets_a_400_and_no_token(api, ngo):
    response = api.post(URL, {"username": "ngo", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["non_field_errors"]


def test_missing_fields_are_named(api, db):
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_malformed_json_is_a_400(api, db):
    response = api.post(URL, '{"username": "ngo", ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_an_unknown_token_is_refused_with_401(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/calls/").status_code == 401


def test_an_inactive_user_gets_no_token(api, ngo, password):
    ngo.is_active = False
    ngo.save()
    response = api.post(URL, {"username": "ngo", "password": password}, format="json")
    assert response.status_code == 400
