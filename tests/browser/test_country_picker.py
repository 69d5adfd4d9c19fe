"""The searchable country picker in a real browser (issue 15): typing a few letters finds a
country without its accents, picks add up in the form's own select, the words come from
the page (French names, sorted for a French reader), and without JavaScript the plain select
still works. axe-core and the Content-Security-Policy on each page."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _selected(page, select_id: str) -> list[str]:
    return page.eval_on_selector(
        f"#{select_id}", "s => Array.from(s.selectedOptions).map(o => o.value)")


def test_the_secretariat_picks_eligible_countries_by_typing(live_server, page, secretariat,
                                                             password):
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/manage/calls/new/")
    box = page.locator("#id_eligible_countries-ts-control")
    expect(box).to_be_visible()
    box.click()
    box.fill("cote")  # no accent typed: Côte d'Ivoire
    page.locator(".ts-dropdown .option", has_text="Côte d").click()
    box.fill("nige")
    expect(page.locator(".ts-dropdown .option", has_text="Nigeria")).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text="Niger").first).to_be_visible()
    page.locator(".ts-dropdown .option", has_text="Nigeria").click()
    assert sorted(_selected(page, "id_eligible_countries")) == ["CI", "NG"]
    box.fill("zzzz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("No country of that name.")
    box.fill("")
    page.keyboard.press("Escape")
    expect(page.locator("#id_eligible_countries_helptext")).to_contain_text("Type a few letters")
    page.locator(".ts-control .item[data-value='CI'] .remove").click()
    assert _selected(page, "id_eligible_countries") == ["NG"]
    assert_checked(page)


def test_in_french_the_names_are_french(live_server, page, secretariat, password):
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.context.add_cookies([{"name": "django_language", "value": "fr",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/manage/calls/new/")
    box = page.locator("#id_eligible_countries-ts-control")
    box.click()
    box.fill("egy")
    page.locator(".ts-dropdown .option", has_text="Égypte").click()
    box.fill("allem")
    page.locator(".ts-dropdown .option", has_text="Allemagne").click()
    assert sorted(_selected(page, "id_eligible_countries")) == ["DE", "EG"]
    box.fill("")
    page.keyboard.press("Escape")  # the page as it is left: the list closed
    assert_checked(page)


def test_without_javascript_it_is_a_plain_select_that_works(live_server, browser,
                                                           secretariat, password):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/manage/calls/new/")
    select = page.locator("#id_eligible_countries")
    expect(select).to_be_visible()
    assert page.locator("#id_eligible_countries-ts-control").count() == 0
    select.select_option(["KE", "NG"])
    assert sorted(_selected(page, "id_eligible_countries")) == ["KE", "NG"]
    expect(page.locator("#id_eligible_countries_helptext")).to_contain_text("Ctrl")
    context.close()
