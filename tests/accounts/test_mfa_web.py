"""Signing in with two factors in the web pages, and the enforcement for required roles."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fundapp.accounts.mfa import mfa_enabled
from tests.accounts.mfa_helpers import STEP, T0, clock, code_at, enrol

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:two-factor-verify")
STATUS = reverse("accounts:two-factor")


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password_sign_in(client, user, password, next_url="/dashboard/"):
    return client.post(reverse("accounts:login") + f"?next={next_url}",
                       {"username": user.username, "password": password, "next": next_url})


def test_after_the_password_an_enrolled_person_must_give_a_code(client, reviewer, password):
    device, _codes = enrol(reviewer)
    response = _password_sign_in(client, reviewer, password)
    assert response.status_code == 302
    page = client.get("/dashboard/")
    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:preferences")).status_code == 302
    now = T0 + 40 * STEP
    with clock(now):
        response = client.post(VERIFY, {"code": code_at(device, now), "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_a_wrong_code_keeps_the_person_at_the_verify_step(client, reviewer, password):
    enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    response = client.post(VERIFY, {"code": "12345678"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.get(reverse("accounts:preferences")).status_code == 302


def test_a_recovery_code_passes_the_verify_step_once(client, reviewer, password):
    _device, codes = enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("accounts:preferences")).status_code == 200
    client.logout()
    _password_sign_in(client, reviewer, password)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400


def test_an_unverified_session_gets_403_from_the_api(client, reviewer, password):
    enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]


def test_a_person_without_factors_signs_in_with_the_password_alone(client, reviewer, password):
    _password_sign_in(client, reviewer, password)
    assert client.get(reverse("accounts:preferences")).status_code == 200


@pytest.fixture
def enforced(settings):
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_ROLES = ["secretariat", "board"]


@pytest.mark.usefixtures("enforced")
def test_enforced_secretariat_without_a_factor_can_do_nothing_but_enrol(login, secretariat):
    client = login(secretariat)
    for url in ("/dashboard/", reverse("accounts:preferences"), "/applications/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(STATUS), url
    assert client.get("/api/v1/notifications/").status_code == 403
    assert client.get(STATUS).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.usefixtures("enforced")
def test_enforced_secretariat_enrols_on_the_pages_and_is_then_let_through(login, secretariat):
    client = login(secretariat)
    assert client.post(reverse("accounts:two-factor-totp")).status_code == 302
    page = client.get(reverse("accounts:two-factor-totp"))
    assert page.status_code == 200 and b"<svg" in page.content
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    assert secret in device.config_url
    with clock(T0):
        done = client.post(reverse("accounts:two-factor-totp"), {"code": code_at(device, T0)})
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", done.content.decode())) == 10
    assert mfa_enabled(secretariat)
    assert client.get(reverse("accounts:preferences")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_enforcement_leaves_reviewers_and_ngos_alone(login, reviewer, ngo):
    for user in (reviewer, ngo):
        assert login(user).get(reverse("accounts:preferences")).status_code == 200


def test_without_enforcement_the_secretariat_is_only_offered_it(login, secretariat, settings):
    settings.MFA_ENFORCED = False  # the demo (DEBUG on)
    client = login(secretariat)
    assert client.get(reverse("accounts:preferences")).status_code == 200
    assert client.get(STATUS).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_enrolled_secretariat_still_passes_the_verify_step(client, secretariat, password):
    device, _codes = enrol(secretariat)
    _password_sign_in(client, secretariat, password)
    assert client.get("/dashboard/")["Location"].startswith(VERIFY)
    now = T0 + 9 * STEP
    with clock(now):
        client.post(VERIFY, {"code": code_at(device, now)})
    assert client.get(reverse("accounts:preferences")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_turning_off_on_the_page_is_refused_for_the_secretariat(client, secretariat, password):
    _device, codes = enrol(secretariat)
    _password_sign_in(client, secretariat, password)
    client.post(VERIFY, {"code": codes[0]})
    response = client.post(reverse("accounts:two-factor-totp-off"),
                           {"code": codes[1], "confirmed": "yes"}, follow=True)
    assert "requires two-factor" in response.content.decode()
    assert mfa_enabled(secretariat)


def test_a_reviewer_turns_it_off_on_the_page_with_a_code(client, reviewer, password):
    _device, codes = enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    client.post(VERIFY, {"code": codes[0]})
    unconfirmed = client.post(reverse("accounts:two-factor-totp-off"), {"code": codes[1]})
    assert unconfirmed.status_code == 400 and mfa_enabled(reviewer)
    client.post(reverse("accounts:two-factor-totp-off"), {"code": codes[1], "confirmed": "yes"})
    assert not mfa_enabled(reviewer)


def test_the_status_page_counts_the_recovery_codes_left(client, reviewer, password):
    _device, codes = enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    client.post(VERIFY, {"code": codes[0]})
    assert "9 unused recovery codes left" in client.get(STATUS).content.decode()


def test_new_recovery_codes_need_confirmation_and_are_shown_once(client, reviewer, password):
    _device, codes = enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    client.post(VERIFY, {"code": codes[0]})
    url = reverse("accounts:two-factor-recovery-codes")
    assert client.post(url).status_code == 400
    page = client.post(url, {"confirmed": "yes"}).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and codes[1] not in new
    assert 'download="fundapp-recovery-codes.txt"' in page


def test_the_login_page_offers_a_passkey(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'id="passkey-verification-available-template"' in page
    assert "otp_webauthn_auth.js" in page and "<script>" not in page


def test_an_htmx_request_of_an_unverified_session_moves_the_whole_page(client, reviewer,
                                                                       password):
    enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    response = client.get("/dashboard/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == VERIFY


@pytest.mark.parametrize("header", ["Basic c2VjOng=", "Token not-a-token"])
def test_an_authorization_header_does_not_open_the_api_to_an_unverified_session(
        client, reviewer, password, header):
    enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    response = client.get("/api/v1/notifications/", headers={"Authorization": header})
    assert response.status_code in (401, 403)


def test_after_a_wrong_code_the_right_one_is_told_to_wait_not_that_it_is_wrong(
        client, reviewer, password, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    settings.OTP_TOTP_THROTTLE_FACTOR = 4  # django-otp's slow-down after a failure: 4 s
    device, _codes = enrol(reviewer)
    _password_sign_in(client, reviewer, password)
    now = T0 + 80 * STEP
    right = code_at(device, now)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with clock(now):
        assert "not valid" in client.post(VERIFY, {"code": wrong}).content.decode()
        failures = sum(a.failures_since_start for a in AccessAttempt.objects.all())
        response = client.post(VERIFY, {"code": right})
    assert response.status_code == 400
    page = response.content.decode()
    assert "wait 4 seconds" in page and "not valid" not in page
    assert sum(a.failures_since_start for a in AccessAttempt.objects.all()) == failures
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.__class__.objects.get(pk=device.pk)
        .throttling_failure_timestamp - timedelta(seconds=5))
    with clock(now):
        response = client.post(VERIFY, {"code": right, "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
