"""Rate limits keyed on the real client address, that never take an endpoint down with the
cache.

The client address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` says how many proxies
of ours stand in front of the app: then it is the N-th address from the right of
``X-Forwarded-For`` (the one our outermost proxy saw). Anything a client writes to the left
of that is ignored, so a rotating header cannot buy fresh limits. django-axes uses the same
function (``AXES_CLIENT_IP_CALLABLE``).

DRF's throttles keep their history in the default cache (Redis in production). When the
cache cannot be reached, the request is let through and a warning is logged: a sign-in
that cannot be counted is better than no sign-in at all.
"""

import ipaddress
import logging

from django.conf import settings
from rest_framework import throttling

logger = logging.getLogger(__name__)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client as our own proxies saw it (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops <= 0:
        return remote
    chain = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(chain) < hops:  # the request did not come through all our proxies
        return remote
    return _valid_ip(chain[-hops]) or remote


def _cache_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is installed with the app
        return (OSError,)
    return (RedisError, OSError)


CACHE_ERRORS = _cache_errors()


class FailOpenMixin:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("Rate limit %s not applied: the cache is unreachable (%s)",
                           getattr(self, "scope", type(self).__name__), exc)
            return True

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass


def web_allowed(scope: str, request) -> bool:
    """The API's rate limit ``scope`` (``DEFAULT_THROTTLE_RATES``) applied to a web page:
    the page and the endpoint share one counter per signed-in user or client address, so
    neither is a way round the other."""
    from types import SimpleNamespace

    return ScopedRateThrottle().allow_request(request, SimpleNamespace(throttle_scope=scope))
