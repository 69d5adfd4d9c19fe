"""Security headers that Django does not send itself (the Content-Security-Policy comes
from django-csp's middleware, configured by ``CONTENT_SECURITY_POLICY``)."""

from django.conf import settings


def permissions_policy_header(policy: dict[str, str]) -> str:
    return ", ".join(f"{feature}={allow}" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from the ``PERMISSIONS_POLICY`` setting, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
