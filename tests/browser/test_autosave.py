"""Autosave on the draft form keeps every edit: Tab away, leave at once, lose the network."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from grants.models import Application
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"saved at \d\d:\d\d", re.I)


@pytest.fixture(autouse=True)
def _quiet_at_the_end(page):
    """Leave the page and let its last save finish before the database is emptied."""
    yield
    page.context.set_offline(False)
    page.goto("about:blank")
    page.wait_for_timeout(500)


@pytest.fixture
def draft(ngo, organisation):
    return ApplicationFactory(organisation=organisation, title="Shelter in Lagos")


@pytest.fixture
def edit_page(live_server, page, ngo, password, draft):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(ngo.username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    url = f"{live_server.url}/applications/{draft.pk}/edit/"
    page.goto(url)
    return url


def stored_summary(draft) -> str:
    return Application.objects.get(pk=draft.pk).summary


def test_typing_then_tab_saves_and_a_reload_shows_the_text(page, edit_page, draft):
    page.click("#id_summary")
    page.keyboard.press("Control+A")
    page.keyboard.type("Shelter and legal aid, typed then tabbed away.")
    page.keyboard.press("Tab")

    expect(page.locator("#autosave-status")).to_contain_text(SAVED)
    page.reload()

    expect(page.locator("#id_summary")).to_have_value(
        "Shelter and legal aid, typed then tabbed away.")
    assert stored_summary(draft) == "Shelter and legal aid, typed then tabbed away."


def test_a_keystroke_after_a_pause_is_saved_too(page, edit_page, draft):
    page.fill("#id_summary", "First part")
    expect(page.locator("#autosave-status")).to_contain_text(SAVED)
    page.wait_for_timeout(1500)
    page.locator("#id_summary").press("End")
    page.keyboard.type(", second part")

    expect(page.locator("#autosave-status")).to_contain_text(SAVED)
    page.wait_for_function("() => !document.querySelector('.autosave-pending')")
    page.reload()
    expect(page.locator("#id_summary")).to_have_value("First part, second part")


def test_typing_and_leaving_at_once_keeps_the_text(page, live_server, edit_page, draft):
    page.click("#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Left the page right away")
    page.get_by_role("link", name="My applications").first.click()
    page.wait_for_url(re.compile(r"/applications/$"))

    page.goto(edit_page)
    expect(page.locator("#id_title")).to_have_value("Left the page right away")


def test_offline_edits_show_retrying_then_save_when_back_online(page, context, edit_page, draft):
    context.set_offline(True)
    page.fill("#id_summary", "Written on a train without network.")
    page.locator("#id_summary").press("Tab")

    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Not saved, retrying")
    assert stored_summary(draft) != "Written on a train without network."

    context.set_offline(False)
    expect(status).to_contain_text(SAVED)
    assert stored_summary(draft) == "Written on a train without network."


def test_leaving_while_offline_with_unsaved_changes_asks_first(page, context, edit_page):
    context.set_offline(True)
    page.fill("#id_summary", "Not on the server yet.")
    expect(page.locator("#autosave-status")).to_contain_text("Not saved, retrying")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="My applications").first.click()
    page.wait_for_timeout(500)

    assert asked == ["beforeunload"]
    assert re.search(r"/edit/$", page.url)
    page.remove_listener("dialog", answer)
    context.set_offline(False)
    expect(page.locator("#autosave-status")).to_contain_text(SAVED)


def test_the_saved_time_is_in_the_users_time_zone(live_server, page, ngo, password, draft):
    ngo.timezone = "Pacific/Kiritimati"  # UTC+14: never the server's clock
    ngo.save(update_fields=["timezone"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(ngo.username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    before = datetime.now(zoneinfo.ZoneInfo("Pacific/Kiritimati"))

    page.fill("#id_summary", "Saved far east.")
    page.locator("#id_summary").press("Tab")

    status = page.locator("#autosave-status")
    expect(status).to_contain_text(SAVED)
    shown = re.search(r"(\d\d:\d\d)", status.inner_text()).group(1)
    assert shown in {(before + timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
    expect(status).to_contain_text("Pacific/Kiritimati")


def test_the_status_region_is_polite_and_its_texts_come_from_the_page(page, edit_page):
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    form = page.locator("#draft-form")
    expect(form).to_have_attribute("data-msg-retrying", re.compile("Not saved, retrying"))


def test_without_javascript_the_save_button_still_saves(browser, live_server, ngo, password,
                                                        draft):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(ngo.username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    page.fill("#id_summary", "Saved with the button.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("#id_summary")).to_have_value("Saved with the button.")
    assert stored_summary(draft) == "Saved with the button."
    context.close()
