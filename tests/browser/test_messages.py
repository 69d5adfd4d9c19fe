"""A conversation in a real browser: the secretariat writes on ngo1's submitted application;
ngo1 follows the e-mail's link, sees the unread badge on its list and on the application,
reads the message and answers with a file; the secretariat sees the answer and its file.
Every page is checked with axe-core and the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from grants.models import Message
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, link_in_mail, sign_in
from tests.factories import PDF_BYTES
from tests.grants.messages.helpers import submitted_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Please send the partner shelter's letter of support before Friday."


def test_the_secretariat_asks_and_ngo1_answers_with_a_file(live_server, browser, page, ngo,
                                                           secretariat, password, organisation,
                                                           open_call, mail_folder, settings,
                                                           tmp_path):
    settings.SITE_URL = base = live_server.url
    app = submitted_application(organisation, open_call, reference="VTF8-0001")
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", name=f"Messages with {organisation.name}")).to_be_visible()
    expect(page.get_by_text("No message yet.")).to_be_visible()
    assert_checked(page)
    page.get_by_label("Your message").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert_checked(page)

    ngo_side = browser.new_context()
    ngo_side.add_init_script(CSP_LISTENER_JS)
    other = ngo_side.new_page()
    sign_in(other, base, ngo.username, password)
    other.goto(f"{base}/my/applications/")
    row = other.get_by_role("row").filter(has_text=app.reference)
    expect(row.get_by_text("1 new")).to_be_visible()
    assert_checked(other)
    other.goto(f"{base}/applications/{app.pk}/")
    expect(other.get_by_role("link", name="Messages 1 new message")).to_be_visible()
    assert_checked(other)
    other.goto(link_in_mail(mail_folder, ngo.email, r"https?://\S+/applications/\d+/messages/"))
    expect(other.get_by_role("heading", name="Messages with the secretariat")).to_be_visible()
    expect(other.get_by_text("1 new message since your last visit.")).to_be_visible()
    expect(other.get_by_text(QUESTION)).to_be_visible()
    assert_checked(other)

    letter = tmp_path / "letter-of-support.pdf"
    letter.write_bytes(PDF_BYTES)
    other.get_by_label("Your message").fill("Here is the letter, signed by the partner.")
    other.get_by_label("Attach files").set_input_files(str(letter))
    other.get_by_role("button", name="Send").click()
    expect(other.get_by_text("Your message is sent.")).to_be_visible()
    expect(other.get_by_text("1 new message since your last visit.")).to_have_count(0)
    expect(other.get_by_role("link", name="letter-of-support.pdf")).to_be_visible()
    assert_checked(other)
    ngo_side.close()

    page.goto(f"{base}/applications/")
    expect(page.get_by_role("row").filter(has_text=app.reference).get_by_text("1 new")) \
        .to_be_visible()
    page.goto(f"{base}/applications/{app.pk}/messages/")
    expect(page.get_by_text("Here is the letter, signed by the partner.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="letter-of-support.pdf").click()
    assert download.value.suggested_filename == "letter-of-support.pdf"
    assert_checked(page)
    assert [m.from_secretariat for m in Message.objects.order_by("pk")] == [True, False]
