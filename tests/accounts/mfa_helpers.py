"""A fixed clock for the authenticator app, and a person enrolled with it."""

from contextlib import contextmanager
from unittest import mock

from django_otp.oath import TOTP

from fundapp.accounts.two_factor.services import totp_confirm, totp_start

T0 = 1_800_000_000  # 2027-01-15 08:00 UTC, a step boundary (divisible by 30)
STEP = 30


def code_at(device, when: float) -> str:
    """The code the person's app shows at ``when`` (RFC 6238: 30 s, SHA-1, 6 digits)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = when
    return f"{totp.token():06d}"


@contextmanager
def clock(when: float):
    """django-otp's TOTP check reads this time instead of the real one."""
    with mock.patch("django_otp.plugins.otp_totp.models.time") as fake:
        fake.time.return_value = when
        yield


def enrol(user, when: float = T0):
    """``user`` with a confirmed authenticator app (enrolled at ``when``); returns the
    device and the ten recovery codes."""
    device = totp_start(actor=user)
    with clock(when):
        codes = totp_confirm(actor=user, code=code_at(device, when))
    device.refresh_from_db()
    return device, codes
