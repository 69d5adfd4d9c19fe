"""One journey per role on the demo data, at 1280 px and 390 px, in English and French.

Each test runs once per variant against that variant's own seeded server (see
conftest.py); tests run in the order below, so within a variant the secretariat assigns
the reviewer before the reviewer scores, and the Chair closes the Board session (which
creates the grants) before the grant's agreement, payment and report steps. Selectors use
ids, names and URLs, never translated labels, so one journey serves both languages.
"""

import re
from datetime import date, timedelta

import pytest

from tests.browser.drafting import fill_complete_draft
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.browser

NEW_APPLICATION = "Safe houses and legal aid for survivors in Port Harcourt"
SCREENED = "Case management and safe accommodation for displaced women at risk"
GRANT = "VTF-7-007"  # ngo1's grant once the Chair closes the call 7 session


def click_and_wait(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).first.click()


def confirm_and_wait(journey, page, selector: str, step: str):
    """An irreversible step: the button opens a dialog that says what happens; confirm it."""
    page.locator(selector).first.click()
    page.locator("dialog[open] [data-confirm-yes]").wait_for()
    journey.check(page, f"{step}-confirm", scope="dialog[open]")
    with page.expect_navigation():
        page.locator("dialog[open] [data-confirm-yes]").click()
    return journey.check(page, step)


def visit_link(journey, page, selector: str, step: str):
    click_and_wait(page, selector)
    return journey.check(page, step)


def test_public_pages(journey, variant):
    page = journey.page()
    journey.go(page, "/", "home")
    journey.go(page, "/calls/", "calls")
    visit_link(journey, page, "main a[href^='/calls/'][href$='/']", "call-detail")
    journey.go(page, "/transparency/", "transparency")
    journey.go(page, "/impact/public/", "impact")
    # The language switcher in the header changes the interface language.
    other = "fr" if variant.lang == "en" else "en"
    with page.expect_navigation():
        page.select_option("#lang-select", other)
    assert page.get_attribute("html", "lang") == other, journey.fail_message(
        "the language switcher did not change the language", journey.shoot(page, "switched"))


def test_ngo_registers_drafts_and_submits(journey, variant, tmp_path):
    username = f"journey{variant.width}{variant.lang}"
    address = f"{username}@example.org"
    org_name = f"Journey Shelter Network {variant.id}"
    page = journey.page()

    # Register, then confirm the e-mail address with the link the app sends.
    journey.go(page, "/accounts/register/", "register")
    page.fill("#id_username", username)
    page.fill("#id_email", address)
    page.fill("#id_password", "Safe-journey-2027")
    page.fill("#id_password_confirm", "Safe-journey-2027")
    page.select_option("#id_language", variant.lang)
    page.fill("#id_org_name", org_name)
    page.select_option("#id_org_country", "NG")
    page.fill("#id_org_registration_number", f"JRN-{variant.id}")
    page.check("#id_org_psea_declaration")
    click_and_wait(page, "main form button[type=submit]")
    journey.check(page, "registered")
    links = [m for body in journey.site.emails(address)
             for m in re.findall(r"https?://\S+/accounts/verify/[^\s/]+/", body)]
    assert links, journey.fail_message(f"no verification e-mail to {address} in "
                                       f"{journey.site.mail}", journey.shoot(page, "no-mail"))
    journey.go(page, links[-1], "e-mail-confirmed")
    journey.sign_in(page, username, "Safe-journey-2027")
    journey.check(page, "dashboard")

    # Start an application on the open call; the draft autosaves.
    journey.go(page, "/calls/", "calls")
    visit_link(journey, page, "main a[href^='/calls/'][href$='/']", "call")
    click_and_wait(page, "form[action$='/apply/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/\d+/edit/"))
    journey.check(page, "draft")
    edit_url = page.url
    page.fill("#id_title", NEW_APPLICATION)
    page.locator("#id_title").blur()
    page.locator("#autosave-status .autosave-saved").wait_for()
    journey.check(page, "autosaved")
    page.reload()
    assert page.input_value("#id_title") == NEW_APPLICATION, journey.fail_message(
        "the autosaved title was lost", journey.shoot(page, "autosave-lost"))
    fill_complete_draft(page)
    click_and_wait(page, "form:has(#id_title) button[type=submit]:not([formaction])")
    journey.check(page, "draft-saved")

    # Attachments.
    pdf = tmp_path / "registration.pdf"
    pdf.write_bytes(PDF_BYTES)
    budget = tmp_path / "budget.pdf"
    budget.write_bytes(PDF_BYTES)
    for kind, upload in (("registration_certificate", pdf), ("project_budget", budget)):
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(upload))
        page.locator("form:has(#id_file) button[type=submit]").click()
        page.locator("a", has_text=upload.name).first.wait_for()
    journey.check(page, "attached")

    # The secretariat verifies the new organisation, so that it may submit.
    staff = journey.page("secretariat")
    journey.go(staff, "/organisations/?status=pending", "organisations")
    visit_link(journey, staff, f"tr:has-text('{org_name}') a[href$='/verify/']", "verify")
    for box in staff.locator("input[name^=check_]").all():
        box.check()
    staff.check("input[name=decision][value=approve]")
    click_and_wait(staff, "main form.form button[type=submit]")
    journey.check(staff, "verified")

    # Submit and read the receipt.
    journey.go(page, edit_url.replace(journey.site.url, ""), "ready")
    confirm_and_wait(journey, page, "form[action$='/submit/'] button[type=submit]", "receipt")
    assert re.search(r"/applications/\d+/$", page.url), journey.fail_message(
        "no receipt after submitting", journey.shoot(page, "no-receipt"))
    reference = page.locator(".ref").first.inner_text().strip()
    assert reference.startswith("VTF8-"), journey.fail_message(
        f"no reference on the receipt ({reference!r})", journey.shoot(page, "receipt-ref"))
    assert any(reference in body for body in journey.site.emails(address)), \
        journey.fail_message(f"no receipt e-mail with {reference}", journey.shoot(page, "r"))


