"""/api/v1/me/totp/ and the token endpoint's ``otp`` (API.md, second part)."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fundapp.accounts.mfa import mfa_enabled
from tests.accounts.mfa_helpers import STEP, T0, clock, code_at, enrol

pytestmark = pytest.mark.django_db

TOTP = reverse("api-me-totp")
CONFIRM = reverse("api-me-totp-confirm")
TOKEN = reverse("api-token")


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.mark.parametrize("who", ["secretariat", "reviewer", "board_member", "donor", "ngo"])
def test_every_role_enrols_its_own_authenticator_app(request, api_as, who):
    user = request.getfixturevalue(who)
    client = api_as(user)
    started = client.post(TOTP)
    assert started.status_code == 201
    body = started.json()
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])
    assert body["otpauth_uri"].startswith("otpauth://totp/FundApp%3A")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert "algorithm=SHA1" in body["otpauth_uri"] and "period=30" in body["otpauth_uri"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with clock(T0):
        done = client.post(CONFIRM, {"code": code_at(device, T0)}, format="json")
    assert done.status_code == 200
    codes = done.json()["recovery_codes"]
    assert len(codes) == 10 == len(set(codes))
    assert mfa_enabled(user)


def test_anonymous_cannot_use_the_endpoints(api):
    assert api.post(TOTP).status_code in (401, 403)
    assert api.post(CONFIRM, {"code": "123456"}, format="json").status_code in (401, 403)
    assert api.delete(TOTP, {"code": "123456"}, format="json").status_code in (401, 403)


def test_a_wrong_confirmation_code_is_a_400_on_code(api_as, reviewer):
    client = api_as(reviewer)
    client.post(TOTP)
    device = TOTPDevice.objects.get(user=reviewer)
    wrong = "000000" if code_at(device, T0) != "000000" else "111111"
    with clock(T0):
        response = client.post(CONFIRM, {"code": wrong}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert not mfa_enabled(reviewer)


def test_confirming_without_starting_is_a_409(api_as, reviewer):
    assert api_as(reviewer).post(CONFIRM, {"code": "123456"}, format="json").status_code == 409


def test_a_missing_code_is_a_400(api_as, reviewer):
    assert api_as(reviewer).post(CONFIRM, {}, format="json").status_code == 400


def test_starting_twice_once_enrolled_is_a_409(api_as, reviewer):
    enrol(reviewer)
    assert api_as(reviewer).post(TOTP).status_code == 409


def test_delete_with_a_code_turns_it_off(api_as, reviewer):
    _device, codes = enrol(reviewer)
    client = api_as(reviewer)
    assert client.delete(TOTP, {"code": "nope"}, format="json").status_code == 400
    assert client.delete(TOTP, {"code": codes[0]}, format="json").status_code == 204
    assert not mfa_enabled(reviewer)


def test_delete_is_refused_where_the_role_requires_it(api_as, secretariat, settings):
    settings.MFA_ENFORCED = True
    _device, codes = enrol(secretariat)
    response = api_as(secretariat).delete(TOTP, {"code": codes[0]}, format="json")
    assert response.status_code == 409
    assert mfa_enabled(secretariat)


def _token(api, user, password, **extra):
    return api.post(TOKEN, {"username": user.username, "password": password, **extra},
                    format="json")


def test_a_person_without_factors_gets_a_token_with_the_password(api, reviewer, password):
    assert _token(api, reviewer, password).status_code == 200


def test_the_token_needs_otp_once_enrolled(api, reviewer, password):
    enrol(reviewer)
    response = _token(api, reviewer, password)
    assert response.status_code == 400 and list(response.json()) == ["otp"]


def test_the_token_takes_the_current_code_once(api, reviewer, password):
    device, _codes = enrol(reviewer)
    now = T0 + 30 * STEP
    with clock(now):
        first = _token(api, reviewer, password, otp=code_at(device, now))
        replay = _token(api, reviewer, password, otp=code_at(device, now))
    assert first.status_code == 200 and "token" in first.json()
    assert replay.status_code == 400 and "otp" in replay.json()


def test_the_token_takes_an_unused_recovery_code(api, reviewer, password):
    _device, codes = enrol(reviewer)
    assert _token(api, reviewer, password, otp=codes[5]).status_code == 200
    assert _token(api, reviewer, password, otp=codes[5]).status_code == 400


def test_a_wrong_otp_is_a_400_and_counts_as_a_failed_sign_in(api, reviewer, password,
                                                             settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    enrol(reviewer)
    response = _token(api, reviewer, password, otp="999999")
    assert response.status_code == 400 and "otp" in response.json()
    attempt = AccessAttempt.objects.get(username=reviewer.username)
    assert attempt.failures_since_start == 1


def test_a_right_code_with_a_wrong_password_gives_nothing(api, reviewer):
    device, _codes = enrol(reviewer)
    with clock(T0 + STEP):
        response = _token(api, reviewer, "wrong-password", otp=code_at(device, T0 + STEP))
    assert response.status_code == 400 and "token" not in response.json()


def test_after_a_wrong_otp_the_token_endpoint_says_to_wait(api, reviewer, password, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 4
    device, codes = enrol(reviewer)
    now = T0 + 90 * STEP
    right = code_at(device, now)
    with clock(now):
        assert _token(api, reviewer, password,
                      otp=f"{(int(right) + 1) % 1_000_000:06d}").status_code == 400
        response = _token(api, reviewer, password, otp=right)
    assert response.status_code == 400 and "wait 4 seconds" in response.json()["otp"][0]
    # a recovery code is another device: not slowed down by the app's wrong code
    assert _token(api, reviewer, password, otp=codes[0]).status_code == 200
