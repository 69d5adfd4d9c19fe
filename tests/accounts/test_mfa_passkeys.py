"""Passkeys as a factor: registration through the service, names, removal, the last factor."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from fundapp.accounts.mfa import mfa_enabled, recovery_codes_left
from fundapp.accounts.two_factor.services import (
    passkey_register,
    passkey_remove,
    passkey_rename,
    totp_disable,
)
from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import NotFound, StateConflict, ValidationFailed
from tests.accounts.mfa_helpers import enrol

pytestmark = pytest.mark.django_db


class FakeHelper:
    """Stands in for django-otp-webauthn's helper, whose attestation checks the browser
    tests exercise with a virtual authenticator."""

    def register_complete(self, *, user, state, data):
        return WebAuthnCredential.objects.create(
            user=user, name="", confirmed=True, credential_id=b"\x01" * 16, public_key=b"k",
            sign_count=0, credential_id_sha256="ab" * 32)


def _register(user):
    return passkey_register(actor=user, helper=FakeHelper(), state={}, data={})


def test_a_first_passkey_turns_two_factors_on_with_recovery_codes_and_tells_the_person(
        reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        passkey = _register(reviewer)
    assert passkey.name == "Passkey" and mfa_enabled(reviewer)
    assert recovery_codes_left(reviewer) == 10
    assert "two_factor.passkey_add" in [e.verb for e in audit_trail_for(reviewer)]
    assert any("passkey was added" in m.subject for m in mail.outbox)


def test_a_passkey_is_renamed_and_a_blank_name_refused(reviewer):
    passkey = _register(reviewer)
    assert passkey_rename(actor=reviewer, passkey_id=passkey.pk, name="  Work  laptop ").name \
        == "Work laptop"
    with pytest.raises(ValidationFailed):
        passkey_rename(actor=reviewer, passkey_id=passkey.pk, name="   ")


def test_another_persons_passkey_is_not_found(reviewer, secretariat, login):
    passkey = _register(reviewer)
    with pytest.raises(NotFound):
        passkey_remove(actor=secretariat, passkey_id=passkey.pk)
    client = login(secretariat)
    url = reverse("accounts:two-factor-passkey-remove", args=[passkey.pk])
    assert client.post(url, {"confirmed": "yes"}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removing_the_last_passkey_turns_two_factors_off(reviewer):
    passkey = _register(reviewer)
    passkey_remove(actor=reviewer, passkey_id=passkey.pk)
    assert not mfa_enabled(reviewer) and recovery_codes_left(reviewer) == 0


def test_the_last_factor_of_a_required_role_cannot_be_removed(secretariat, settings):
    settings.MFA_ENFORCED = True
    passkey = _register(secretariat)
    with pytest.raises(StateConflict):
        passkey_remove(actor=secretariat, passkey_id=passkey.pk)
    assert mfa_enabled(secretariat)


def test_a_required_role_may_swap_factors(secretariat, settings):
    settings.MFA_ENFORCED = True
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    _device, codes = enrol(secretariat)
    passkey = _register(secretariat)
    totp_disable(actor=secretariat, code=codes[0])  # the passkey remains
    assert mfa_enabled(secretariat)
    with pytest.raises(StateConflict):
        passkey_remove(actor=secretariat, passkey_id=passkey.pk)


def test_the_passkeys_page_lists_and_removes_with_confirmation(reviewer, login):
    passkey = _register(reviewer)
    passkey_rename(actor=reviewer, passkey_id=passkey.pk, name="Office laptop")
    client = login(reviewer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    page = client.get(reverse("accounts:two-factor-passkeys")).content.decode()
    assert "Office laptop" in page and 'id="passkey-register-button"' in page
    url = reverse("accounts:two-factor-passkey-remove", args=[passkey.pk])
    assert client.post(url).status_code == 400  # not confirmed
    client.post(url, {"confirmed": "yes"})
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