def test_secretariat_screens_assigns_and_ranks(journey):
    page = journey.page("secretariat")
    journey.go(page, "/dashboard/", "dashboard")
    journey.go(page, "/manage/screening/", "screening-queue")
    visit_link(journey, page, f"tr:has-text('{SCREENED}') a.ref", "screening")
    click_and_wait(page, "form[action$='/run/'] button[type=submit]")
    journey.check(page, "checks-run")
    priorities = "form[action$='/priorities/']"
    for box in page.locator(f"{priorities} input[type=checkbox]").all():
        box.check()
    click_and_wait(page, f"{priorities} button[type=submit]")
    journey.check(page, "priorities-confirmed")
    page.check("input[name=decision][value=eligible]")
    # The demo has no sanctions list loaded: the secretariat states the manual check.
    page.fill("form[action$='/decide/'] textarea", "Checked by hand against the UN list.")
    click_and_wait(page, "form[action$='/decide/'] button[type=submit]")
    journey.check(page, "eligible")
    visit_link(journey, page, "main a[href$='/reviewers/']", "reviewers")
    page.locator("tr:has-text('Reviewer One') input[name=reviewers]").check()
    click_and_wait(page, "form:has(input[name=reviewers]) button[type=submit]")
    journey.check(page, "assigned")
    assert page.locator("tr:has-text('Reviewer One')").count(), journey.fail_message(
        "reviewer1 is not listed as assigned", journey.shoot(page, "not-assigned"))
    journey.go(page, "/manage/reviews/", "review-calls")
    visit_link(journey, page, "main a[href$='/reviews/']", "review-progress")
    journey.go(page, "/ranking/", "ranking-calls")
    visit_link(journey, page, "tr:has-text('(2023)') a[href^='/ranking/calls/'][href$='/']",
               "ranking")
    visit_link(journey, page, "main a[href$='/portfolio/']", "portfolio")
    journey.go(page, "/board/", "board")
    visit_link(journey, page, "main a[href^='/board/sessions/'][href$='/']", "board-session")
    journey.go(page, "/board/sessions/new/", "new-session")
    journey.go(page, "/applications/", "applications")
    journey.go(page, "/funding/", "contributions")


