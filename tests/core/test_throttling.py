"""Rate limits fail open when the cache (Redis) is down: sign-in keeps working."""

import logging

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
REDIS_DOWN = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:1/0",
                          "OPTIONS": {"socket_connect_timeout": 0.5}}}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = REDIS_DOWN
    with pytest.raises(Exception):  # noqa: B017, PT011 - the premise: the cache is unreachable
        cache.get("anything")


def test_sign_in_works_while_redis_is_down_and_a_warning_is_logged(api, ngo, password,
                                                                   redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="fundapp.core.throttling"):
        response = api.post(URL, {"username": "ngo", "password": password}, format="json")
    assert response.status_code == 200
    assert response.json()["token"]
    assert "cache is unreachable" in caplog.text


def test_a_wrong_password_is_still_400_while_redis_is_down(api, ngo, redis_down):
    response = api.post(URL, {"username": "ngo", "password": "wrong"}, format="json")
    assert response.status_code == 400


def test_the_limit_still_applies_when_the_cache_works(api, ngo, password, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"token": "2/minute"}}
    from rest_framework.settings import api_settings

    from fundapp.accounts.api import TokenThrottle

    original = TokenThrottle.THROTTLE_RATES
    api_settings.reload()
    TokenThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        cache.clear()
        codes = [api.post(URL, {"username": "ngo", "password": password},
                          format="json").status_code for _ in range(3)]
    finally:
        TokenThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 429]
