"""An NGO user logs in, drafts an application in a real browser, submits it, sees the receipt."""

import re

import pytest

from grants.models import Application, ApplicationStatus
from tests.browser.drafting import fill_complete_draft
from tests.factories import PDF_BYTES, CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ngo_drafts_submits_and_sees_the_receipt(live_server, page, ngo, password, tmp_path):
    call = CallFactory(title_en="Eighth call for proposals")
    pdf = tmp_path / "registration.pdf"
    pdf.write_bytes(PDF_BYTES)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(ngo.username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").first.click()

    page.goto(f"{live_server.url}/calls/{call.pk}/")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/applications/\d+/edit/"))

    page.fill("#id_title", "Safe shelter and legal aid in Lagos")
    fill_complete_draft(page, justification="All residents of the shelter are women and girls.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    page.select_option("#id_kind", "registration_certificate")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="registration.pdf").wait_for()

    page.get_by_role("button", name="Submit the application").click()
    dialog = page.locator("dialog[open]")
    assert "you can no longer edit it" in dialog.inner_text()
    dialog.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))

    app = Application.objects.get(call=call)
    assert app.status == ApplicationStatus.SUBMITTED
    assert page.get_by_text(app.reference).first.is_visible()
    page.screenshot(path=str(tmp_path / "receipt.png"))