def test_reviewer_declares_scores_submits(journey):
    page = journey.page("reviewer1")
    journey.go(page, "/my/reviews/", "my-reviews")
    visit_link(journey, page, f"tr:has-text('{SCREENED}') a[href$='/declare/']", "declare")
    page.check("input[name=conflict][value=no]")
    click_and_wait(page, "main form.form button[type=submit]")
    journey.check(page, "score")
    for group in page.locator("[role=radiogroup]").all():
        group.locator("input[type=radio][value='4']").check()
    page.fill("#id_comment", "Clear plan, realistic budget, strong track record.")
    page.once("dialog", lambda dialog: dialog.accept())
    click_and_wait(page, "button[name=submit]")
    journey.check(page, "submitted")
    journey.go(page, "/my/reviews/", "my-reviews-after")
    assert page.locator(f"tr:has-text('{SCREENED}') a[href$='/declare/']").count() == 0


def _vote_first_item(journey, page, who: str):
    form = page.locator("form[action*='/vote/']").first  # the ballot sheet: one form
    form.locator("input[name$=vote][value=approve]").first.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    journey.check(page, f"voted-{who}")


def test_board_votes_and_chair_closes(journey):
    trustee = journey.page("trustee4")
    journey.go(trustee, "/board/", "board")
    visit_link(journey, trustee, "main a[href^='/board/sessions/'][href$='/']", "session")
    _vote_first_item(journey, trustee, "trustee4")
    visit_link(journey, trustee, "main a[href*='/items/']", "item")

    chair = journey.page("chair")
    journey.go(chair, "/board/", "board-chair")
    visit_link(journey, chair, "main a[href^='/board/sessions/'][href$='/']", "session-chair")
    _vote_first_item(journey, chair, "chair")
    confirm_and_wait(journey, chair, "form[action$='/close/'] button[type=submit]", "closed")
    assert chair.locator("form[action$='/close/']").count() == 0, journey.fail_message(
        "the session is still open", journey.shoot(chair, "still-open"))
    journey.go(chair, "/grants/", "grants")


def test_grant_agreement_payment_and_report(journey):
    ngo = journey.page("ngo1")
    journey.go(ngo, "/grants/portfolio/", "ngo-grants")
    visit_link(journey, ngo, f"a.ref:has-text('{GRANT}')", "grant")
    grant_path = ngo.url.replace(journey.site.url, "")
    ngo.fill("#id_signatory_name", "Amina Bello")
    ngo.fill("#id_signatory_title", "Executive Director")
    click_and_wait(ngo, "form[action$='/agreement/sign/'] button[type=submit]")
    journey.check(ngo, "signed")
    ngo.locator("details:has(form[action$='/bank-details/']) summary").click()
    ngo.fill("#id_account_holder", "Harbour of Hope Women's Network")
    ngo.fill("#id_account_number", "NG12 3456 7890 1234")
    ngo.fill("#id_bank_name", "Lagos Demo Bank")
    click_and_wait(ngo, "form[action$='/bank-details/'] button[type=submit]")
    journey.check(ngo, "bank-details")

    staff = journey.page("secretariat")
    journey.go(staff, grant_path, "grant-staff")
    confirm_and_wait(journey, staff, "form[action$='/countersign/'] button[type=submit]",
                     "countersigned")
    click_and_wait(staff, "form[action$='/bank-details/confirm/'] button[type=submit]")
    journey.check(staff, "bank-confirmed")
    staff.locator("details:has(form[action$='/payments/']) summary").click()
    staff.select_option("#id_tranche", index=0)
    staff.fill("#id_paid_on", date.today().isoformat())
    staff.fill("#id_amount_usd", "10000.00")
    staff.fill("#id_reference", f"PAY-{journey.variant.id}")
    confirm_and_wait(journey, staff, "form[action$='/payments/'] button[type=submit]", "paid")
    assert staff.get_by_text(f"PAY-{journey.variant.id}").count(), journey.fail_message(
        "the payment is not listed", journey.shoot(staff, "no-payment"))

    journey.go(ngo, grant_path, "grant-active")
    visit_link(journey, ngo, "a[href*='/reports/'][href$='/submit/']", "report-form")
    ngo.fill("#id_achievements", "Sixty women were sheltered and received legal aid.")
    ngo.fill("#id_victims_total", "60")
    for spent in ngo.locator("input[name^=spent_]").all():
        spent.fill("1000.00")
    click_and_wait(ngo, "main form.form button[type=submit]")
    journey.check(ngo, "report-submitted")

    journey.go(staff, grant_path, "report-to-review")
    click_and_wait(staff, "button[name=verdict][value=accept]")
    journey.check(staff, "report-accepted")
    assert staff.locator("button[name=verdict]").count() == 0


