"""List pages in a real browser (issue 15): the secretariat filters the contributions by year,
sees the filter as a chip, sorts, removes the filter, and the page keeps passing axe-core and
the Content-Security-Policy; the public list of past calls the same without signing in."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import CallStatus
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.donors.factories import DonorFactory, record
from tests.factories import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def count(page) -> int:
    return int(page.locator(".list-count").get_attribute("data-count"))


def test_the_secretariat_filters_sorts_and_clears_the_contributions(live_server, page,
                                                                     secretariat, password):
    norway = DonorFactory(name="Norway", country="NO")
    for i in range(4):
        record(norway, f"{1000 * (i + 1)}.00", received_on=date(2023 + i % 2, 5, 1 + i),
               bank_reference=f"NOR-{i}")
    page.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/funding/contributions/")
    assert count(page) == 4
    page.get_by_label("Year", exact=True).select_option("2023")
    page.get_by_label("Sort by").select_option(label="Largest in USD first")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".chip")).to_contain_text("Year: 2023")
    assert count(page) == 2
    assert "year=2023" in page.url and "sort=-usd" in page.url
    refs = page.locator("tbody td:nth-child(8)").all_inner_texts()
    assert refs == ["NOR-2", "NOR-0"]
    assert_checked(page)
    page.get_by_role("link", name="Remove the filter “Year”").click()
    assert count(page) == 4 and "year=" not in page.url and "sort=-usd" in page.url
    assert_checked(page)


def test_anyone_filters_the_past_calls(live_server, page):
    for i, status in enumerate((CallStatus.ARCHIVED, CallStatus.DECIDED, CallStatus.ARCHIVED)):
        CallFactory(number=300 + i, title_en=f"Past call {i}", status=status,
                    opens_at=timezone.now() - timedelta(days=500),
                    closes_at=timezone.now() - timedelta(days=400))
    page.add_init_script(CSP_LISTENER_JS)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/calls/?status=archived")
    expect(page.locator(".chip")).to_contain_text("Status: Archived")
    assert count(page) == 2
    assert_checked(page)
