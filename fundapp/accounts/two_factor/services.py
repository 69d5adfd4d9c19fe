"""Every change to a person's second factors: audited, and the person is told by e-mail."""

from base64 import b32encode

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from fundapp.core.audit import audit_record
from fundapp.core.errors import NotFound, StateConflict, ValidationFailed
from fundapp.notifications.services import notify

from ..mfa import (
    RECOVERY_DEVICE_NAME,
    TOTP_DEVICE_NAME,
    mfa_required_for,
    passkeys_of,
    totp_device,
    verify_second_factor,
)

RECOVERY_CODES = 10


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def _notify(user, kind: str, url_name: str, **data) -> None:
    notify(recipients=[user], kind=kind, target=user,
           data={"url": reverse(url_name), **data})


@transaction.atomic
def totp_start(*, actor) -> TOTPDevice:
    """A new, unconfirmed authenticator key (an earlier unconfirmed one is dropped)."""
    if totp_device(actor) is not None:
        raise StateConflict(_("An authenticator app is already set up. Turn it off first."))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    audit_record(actor=actor, verb="two_factor.totp_start", target=actor)
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _pending_totp_accepts(actor, code: str) -> TOTPDevice:
    # Its own transaction, committed even when the code is wrong: the failure counts
    # towards django-otp's throttle (each further try waits twice as long).
    with transaction.atomic():
        device = (TOTPDevice.objects.select_for_update()
                  .filter(user=actor, confirmed=False).order_by("-pk").first())
        if device is None:
            raise StateConflict(_("Start the set-up of an authenticator app first."))
        if device.verify_token("".join((code or "").split())):
            return device
    raise ValidationFailed.on("code", _("This code is not valid. Enter the current "
                                        "6-digit code from your authenticator app."))


def totp_confirm(*, actor, code: str) -> list[str]:
    """Confirm the pending authenticator key with a code from the app; returns the ten
    recovery codes (shown once)."""
    if totp_device(actor) is not None:
        raise StateConflict(_("An authenticator app is already set up. Turn it off first."))
    device = _pending_totp_accepts(actor, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, verb="two_factor.totp_confirm", target=actor,
                     after={"factor": "authenticator", "recovery_codes": len(codes)})
        _notify(actor, "two_factor_enabled", "accounts:two-factor", factor="authenticator")
    return codes




def _refuse_losing_the_last_factor(actor, *, passkeys_left: int, totp_left: bool) -> None:
    if mfa_required_for(actor) and not (passkeys_left or totp_left):
        raise StateConflict(_("Your role requires two-factor sign-in: set up another "
                              "factor before removing this one."))


def totp_disable(*, actor, code: str) -> None:
    """Turn the authenticator app off (with a current code or a recovery code). Refused
    when the person's roles require two factors and no passkey would remain."""
    device = totp_device(actor)
    if device is None:
        raise StateConflict(_("No authenticator app is set up."))
    _refuse_losing_the_last_factor(actor, passkeys_left=passkeys_of(actor).count(),
                                   totp_left=False)
    if not verify_second_factor(actor, code):  # commits the failure for the throttle
        raise ValidationFailed.on("code", _("This code is not valid."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        if not passkeys_of(actor).exists():
            StaticDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, verb="two_factor.totp_disable", target=actor,
                     before={"factor": "authenticator"})
        _notify(actor, "two_factor_disabled", "accounts:two-factor", factor="authenticator")


@transaction.atomic
def recovery_codes_regenerate(*, actor) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if totp_device(actor) is None and not passkeys_of(actor).exists():
        raise StateConflict(_("Turn on two-factor sign-in first."))
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, verb="two_factor.recovery_codes_regenerate", target=actor)
    _notify(actor, "recovery_codes_regenerated", "accounts:two-factor")
    return codes


def get_passkey_for(user, pk) -> WebAuthnCredential:
    passkey = passkeys_of(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if passkey is None:
        raise NotFound()
    return passkey


@transaction.atomic
def passkey_register(*, actor, helper, state: dict, data: dict) -> WebAuthnCredential:
    """Finish a passkey registration (django-otp-webauthn checks the attestation)."""
    had_factor = totp_device(actor) is not None or passkeys_of(actor).exists()
    passkey = helper.register_complete(user=actor, state=state, data=data)
    if not passkey.name:
        passkey.name = _("Passkey")
        passkey.save(update_fields=["name"])
    if not had_factor:
        _new_recovery_codes(actor)
    audit_record(actor=actor, verb="two_factor.passkey_add", target=actor,
                 after={"passkey": passkey.pk, "name": passkey.name})
    _notify(actor, "passkey_added", "accounts:two-factor-passkeys", name=passkey.name)
    return passkey


@transaction.atomic
def passkey_rename(*, actor, passkey_id, name: str) -> WebAuthnCredential:
    passkey = get_passkey_for(actor, passkey_id)
    name = " ".join((name or "").split())[:64]
    if not name:
        raise ValidationFailed.on("name", _("Give the passkey a name."))
    before = passkey.name
    passkey.name = name
    passkey.save(update_fields=["name"])
    audit_record(actor=actor, verb="two_factor.passkey_rename", target=actor,
                 before={"name": before}, after={"name": name})
    return passkey


@transaction.atomic
def passkey_remove(*, actor, passkey_id) -> None:
    passkey = get_passkey_for(actor, passkey_id)
    _refuse_losing_the_last_factor(actor, passkeys_left=passkeys_of(actor).count() - 1,
                                   totp_left=totp_device(actor) is not None)
    name = passkey.name
    passkey.delete()
    if totp_device(actor) is None and not passkeys_of(actor).exists():
        StaticDevice.objects.filter(user=actor).delete()
    audit_record(actor=actor, verb="two_factor.passkey_remove", target=actor,
                 before={"passkey": passkey_id, "name": name})
    _notify(actor, "passkey_removed", "accounts:two-factor-passkeys", name=name)