def test_secretariat_finalises_and_opens_a_session(journey):
    """Call 8 has a ranked application now: close the call, finalise, open its session."""
    page = journey.page("secretariat")
    journey.go(page, "/manage/calls/", "manage-calls")
    confirm_and_wait(journey, page, "form[action$='/close/'] button[type=submit]", "call-closed")
    journey.go(page, "/ranking/", "ranking-calls")
    visit_link(journey, page, "tr:has-text('(2026)') a[href^='/ranking/calls/'][href$='/']",
               "ranking")
    call_pk = re.search(r"/ranking/calls/(\d+)/", page.url).group(1)
    visit_link(journey, page, "main a[href$='/portfolio/']", "portfolio")
    page.fill("form[action$='/finalise/'] textarea", "Recommendation for the Board.")
    confirm_and_wait(journey, page, "form[action$='/finalise/'] button[type=submit]",
                     "finalised")
    journey.go(page, "/board/sessions/new/", "new-session")
    page.select_option("#id_call", call_pk)
    page.check("input[name=kind][value=meeting]")
    page.fill("#id_meeting_date", (date.today() + timedelta(days=14)).isoformat())
    click_and_wait(page, "main form.form button[type=submit]")
    journey.check(page, "session-opened")
    assert re.search(r"/board/sessions/\d+/$", page.url), journey.fail_message(
        "no session page after opening the session", journey.shoot(page, "no-session"))


def test_donor_portal_and_receipt(journey):
    page = journey.page("donor1")
    journey.go(page, "/donor/", "portal")
    with page.expect_download() as download:
        page.locator("a[href$='/receipt.pdf']").first.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", journey.fail_message(
            "the receipt is not a PDF", journey.shoot(page, "receipt"))
    journey.go(page, "/funding/reports/", "reports")
    journey.go(page, "/transparency/", "transparency")


# Arabic (right to left) on the desktop variant, Spanish on the phone one: the English runs
# of the journeys above take one more language each, so the six languages are walked
# without two more full variants.
OTHER_LANGUAGE = {"1280-en": "ar", "390-en": "es"}


def _reads_in(journey, page, lang: str, step: str):
    """Besides ``Journey.check`` (axe, overflow, language): the direction of the script."""
    direction = "rtl" if lang == "ar" else "ltr"
    got = page.get_attribute("html", "dir")
    assert got == direction, journey.fail_message(
        f"the page is written {got}, not {direction}", journey.shoot(page, step))


def test_pages_read_in_arabic_and_spanish(journey, variant):
    lang = OTHER_LANGUAGE.get(variant.id)
    if lang is None:
        pytest.skip("the French variants have their own journeys")
    journey.expected_lang = lang
    page = journey.page()
    page.context.add_cookies([{"name": "django_language", "value": lang,
                               "url": journey.site.url}])
    for path, step in (("/", "home"), ("/calls/", "calls"), ("/transparency/", "transparency")):
        journey.go(page, path, f"{lang}-{step}")
        _reads_in(journey, page, lang, f"{lang}-{step}")
    journey.expected_lang = None  # ngo5 signs in in its own language, then switches
    signed_in = journey.page("ngo5")
    with signed_in.expect_navigation():
        signed_in.select_option("#lang-select", lang)
    journey.expected_lang = lang
    for path, step in (("/dashboard/", "dashboard"), ("/my/applications/", "applications"),
                       ("/organisation/", "organisation")):
        journey.go(signed_in, path, f"{lang}-{step}")
        _reads_in(journey, signed_in, lang, f"{lang}-{step}")
    journey.expected_lang = None
    with signed_in.expect_navigation():  # leave ngo5 as the demo has it
        signed_in.select_option("#lang-select", "en")
