"""API tokens: stored hashed, expiring, revocable, refused for inactive users."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fundapp.accounts.models import ApiToken
from fundapp.accounts.services import token_create, token_hash, tokens_revoke

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def _client(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_only_the_hash_and_a_prefix_are_stored(ngo, password, api):
    key = api.post(URL, {"username": "ngo", "password": password}, format="json").json()["token"]
    token = ApiToken.objects.get(user=ngo)
    assert token.key_hash == token_hash(key) and key.startswith(token.prefix)
    assert key not in (token.key_hash, token.prefix)


def test_a_token_expires_after_the_configured_hours(ngo, api, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    token, key = token_create(user=ngo)
    assert timedelta(hours=1.9) < token.expires_at - timezone.now() <= timedelta(hours=2)
    assert _client(api, key).get("/api/v1/me/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(api, key).get("/api/v1/me/").status_code == 401


def test_delete_revokes_the_calling_token_only(ngo, api):
    _first, key = token_create(user=ngo)
    other, other_key = token_create(user=ngo)
    assert _client(api, key).delete(URL).status_code == 204
    assert _client(api, key).get("/api/v1/me/").status_code == 401
    assert _client(api, other_key).get("/api/v1/me/").status_code == 200


def test_delete_without_a_token_is_a_401(api, db):
    assert api.delete(URL).status_code == 401


def test_an_inactive_users_token_is_refused(ngo, api):
    _token, key = token_create(user=ngo)
    ngo.is_active = False
    ngo.save()
    assert _client(api, key).get("/api/v1/me/").status_code == 401


def test_tokens_revoke_ends_every_token(ngo, api):
    keys = [token_create(user=ngo)[1] for _ in range(3)]
    assert tokens_revoke(ngo) == 3
    assert all(_client(api, k).get("/api/v1/me/").status_code == 401 for k in keys)


def test_the_token_list_shows_ones_own_tokens_without_keys(ngo, other_ngo, api_as):
    token_create(user=other_ngo)
    api = api_as(ngo)  # creates one token
    token_create(user=ngo, name="script")
    rows = api.get("/api/v1/me/tokens/").json()["results"]
    assert len(rows) == 2
    assert set(rows[0]) == {"id", "prefix", "name", "created_at", "last_used_at", "expires_at"}


def test_a_token_is_revoked_by_id_and_another_users_is_not_found(ngo, other_ngo, api_as):
    theirs, _key = token_create(user=other_ngo)
    mine, _key = token_create(user=ngo)
    api = api_as(ngo)
    assert api.delete(f"/api/v1/me/tokens/{theirs.pk}/").status_code == 404
    assert api.delete(f"/api/v1/me/tokens/{mine.pk}/").status_code == 204
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert not ApiToken.objects.filter(pk=mine.pk).exists()


def test_last_use_is_noted(ngo, api):
    token, key = token_create(user=ngo)
    _client(api, key).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None
