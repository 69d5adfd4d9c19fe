"""Irreversible steps in the browser: the dialog says what happens, Cancel does nothing,
and a submission made right after typing carries what was typed. Without JavaScript the
"I understand" box stands in for the dialog."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import Application, ApplicationStatus, Call, CallStatus
from tests.factories import complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(organisation, open_call):
    return complete_application(organisation=organisation, call=open_call, title="First title")


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").first.click()


def submit_button(page):
    return page.locator("form[action$='/submit/'] button[type=submit]")


def test_cancel_in_the_dialog_submits_nothing(page, live_server, ngo, password, draft):
    sign_in(page, live_server, ngo, password)
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    expect(page.get_by_label("I understand what will happen")).to_be_hidden()

    submit_button(page).click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("you can no longer edit it")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()

    expect(page.locator("dialog[open]")).to_have_count(0)
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.DRAFT


def test_submitting_right_after_typing_submits_what_was_typed(page, live_server, ngo,
                                                              password, draft):
    sign_in(page, live_server, ngo, password)
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    page.click("#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Title typed just before submitting")

    submit_button(page).click()
    page.locator("dialog[open] [data-confirm-yes]").click()
    page.wait_for_url(re.compile(rf"/applications/{draft.pk}/$"))

    app = Application.objects.get(pk=draft.pk)
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.title == "Title typed just before submitting"


def test_without_javascript_the_box_is_asked_for_and_the_server_insists(
        browser, live_server, ngo, password, draft):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, ngo, password)
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    box = page.get_by_label("I understand what will happen")
    expect(box).to_be_visible()

    submit_button(page).click()  # the required box stops the browser
    page.wait_for_timeout(500)
    assert page.url.endswith("/edit/")
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.DRAFT

    box.check()
    submit_button(page).click()
    page.wait_for_url(re.compile(rf"/applications/{draft.pk}/$"))
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED
    context.close()


def test_closing_a_call_from_its_row_asks_in_a_dialog(page, live_server, secretariat, password,
                                                      open_call):
    sign_in(page, live_server, secretariat, password)
    page.goto(f"{live_server.url}/manage/calls/")
    expect(page.locator(f"#close-call-{open_call.pk}-ok")).to_be_hidden()

    page.locator(f"form[action$='/calls/{open_call.pk}/close/'] button[type=submit]").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("no more applications can be submitted")
    dialog.get_by_role("button", name="Close the call").click()

    expect(page.locator(".messages")).to_contain_text("closed")
    assert Call.objects.get(pk=open_call.pk).status == CallStatus.CLOSED
