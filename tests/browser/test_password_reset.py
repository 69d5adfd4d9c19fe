"""A forgotten password in a real browser, with the Content-Security-Policy enforced:
forgot password → the e-mail in the mail folder → a new password → sign in with it."""

import email
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next(iter(sorted((Path(__file__).resolve().parents[2] / "static" / "vendor")
                       .glob("axe-core-*.min.js"))))
NEW = "Une-phrase-de-passe-assez-longue-9"
CSP_LISTENER_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline')));
"""


@pytest.fixture
def mail_folder(settings, tmp_path) -> Path:
    """E-mail written to files, as the demo does in var/mail/."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def _reset_link(folder: Path) -> str:
    [path] = list(folder.glob("*.log"))
    message = email.message_from_bytes(path.read_bytes())
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode(text.get_content_charset() or "utf-8")
    return re.search(r"https?://\S+/reset/\S+/\S+/", body).group(0)


def _checked(page, base):
    """No CSP refusal, no console error, no serious axe-core violation on this page."""
    assert page.evaluate("() => window.__csp") == []
    page.add_script_tag(url=f"{base}/static/vendor/{AXE.name}")  # 'self': allowed
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id))")
    assert violations == [], violations


def test_a_forgotten_password_is_reset_from_the_email(live_server, page, mail_folder,
                                                      settings):
    UserFactory(username="amina", email="amina@example.org")
    settings.SITE_URL = live_server.url
    base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.add_init_script(CSP_LISTENER_JS)

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    _checked(page, base)
    page.get_by_label("E-mail address").fill("AMINA@example.org")
    page.get_by_role("button", name="E-mail me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    _checked(page, base)

    page.goto(_reset_link(mail_folder))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "/set-password/" in page.url  # the token left the address bar
    _checked(page, base)
    page.locator("#id_new_password1").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{base}/accounts/sessions/")
    expect(page.get_by_text("this session")).to_be_visible()
    _checked(page, base)
    assert errors == []
