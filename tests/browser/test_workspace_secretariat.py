"""The secretariat's home page in a real browser: signing in lands on the work queue with
its counts; following an item opens the list with the filter shown as a chip and the same
count; removing the chip widens the list. axe-core and the CSP on every page, and the page
at 390 px wide."""

import pytest
from playwright.sync_api import expect

from grants.models import OrganisationStatus
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_follows_a_work_item_to_its_list_and_removes_the_filter(
        live_server, page, secretariat, password):
    base = live_server.url
    for i in range(3):
        OrganisationFactory(name=f"Awaiting Shelter {i}", status=OrganisationStatus.PENDING)
    OrganisationFactory(name="Verified Haven")
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, secretariat.username, password)
    expect(page).to_have_url(f"{base}/dashboard/")
    card = page.locator('.work-item[data-code="organisations_to_verify"]')
    expect(card).to_have_attribute("data-count", "3")
    expect(card.locator(".work-count")).to_have_text("3")
    expect(page.locator('.work-item[data-code="applications_to_screen"]')).to_have_class(
        "work-item is-done")
    assert_checked(page)

    card.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/organisations/?status=pending")
    chip = page.locator(".applied-filters .chip")
    expect(chip).to_contain_text("Awaiting verification")
    expect(page.locator(".list-count")).to_have_attribute("data-count", "3")
    expect(page.get_by_text("Verified Haven")).to_have_count(0)
    assert_checked(page)

    chip.get_by_role("link").click()
    expect(page.locator(".applied-filters")).to_have_count(0)
    expect(page.locator(".list-count")).to_have_attribute("data-count", "4")
    expect(page.get_by_role("cell", name="Verified Haven", exact=True)).to_be_visible()
    assert_checked(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/dashboard/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    assert_checked(page)
