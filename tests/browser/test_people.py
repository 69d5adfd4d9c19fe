"""The People section in a real browser: the secretariat invites a reviewer, who accepts
through the e-mailed link and appears in the reviewer pool; a deactivated user is refused at
sign-in, and the review they left pending is on the secretariat's home page to reassign.
Every page is checked with axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of
from grants.services.reviews import reviewer_pool
from tests.browser.pages import assert_accessible, sign_in
from tests.grants.reviews.helpers import assign, eligible_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-passphrase-for-the-expert"


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected by the test; the site's Content-Security-Policy would refuse it.
    return {**browser_context_args, "bypass_csp": True}


def test_the_secretariat_invites_a_reviewer_who_joins_the_pool(live_server, page, browser,
                                                               secretariat, password):
    base = live_server.url
    sign_in(page, base, secretariat.username, password)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():  # axe runs on the invitation page, not on the way there
        page.get_by_role("link", name="Invite a person").click()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("expert@example.org")
    page.get_by_label("Reviewer", exact=True).check()
    page.get_by_label("Expertise (reviewers)").fill("Child protection in West Africa")
    page.get_by_label("Languages (reviewers)").fill("French, English")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to expert@example.org")).to_be_visible()
    expect(page.get_by_role("cell", name="expert@example.org", exact=True)).to_be_visible()

    [message] = [m for m in mail.outbox if "expert@example.org" in m.to]
    link = re.search(r"https?://\S+/invitations/[\w-]+/", message.body).group(0)
    path = link.split("/invitations/", 1)[1]
    guest = browser.new_context(bypass_csp=True).new_page()
    guest.goto(f"{base}/invitations/{path}")
    assert_accessible(guest)
    guest.get_by_label("First name").fill("Amina")
    guest.get_by_label("Last name").fill("Diallo")
    guest.get_by_label("Username").fill("expert")
    guest.locator("input[name=password]").fill(NEW_PASSWORD)
    guest.get_by_label("Password again").fill(NEW_PASSWORD)
    guest.get_by_role("button", name="Create the account and join").click()
    expect(guest.get_by_text("Welcome to FundApp")).to_be_visible()
    expect(guest).to_have_url(re.compile(r"/dashboard/$"))  # what awaits the new reviewer

    expert = User.objects.get(username="expert")
    assert Role.REVIEWER in roles_of(expert)
    assert expert in reviewer_pool()
    page.goto(f"{base}/manage/reviewers/")
    expect(page.get_by_role("link", name="Edit Amina Diallo", exact=True)).to_have_count(1)
    assert "French, English" in expert.reviewer_profile.expertise


def test_a_deactivated_user_cannot_sign_in(live_server, page, browser, secretariat, reviewer,
                                           password):
    base = live_server.url
    review = assign(eligible_application(), reviewer)
    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/manage/people/{reviewer.pk}/")
    assert_accessible(page)
    page.get_by_label("Reason").fill("Left the reviewer roster.")
    page.get_by_role("button", name="Deactivate", exact=True).click()
    dialog = page.get_by_role("dialog")
    if dialog.is_visible():
        dialog.get_by_role("button", name="Deactivate the account").click()
    else:
        page.get_by_label(re.compile("I understand")).check()
        page.get_by_role("button", name="Deactivate", exact=True).click()
    expect(page.get_by_text(f"{reviewer.display_name} is deactivated")).to_be_visible()
    reviewer.refresh_from_db()
    assert not reviewer.is_active

    other = browser.new_context(bypass_csp=True).new_page()
    sign_in(other, base, reviewer.username, password)
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
    expect(other.get_by_role("button", name="Sign in", exact=True)).to_be_visible()

    page.goto(f"{base}/dashboard/")
    card = page.locator('[data-code="reviews_to_reassign"]')
    expect(card).to_have_attribute("data-count", "1")
    with page.expect_navigation():
        card.get_by_role("link").click()
    expect(page.get_by_text("To reassign: Reviewer deactivated")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Reassign")).click()
    expect(page).to_have_url(re.compile(rf"/manage/applications/{review.application_id}/"
                                        r"reviewers/$"))
    expect(page.get_by_text("Deactivated: needs reassignment")).to_be_visible()
