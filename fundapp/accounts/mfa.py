"""Reads about a person's second factors (two-factor sign-in).

The factors are django-otp devices: an authenticator app (``TOTPDevice``), passkeys
(``WebAuthnCredential`` from django-otp-webauthn) and ten single-use recovery codes
(``StaticDevice``/``StaticToken``, created with the authenticator app). Recovery codes
alone are not a second factor: they only stand in for the others.

The writes (enrolment, turning off, passkeys) are in ``fundapp.accounts.two_factor.services``.
"""

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .roles import roles_of

RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"


def _totp(user_ref) -> Exists:
    return Exists(TOTPDevice.objects.filter(user=user_ref, confirmed=True))


def _passkey(user_ref) -> Exists:
    return Exists(WebAuthnCredential.objects.filter(user=user_ref, confirmed=True))


def annotate_mfa(queryset: QuerySet) -> QuerySet:
    """Users annotated with ``mfa_enabled`` (an authenticator app or a passkey), one query."""
    ref = OuterRef("pk")
    return queryset.annotate(mfa_enabled=ExpressionWrapper(
        Q(_totp(ref)) | Q(_passkey(ref)), output_field=BooleanField()))


def mfa_enabled(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(annotate_mfa(get_user_model().objects.filter(pk=user.pk))
                .values_list("mfa_enabled", flat=True).first())


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def passkeys_of(user) -> QuerySet:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "MFA_REQUIRED_ROLES", ()))


def mfa_required_for(user) -> bool:
    """Must this person sign in with two factors? (``MFA_ENFORCED`` and one of the
    ``MFA_REQUIRED_ROLES``; in the demo, with DEBUG on, it is offered but not required.)"""
    if not getattr(settings, "MFA_ENFORCED", not settings.DEBUG):
        return False
    return bool(roles_of(user) & required_roles())


def normalise_code(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _device_model(code: str):
    return TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice


def second_factor_wait(user, code: str | None) -> int:
    """Seconds to wait before a code of this kind may be tried again: after wrong codes
    django-otp slows each device down (1, 2, 4, 8 … seconds) and refuses even the right code
    meanwhile, so people must be told to wait rather than that their code is wrong."""
    code = normalise_code(code)
    if not code or user is None or not user.is_authenticated:
        return 0
    now, wait = timezone.now(), 0.0
    for device in _device_model(code).objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, (data["locked_until"] - now).total_seconds())
    return math.ceil(wait) if wait > 0 else 0


def match_second_factor(user, code: str | None) -> Device | None:
    """The device that accepts ``code``: a current authenticator code (django-otp's drift
    tolerance of one step, never the same step twice) or an unused recovery code, which
    is consumed. None when nothing matches (each device counts the failure and slows down
    the next attempts)."""
    code = normalise_code(code)
    if not code or user is None or not user.is_authenticated:
        return None
    model = _device_model(code)
    # The row lock makes two requests with the same code wait for each other: the second
    # sees the step (or the recovery code) already used.
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def verify_second_factor(user, code: str | None) -> bool:
    return match_second_factor(user, code) is not None
