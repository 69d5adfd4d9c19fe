"""Rate limits that never take an endpoint down with the cache.

DRF's throttles keep their history in the default cache (Redis in production). When the
cache cannot be reached, the request is let through and a warning is logged: a sign-in
that cannot be counted is better than no sign-in at all.
"""

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


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


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass
