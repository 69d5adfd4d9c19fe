"""The home pages of an NGO member, a reviewer, a Board member and a donor (in French) in a
real browser: each follows one of its work items to the filtered list, whose count is the
item's and whose filter chip removes the filter. Every page is checked with axe-core and
the Content-Security-Policy; screenshots go to /tmp/shots/desks/ when that folder exists."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fundapp.accounts.roles import Role
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.donors.factories import DonorFactory, pledge, record
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.grants.board.helpers import meeting, recommended_call, sitting_board
from tests.grants.reviews.helpers import assign, eligible_application, make_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/desks")


def _shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"browser-{name}.png"), full_page=True)


def _follow(page, base, code: str, count: str, chip: str = "") -> None:
    """From the home page, open the item ``code`` and check the list agrees with it."""
    page.goto(f"{base}/dashboard/")
    item = page.locator(f'li.work-item[data-code="{code}"]')
    expect(item).to_have_attribute("data-count", count)
    assert_checked(page)
    _shot(page, f"{code}-home")
    item.get_by_role("link").click()
    page.wait_for_load_state()
    expect(page.locator(".list-count")).to_have_attribute("data-count", count)
    expect(page.locator(".applied-filters")).to_contain_text(chip)
    assert_checked(page)
    _shot(page, f"{code}-list")
    page.locator(".applied-filters .chip-remove").first.click()
    page.wait_for_load_state()
    expect(page.locator(".applied-filters")).to_have_count(0)


def test_each_role_follows_its_work_to_the_list_that_counts_it(
        live_server, page, ngo, organisation, secretariat, password, monkeypatch):
    base = live_server.url
    monkeypatch.setattr("grants.selectors.board.contributions_received_usd", lambda: None)
    soon = CallFactory(closes_at=timezone.now() + timedelta(days=4))
    ApplicationFactory(organisation=organisation, call=soon)
    ApplicationFactory(organisation=organisation, call=soon)
    reviewer = make_reviewer("rev1", password=password)
    assign(eligible_application(), reviewer)
    _chair, members = sitting_board(2)
    members[0].set_password(password)
    members[0].save()
    meeting(recommended_call(), secretariat)
    donor = UserFactory(username="donor", roles=[Role.DONOR], language="fr", password=password)
    funder = DonorFactory(users=[donor])
    record(funder, amount="2500.00", received_on=timezone.localdate())
    pledge(funder, year=timezone.localdate().year,
           expected_on=timezone.localdate() - timedelta(days=5))
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, ngo.username, password)
    _follow(page, base, "drafts_deadline_soon", "2", "Drafts due within 14 days")
    page.goto(f"{base}/dashboard/")
    expect(page.get_by_text("Where your applications stand")).to_have_count(0)  # drafts only

    page.context.clear_cookies()
    sign_in(page, base, reviewer.username, password)
    _follow(page, base, "reviews_to_declare", "1", "Assigned")
    page.goto(f"{base}/dashboard/")
    expect(page.get_by_text("declare any conflict of interest")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, base, members[0].username, password)
    _follow(page, base, "board_votes_needed", "1", "Sessions still needing your vote")

    page.context.clear_cookies()
    sign_in(page, base, donor.username, password)
    page.goto(f"{base}/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    _follow(page, base, "pledges_outstanding", "1")
    page.goto(f"{base}/dashboard/")
    expect(page.locator('li.work-item[data-code="contributions_this_year"]')
           ).to_have_attribute("data-count", "1")
    expect(page.locator(".figures")).to_be_visible()
    assert_checked(page)
    _shot(page, "donor-fr")
