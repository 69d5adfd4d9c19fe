"""The API's rate limits on the web pages that need them too (a password reset e-mails
someone: keyed on the real client address, like the API's)."""

from .api import PasswordResetThrottle


def web_reset_allowed(request) -> bool:
    return PasswordResetThrottle().allow_request(request, None)
