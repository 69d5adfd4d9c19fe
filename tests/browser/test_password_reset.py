"""A forgotten password in a real browser, with the Content-Security-Policy enforced:
forgot password → the e-mail in the mail folder → a new password → sign in with it."""


import pytest
from playwright.sync_api import expect

from tests.browser.pages import CSP_LISTENER_JS, assert_checked, link_in_mail
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Une-phrase-de-passe-assez-longue-9"


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
    assert_checked(page)
    page.get_by_label("E-mail address").fill("AMINA@example.org")
    page.get_by_role("button", name="E-mail me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_checked(page)

    page.goto(link_in_mail(mail_folder, "amina@example.org", r"https?://\S+/reset/\S+/\S+/"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "/set-password/" in page.url  # the token left the address bar
    assert_checked(page)
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
    assert_checked(page)
    assert errors == []
