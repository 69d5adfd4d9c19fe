"""Personal data in a real browser: an NGO user downloads their data and closes their
account from their preferences; the secretariat sees the retention page. Every page is
checked with axe-core."""

import json

import pytest
from django.core import mail
from playwright.sync_api import expect

from fundapp.accounts.models import User
from tests.browser.pages import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected by the test; the site's Content-Security-Policy would refuse it.
    return {**browser_context_args, "bypass_csp": True}


def test_an_ngo_user_downloads_their_data_then_closes_their_account(live_server, page, ngo,
                                                                     password):
    base, address = live_server.url, ngo.email
    sign_in(page, base, ngo.username, password)
    page.goto(f"{base}/accounts/preferences/")
    page.get_by_role("link", name="Your data and closing your account").click()
    expect(page.get_by_role("heading", name="Your personal data", level=1)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["profile"]["username"] == ngo.username

    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Close my account").click()
    page.locator("dialog[open] [data-confirm-yes]").wait_for()
    assert_accessible(page)
    page.locator("dialog[open] [data-confirm-yes]").click()
    expect(page.get_by_text("Your account is closed.")).to_be_visible()
    assert User.objects.get(pk=ngo.pk).anonymised_at is not None
    assert any(m.to == [address] for m in mail.outbox)
    sign_in(page, base, ngo.username, password)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_secretariat_sees_the_retention_page(live_server, page, secretariat, password):
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/manage/people/")
    page.get_by_role("link", name="Retention of personal data").click()
    expect(page.get_by_role("heading", name="Retention of personal data")).to_be_visible()
    expect(page.get_by_text("Nobody is due for anonymisation.")).to_be_visible()
    assert_accessible(page)
