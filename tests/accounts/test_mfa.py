"""The second factor itself: TOTP on a fixed clock, drift, replay, recovery codes."""

import pytest
from django.core import mail
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fundapp.accounts.mfa import (
    annotate_mfa,
    mfa_enabled,
    recovery_codes_left,
    verify_second_factor,
)
from fundapp.accounts.models import User
from fundapp.accounts.two_factor.services import (
    recovery_codes_regenerate,
    totp_confirm,
    totp_disable,
    totp_secret,
    totp_start,
)
from fundapp.core.audit import audit_trail_for
from fundapp.core.errors import StateConflict, ValidationFailed
from tests.accounts.mfa_helpers import STEP, T0, clock, code_at, enrol
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_a_started_key_is_not_a_factor_until_confirmed_with_a_code(reviewer):
    device = totp_start(actor=reviewer)
    assert len(totp_secret(device)) == 32 and not mfa_enabled(reviewer)
    with clock(T0), pytest.raises(ValidationFailed) as exc:
        totp_confirm(actor=reviewer, code="000000" if code_at(device, T0) != "000000" else "1")
    assert "code" in exc.value.field_errors
    assert not mfa_enabled(reviewer)


def test_confirming_gives_ten_distinct_recovery_codes_audits_and_tells_the_person(
        reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _device, codes = enrol(reviewer)
    assert len(codes) == 10 == len(set(codes)) == recovery_codes_left(reviewer)
    assert mfa_enabled(reviewer)
    verbs = [e.verb for e in audit_trail_for(reviewer)]
    assert {"two_factor.totp_start", "two_factor.totp_confirm"} <= set(verbs)
    assert any("Two-factor sign-in turned on" in m.subject for m in mail.outbox)


def test_starting_again_once_enrolled_is_refused(reviewer):
    enrol(reviewer)
    with pytest.raises(StateConflict):
        totp_start(actor=reviewer)


def test_the_current_code_is_accepted_on_a_fixed_clock(reviewer):
    device, _codes = enrol(reviewer)
    later = T0 + 10 * STEP
    with clock(later):
        assert verify_second_factor(reviewer, code_at(device, later))


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_phone_one_step_slow_or_fast_is_tolerated(reviewer, steps):
    device, _codes = enrol(reviewer)
    now = T0 + 100 * STEP
    with clock(now):
        assert verify_second_factor(reviewer, code_at(device, now + steps * STEP))
    device.refresh_from_db()
    assert device.drift == steps  # django-otp follows the phone's clock from then on


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_phone_two_steps_off_is_refused(reviewer, steps):
    device, _codes = enrol(reviewer)
    now = T0 + 100 * STEP
    with clock(now):
        assert not verify_second_factor(reviewer, code_at(device, now + steps * STEP))


def test_the_same_code_is_refused_the_second_time(reviewer):
    device, _codes = enrol(reviewer)
    now = T0 + 5 * STEP
    code = code_at(device, now)
    with clock(now):
        assert verify_second_factor(reviewer, code)
        assert not verify_second_factor(reviewer, code)
    with clock(now + STEP):  # nor an older step once a newer one was used
        assert not verify_second_factor(reviewer, code_at(device, now - STEP))


def test_a_recovery_code_works_once_with_spaces_or_capitals(reviewer):
    _device, codes = enrol(reviewer)
    assert verify_second_factor(reviewer, f" {codes[3][:4].upper()} {codes[3][4:]} ")
    assert not verify_second_factor(reviewer, codes[3])
    assert recovery_codes_left(reviewer) == 9
    assert not StaticToken.objects.filter(token=codes[3]).exists()


def test_another_persons_codes_do_not_work(reviewer, secretariat):
    device, codes = enrol(reviewer)
    enrol(secretariat)
    with clock(T0 + 3 * STEP):
        assert not verify_second_factor(secretariat, code_at(device, T0 + 3 * STEP))
    assert not verify_second_factor(secretariat, codes[0])


def test_wrong_codes_slow_the_device_down(reviewer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device, _codes = enrol(reviewer)
    now = T0 + 20 * STEP
    good = code_at(device, now)
    with clock(now):
        assert not verify_second_factor(reviewer, "000000" if good != "000000" else "111111")
        assert not verify_second_factor(reviewer, good)  # throttled right after a failure
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_new_recovery_codes_replace_the_old_ones(reviewer):
    _device, old = enrol(reviewer)
    new = recovery_codes_regenerate(actor=reviewer)
    assert len(new) == 10 and not set(old) & set(new)
    assert not verify_second_factor(reviewer, old[0])
    assert verify_second_factor(reviewer, new[0])


def test_turning_off_needs_a_valid_code(reviewer, django_capture_on_commit_callbacks):
    device, codes = enrol(reviewer)
    with pytest.raises(ValidationFailed):
        totp_disable(actor=reviewer, code="not-a-code")
    assert mfa_enabled(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        totp_disable(actor=reviewer, code=codes[0])
    assert not mfa_enabled(reviewer) and recovery_codes_left(reviewer) == 0
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert any("turned off" in m.subject for m in mail.outbox)


def test_turning_off_is_refused_where_the_role_requires_two_factors(secretariat, settings):
    settings.MFA_ENFORCED = True
    _device, codes = enrol(secretariat)
    with pytest.raises(StateConflict):
        totp_disable(actor=secretariat, code=codes[0])
    assert mfa_enabled(secretariat) and recovery_codes_left(secretariat) == 10


def test_the_required_role_may_turn_it_off_when_enforcement_is_off(secretariat, settings):
    settings.MFA_ENFORCED = False  # the demo
    _device, codes = enrol(secretariat)
    totp_disable(actor=secretariat, code=codes[0])
    assert not mfa_enabled(secretariat)


def test_annotate_mfa_marks_users_in_one_query(django_assert_num_queries, reviewer,
                                               secretariat):
    enrol(secretariat)
    UserFactory.create_batch(5)
    with django_assert_num_queries(1):
        flags = {u.username: u.mfa_enabled for u in annotate_mfa(User.objects.all())}
    assert flags["sec"] is True and flags["rev"] is False
    assert sum(flags.values()) == 1
