"""The secretariat requests information on ngo1's submitted application in a real browser;
ngo1 changes a field, adds a document and resubmits; the secretariat sees the difference.
Every page is checked with axe-core and the Content-Security-Policy."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import ApplicationStatus
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.factories import PDF_BYTES, complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_answer_and_difference(live_server, browser, page, ngo, secretariat, password,
                                       organisation, open_call, tmp_path):
    base = live_server.url
    app = complete_application(organisation=organisation, call=open_call, status="submitted",
                               reference="VTF8-0001", submitted_at=timezone.now(),
                               title="Safe shelter and legal aid in Lagos")
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_role("link", name="Request information").click()
    expect(page.get_by_role("heading", name="Request information")).to_be_visible()
    assert_checked(page)
    page.get_by_label("What is needed").fill("Please upload the 2025 audited financial "
                                            "statements and explain the shelter rent line.")
    page.get_by_label("Answer due by").fill(due)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("The request is sent to")).to_be_visible()
    expect(page.get_by_role("heading", name="Information requested")).to_be_visible()
    assert_checked(page)

    ngo_context = browser.new_context()
    ngo_context.add_init_script(CSP_LISTENER_JS)
    other = ngo_context.new_page()
    sign_in(other, base, ngo.username, password)
    other.goto(f"{base}/my/applications/")
    expect(other.get_by_text(re.compile("answer by"))).to_be_visible()
    assert_checked(other)
    other.get_by_role("link", name=re.compile("^Answer")).click()
    other.wait_for_url(re.compile(r"/applications/\d+/edit/"))
    expect(other.get_by_text("Please upload the 2025 audited")).to_be_visible()
    assert_checked(other)
    other.fill("#id_title", "Safe shelter, legal aid and rent support in Lagos")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_text("Your draft is saved.")).to_be_visible()
    pdf = tmp_path / "audited-2025.pdf"
    pdf.write_bytes(PDF_BYTES)
    other.select_option("#id_kind", "audited_accounts")
    other.set_input_files("#id_file", str(pdf))
    other.get_by_role("button", name="Upload").click()
    other.get_by_role("link", name="audited-2025.pdf").wait_for()
    other.get_by_role("button", name="Resubmit the application").click()
    dialog = other.locator("dialog[open]")
    dialog.get_by_role("button", name="Resubmit the application").click()
    other.wait_for_url(re.compile(r"/applications/\d+/$"))
    expect(other.get_by_text("Your answer is sent")).to_be_visible()
    assert_checked(other)
    ngo_context.close()

    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.reference == "VTF8-0001"
    page.goto(f"{base}/applications/{app.pk}/")
    table = page.locator("table.changes")
    expect(table.get_by_role("rowheader", name="Project title")).to_be_visible()
    expect(table.get_by_text("Safe shelter, legal aid and rent support in Lagos")).to_be_visible()
    expect(table.get_by_text("audited-2025.pdf")).to_be_visible()
    assert_checked(page)
    page.screenshot(path=str(tmp_path / "difference.png"), full_page=True)
