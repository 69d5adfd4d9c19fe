"""Two-factor sign-in in a real browser: the secretariat enrols an authenticator app and
signs in with a code; a passkey made with Chromium's virtual authenticator signs in alone."""

import re
from unittest import mock

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from fundapp.accounts.mfa import mfa_enabled, passkeys_of
from tests.accounts.mfa_helpers import STEP, T0, code_at
from tests.browser.pages import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected by the test; the site's Content-Security-Policy would refuse it.
    return {**browser_context_args, "bypass_csp": True}


class Clock:
    """The server's TOTP clock, moved by the test (the live server runs in this process)."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def otp_clock():
    clock = Clock(T0)
    with mock.patch("django_otp.plugins.otp_totp.models.time", clock):
        yield clock


def test_secretariat_enrols_an_authenticator_app_and_signs_in_with_a_code(
        live_server, page, secretariat, password, otp_clock, settings):
    settings.MFA_ENFORCED = True
    base = live_server.url
    sign_in(page, base, secretariat.username, password)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))  # required: enrol first
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    assert f"secret={secret}" in device.config_url
    page.get_by_label("Code from the app").fill(code_at(device, otp_clock.now))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert mfa_enabled(secretariat)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_visible()
    assert_accessible(page)
    sign_in(page, base, secretariat.username, password)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    assert_accessible(page)
    otp_clock.now += 2 * STEP
    page.get_by_label("Code").fill(code_at(device, otp_clock.now))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))  # on to the work pages
    page.goto(f"{base}/accounts/two-factor/")
    expect(page.get_by_text("On since")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/accounts/two-factor/passkeys/")
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def csp_page(browser):
    """A page that obeys the site's Content-Security-Policy (no axe-core injected)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def virtual_authenticator(csp_page):
    page = csp_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    yield cdp, found["authenticatorId"]
    cdp.send("WebAuthn.disable")


def test_a_passkey_is_registered_and_signs_in_without_a_password(
        live_server, csp_page, secretariat, password, settings, virtual_authenticator):
    page = csp_page
    base = live_server.url
    errors = []  # a script refused by the Content-Security-Policy would show here
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    assert base.startswith("http://localhost:")
    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/accounts/two-factor/passkeys/")
    page.get_by_label("Name of the passkey").fill("Office laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name="Office laptop", exact=True)).to_be_visible()
    assert [p.name for p in passkeys_of(secretariat)] == ["Office laptop"]
    cdp, authenticator = virtual_authenticator
    assert len(cdp.send("WebAuthn.getCredentials",
                        {"authenticatorId": authenticator})["credentials"]) == 1

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    page.goto(f"{base}/accounts/two-factor/passkeys/")
    expect(page.get_by_role("cell", name="Office laptop", exact=True)).to_be_visible()
    assert passkeys_of(secretariat).get().last_used_at is not None
    assert errors == []
