"""ngo1's no-cost extension in a real browser: the organisation asks for three more months,
the secretariat approves it, and the grant's page shows the new end date and version 2 of
the agreement. Every page is checked with axe-core and the Content-Security-Policy."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fundapp.core.formatting import date as format_date
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.grants.amendments.conftest import with_budget
from tests.grants.implementation.helpers import active_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_extension_is_requested_approved_and_versioned(live_server, browser, page, ngo,
                                                          secretariat, organisation, password,
                                                          mail_folder, settings):
    settings.SITE_URL = base = live_server.url
    grant = with_budget(active_grant(organisation, ngo, secretariat))
    new_end = grant.end_date + timedelta(days=91)
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, ngo.username, password)
    page.goto(f"{base}/grants/{grant.pk}/implementation/")
    assert_checked(page)
    page.get_by_role("link", name="Amendments: request or decide").click()
    expect(page.get_by_role("heading", name="Amendments and versions of the agreement")
           ).to_be_visible()
    assert_checked(page)
    page.locator("summary", has_text="No-cost extension").click()
    page.get_by_label("New end date").fill(new_end.isoformat())
    page.get_by_label("Why is more time needed?").fill("The road to the shelter was closed.")
    page.get_by_role("button", name="Send the request").first.click()
    expect(page.get_by_text("Your request is sent to the secretariat.")).to_be_visible()
    assert_checked(page)

    staff = browser.new_context()
    staff.add_init_script(CSP_LISTENER_JS)
    other = staff.new_page()
    sign_in(other, base, secretariat.username, password)
    other.goto(f"{base}/grants/{grant.pk}/amendments/")
    expect(other.get_by_text("The road to the shelter was closed.")).to_be_visible()
    assert_checked(other)
    other.get_by_role("button", name="Approve", exact=True).click()
    other.locator("dialog[open] [data-confirm-yes]").click()
    expect(other.get_by_text("The amendment is approved")).to_be_visible()
    assert_checked(other)
    staff.close()

    page.goto(f"{base}/grants/{grant.pk}/implementation/")
    expect(page.get_by_text(format_date(new_end, "medium"), exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Version 2", exact=True)).to_be_visible()
    assert_checked(page)
    grant.refresh_from_db()
    assert grant.end_date == new_end
