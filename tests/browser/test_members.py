"""ngo1 invites a colleague in a real browser; the colleague opens the link from the e-mail,
creates an account and starts a draft; a viewer of the organisation sees no edit button.
Every page is checked with axe-core and the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import Application, Membership, OrgRole
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, link_in_mail, sign_in
from tests.factories import CallFactory, ngo_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLEAGUE_PASSWORD = "Harbour-of-Hope-colleague-7"
INVITATION_LINK = r"https?://\S+/invitations/[A-Za-z0-9_-]+/"


def test_a_colleague_is_invited_joins_and_drafts(live_server, browser, page, ngo, password,
                                                 organisation, mail_folder, settings):
    settings.SITE_URL = base = live_server.url
    call = CallFactory(title_en="Eighth call for proposals")
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, ngo.username, password)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Organisation", exact=True).click()   # the menu with the members page
    nav.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name=f"Members of {organisation.name}")).to_be_visible()
    assert_checked(page)
    page.get_by_label("E-mail address").fill("chinwe@example.org")
    page.locator("#id_role").select_option("editor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation is on its way to chinwe@example.org")).to_be_visible()
    expect(page.get_by_role("cell", name="chinwe@example.org", exact=True)).to_be_visible()
    assert_checked(page)

    colleague = browser.new_context()
    colleague.add_init_script(CSP_LISTENER_JS)
    other = colleague.new_page()
    other.goto(link_in_mail(mail_folder, "chinwe@example.org", INVITATION_LINK))
    expect(other.get_by_role("heading", name=f"Join {organisation.name}")).to_be_visible()
    assert_checked(other)
    other.locator("#id_first_name").fill("Chinwe")
    other.locator("#id_last_name").fill("Okafor")
    other.locator("#id_username").fill("chinwe")
    other.locator("#id_password").fill(COLLEAGUE_PASSWORD)
    other.locator("#id_password_again").fill(COLLEAGUE_PASSWORD)
    other.get_by_role("button", name="Create the account and join").click()
    expect(other.get_by_text(f"you are now a member of {organisation.name}")).to_be_visible()
    assert Membership.objects.get(user__username="chinwe").role == OrgRole.EDITOR

    other.goto(f"{base}/calls/{call.pk}/")
    other.get_by_role("button", name="Apply").click()
    other.wait_for_url(re.compile(r"/applications/\d+/edit/"))
    other.fill("#id_title", "Legal aid desk in Benin City")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_text("Your draft is saved.")).to_be_visible()
    draft = Application.objects.get(call=call)
    assert (draft.organisation, draft.created_by.username) == (organisation, "chinwe")
    colleague.close()


def test_a_viewer_sees_the_draft_but_no_edit_button(live_server, page, organisation, password):
    from tests.factories import ApplicationFactory

    base = live_server.url
    viewer = ngo_user(organisation, org_role=OrgRole.VIEWER, username="ngo1-viewer")
    draft = ApplicationFactory(organisation=organisation, title="Shelter in Lagos")
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, base, viewer.username, password)
    page.goto(f"{base}/applications/{draft.pk}/")
    expect(page.get_by_role("heading", name="Shelter in Lagos")).to_be_visible()
    expect(page.get_by_role("link", name="Continue editing")).to_have_count(0)
    assert_checked(page)
    page.goto(f"{base}/organisation/members/")
    expect(page.get_by_role("button", name="Send the invitation")).to_have_count(0)
    assert_checked(page)
