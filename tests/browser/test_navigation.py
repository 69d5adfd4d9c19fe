"""Navigation, breadcrumbs and search in a real browser: at 1280 px the header is one row
for every role (French included), the menus open with a click or the keyboard and close
with Escape; at 390 px the navigation folds into "Menu", which opens and whose links work;
the secretariat's search finds an application by reference, an organisation by name and a
grant by agreement number. Every page passes axe-core and the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from fundapp.accounts.roles import Role
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.donors.factories import DonorFactory
from tests.factories import ApplicationFactory, UserFactory
from tests.grants.implementation.helpers import make_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_ROW_JS = """() => {
  const parts = [...document.querySelectorAll('.topbar-inner > *')]
    .filter(e => e.getBoundingClientRect().width > 0);
  const tops = parts.map(e => e.getBoundingClientRect().top);
  const list = document.querySelector('.navlist');
  return {spread: Math.max(...tops) - Math.min(...tops),
          nav: list.getBoundingClientRect().height,
          overflow: list.scrollWidth - list.clientWidth,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture
def people(db, secretariat, ngo, reviewer, board_member, donor):
    donor.language = "fr"
    donor.save(update_fields=["language"])
    DonorFactory(name="Luxembourg", country="LU", users=[donor])
    return {"secretariat": secretariat, "ngo": ngo, "reviewer": reviewer,
            "board": board_member, "donor": donor}


def test_the_header_is_one_row_at_1280_px_for_every_role(live_server, browser, people,
                                                        password):
    for role, user in people.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.add_init_script(CSP_LISTENER_JS)
        sign_in(page, live_server.url, user.username, password)
        page.goto(f"{live_server.url}/calls/")
        fit = page.evaluate(ONE_ROW_JS)
        assert fit["nav"] < 48 and fit["overflow"] <= 0 and fit["page"] <= 0, (role, fit)
        assert fit["spread"] < 24, (role, fit)   # brand, nav, search and account side by side
        expect(page.get_by_role("navigation", name="Main" if role != "donor" else "Menu principal")
               .get_by_role("link").first).to_be_visible()
        assert page.locator(".navmenu > summary").is_hidden()
        assert_checked(page)
        context.close()


def test_menus_open_with_a_click_or_the_keyboard_and_close_with_escape(live_server, page,
                                                                      secretariat, password):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/calls/")
    nav = page.get_by_role("navigation", name="Main")
    screening = nav.get_by_role("link", name="Screening")
    expect(screening).to_be_hidden()
    nav.get_by_text("Applications", exact=True).click()
    expect(screening).to_be_visible()
    assert_checked(page)
    page.keyboard.press("Escape")
    expect(screening).to_be_hidden()
    expect(nav.get_by_text("Applications", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(screening).to_be_visible()
    # opening another menu closes the first
    nav.get_by_text("Funding", exact=True).click()
    expect(nav.get_by_role("link", name="Donors")).to_be_visible()
    expect(screening).to_be_hidden()
    nav.get_by_role("link", name="Donors").click()
    expect(page).to_have_url(f"{live_server.url}/funding/donors/")
    expect(nav.locator('a[aria-current="page"]')).to_have_attribute("href", "/funding/donors/")


def test_on_a_phone_the_menu_toggle_opens_and_its_links_work(live_server, page, secretariat,
                                                            password):
    page.set_viewport_size({"width": 390, "height": 800})
    page.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/calls/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_text("Menu", exact=True)
    expect(toggle).to_be_visible()
    expect(nav.get_by_role("link", name="Organisations")).to_be_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    toggle.click()
    expect(nav.get_by_role("link", name="Organisations")).to_be_visible()
    assert_checked(page)
    nav.get_by_text("Grants", exact=True).click()
    expect(nav.get_by_role("link", name="Board")).to_be_visible()
    nav.get_by_role("link", name="Organisations").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(nav.get_by_role("link", name="Organisations")).to_be_hidden()   # closed again
    assert_checked(page)


def test_search_finds_an_application_an_organisation_and_a_grant(live_server, page,
                                                                secretariat, password,
                                                                organisation):
    app = ApplicationFactory(organisation=organisation, reference="VTF8-0001",
                             title="Safe shelter and legal aid in Lagos")
    grant = make_grant(organisation)
    other = UserFactory(roles=[Role.NGO])
    assert other   # someone without search: no field in their header (see test_page.py)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_init_script(CSP_LISTENER_JS)
    sign_in(page, live_server.url, secretariat.username, password)
    page.goto(f"{live_server.url}/calls/")

    def search(text):
        field = page.get_by_role("searchbox", name="Search applications, organisations, "
                                                  "grants, donors and contributions")
        field.fill(text)
        field.press("Enter")
        expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()

    search("VTF8-0001")
    expect(page.locator('[data-kind="applications"]')).to_have_attribute("data-count", "1")
    assert_checked(page)
    page.get_by_role("link", name="VTF8-0001 Safe shelter and legal aid in Lagos").click()
    expect(page.get_by_role("heading", name=app.title)).to_be_visible()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Applications")).to_be_visible()
    assert_checked(page)

    search("Hope Shelter")
    section = page.locator('[data-kind="organisations"]')
    expect(section).to_have_attribute("data-count", "1")
    section.get_by_role("link", name=organisation.name).click()
    expect(page.get_by_role("heading", name=organisation.name)).to_be_visible()

    search(grant.agreement_number)
    section = page.locator('[data-kind="grants"]')
    expect(section).to_have_attribute("data-count", "1")
    section.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/grants/{grant.pk}/implementation/")
    assert_checked(page)

    page.goto(f"{live_server.url}/search/")
    expect(page.get_by_text("Search finds:")).to_be_visible()
    assert_checked(page)
