"""Rate limits key on the real client address: a client-sent X-Forwarded-For buys nothing."""

import pytest
from django.test import RequestFactory

from fundapp.accounts.api import TokenThrottle
from fundapp.core.throttling import client_ip

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def _request(xff=None, remote="10.0.0.5"):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("1.2.3.4")) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("6.6.6.6, 203.0.113.9, 10.1.1.1")) == "203.0.113.9"


def test_a_short_or_garbled_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9")) == "10.0.0.5"
    assert client_ip(_request("not-an-ip, 10.1.1.1")) == "10.0.0.5"


def test_django_axes_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 0
    assert get_client_ip_address(_request("1.2.3.4")) == "10.0.0.5"


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_rotating_forwarded_for_header_does_not_bypass_the_token_throttle(
        api, ngo, settings, monkeypatch, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    codes = [api.post(URL, {"username": "ngo", "password": "wrong"}, format="json",
                      HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9",
                      REMOTE_ADDR="10.0.0.5").status_code for i in range(5)]
    assert codes == [400, 400, 400, 429, 429]


def test_different_real_clients_have_their_own_limits(api, ngo, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "1/minute"})
    codes = [api.post(URL, {"username": "ngo", "password": "wrong"}, format="json",
                      HTTP_X_FORWARDED_FOR=f"203.0.113.{i}", REMOTE_ADDR="10.0.0.5"
                      ).status_code for i in range(3)]
    assert codes == [400, 400, 400]
