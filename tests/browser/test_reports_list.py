"""The fund-wide reports list in a real browser: the secretariat follows "Reports overdue"
from its home page to the filtered list (the count on the home page is the list's, the
filter is shown and removable); an organisation's member sees its own reports only. Every
page is checked with axe-core and the Content-Security-Policy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import ReportDue
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.grants.implementation.helpers import active_grant, due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_follows_reports_overdue_and_an_ngo_sees_its_own(
        live_server, page, secretariat, ngo, other_ngo, organisation, other_organisation,
        password):
    base = live_server.url
    late = active_grant(organisation, ngo, secretariat)
    ReportDue.objects.filter(pk=due(late).pk).update(
        due_date=timezone.localdate() - timedelta(days=9))
    theirs = active_grant(other_organisation, other_ngo, secretariat)
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/dashboard/")
    item = page.locator('li.work-item[data-code="reports_overdue"]')
    expect(item).to_have_attribute("data-count", "1")
    assert_checked(page)
    item.get_by_role("link").click()
    page.wait_for_url("**/manage/reports/?overdue=1")
    expect(page.get_by_role("heading", name="Progress reports")).to_be_visible()
    expect(page.locator(".list-count")).to_have_attribute("data-count", "1")
    expect(page.locator(".applied-filters")).to_contain_text("Overdue only")
    expect(page.get_by_role("cell", name=late.agreement_number)).to_be_visible()
    assert_checked(page)
    page.get_by_role("link", name="Remove the filter “Overdue”").click()
    expect(page.locator(".list-count")).to_have_attribute("data-count", "4")
    assert_checked(page)

    page.context.clear_cookies()
    sign_in(page, base, ngo.username, password)
    page.goto(f"{base}/reports/")
    expect(page.get_by_role("heading", name="Our progress reports")).to_be_visible()
    expect(page.locator(".list-count")).to_have_attribute("data-count", "2")
    expect(page.get_by_text(late.agreement_number).first).to_be_visible()
    expect(page.get_by_text(theirs.agreement_number)).to_have_count(0)
    expect(page.locator("tr.overdue")).to_have_count(1)
    assert_checked(page)
