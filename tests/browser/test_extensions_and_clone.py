"""In a real browser: the secretariat extends one application of a closed call and its NGO
submits it; the secretariat clones a call and lands on the new draft. Every page is checked
with axe-core and the Content-Security-Policy."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import ApplicationStatus, Call, CallStatus
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.factories import CallFactory, complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_extend_submit_and_clone(live_server, browser, page, ngo, secretariat, password,
                                 organisation):
    base = live_server.url
    now = timezone.now()
    call = CallFactory(number=7, opens_at=now - timedelta(days=40),
                       closes_at=now - timedelta(days=1), status=CallStatus.CLOSED)
    app = complete_application(organisation=organisation, call=call,
                               title="Emergency shelter in Maiduguri")
    until = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    page.context.add_init_script(CSP_LISTENER_JS)
    page.context.set_default_timeout(60_000)  # a loaded CI machine serves the first page slowly

    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/applications/{app.pk}/")
    expect(page.get_by_role("heading", name="Submission deadline")).to_be_visible()
    assert_checked(page)
    page.get_by_label("May submit until").fill(until)
    page.get_by_label("Reason").fill("Office flooded in Maiduguri; documents lost.")
    page.get_by_role("button", name="Extend the deadline").click()
    expect(page.get_by_text("The deadline of this application is extended.")).to_be_visible()
    assert_checked(page)
    page.goto(f"{base}/manage/calls/{call.pk}/extensions/")
    expect(page.get_by_text("Office flooded in Maiduguri; documents lost.")).to_be_visible()
    assert_checked(page)

    ngo_context = browser.new_context()
    ngo_context.set_default_timeout(60_000)
    ngo_context.add_init_script(CSP_LISTENER_JS)
    other = ngo_context.new_page()
    sign_in(other, base, ngo.username, password)
    other.goto(f"{base}/my/applications/")
    expect(other.get_by_text("extended", exact=True)).to_be_visible()
    assert_checked(other)
    other.goto(f"{base}/applications/{app.pk}/edit/")
    expect(other.get_by_text("extended for you")).to_be_visible()
    assert_checked(other)
    other.get_by_role("button", name="Submit the application").click()
    other.locator("dialog[open]").get_by_role("button", name="Submit the application").click()
    other.wait_for_url(re.compile(r"/applications/\d+/$"))
    expect(other.get_by_text("Your application is submitted")).to_be_visible()
    assert_checked(other)
    ngo_context.close()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED

    page.goto(f"{base}/calls/{call.pk}/")
    page.get_by_role("link", name="Clone this call").click()
    expect(page.get_by_role("heading", name="Clone call no. 7")).to_be_visible()
    assert_checked(page)
    page.get_by_label("Number of the new call").fill("9")
    page.get_by_role("button", name="Create the draft copy").click()
    page.wait_for_url(re.compile(r"/manage/calls/\d+/edit/$"))
    expect(page.get_by_role("heading", name="Edit call no. 9")).to_be_visible()
    expect(page.locator('input[value="women-girls"]')).to_be_visible()
    assert_checked(page)
    assert Call.objects.get(number=9).status == CallStatus.DRAFT
