"""Exports in a real browser, with the Content-Security-Policy enforced: a filtered list
page's "Export CSV" and "Export XLSX" download every row the filter shows, in the reader's
language, formulas neutralised; an NGO's export holds its own rows only."""

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from fundapp.accounts.roles import Role
from grants.models import ApplicationStatus
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.factories import (
    PASSWORD,
    CallFactory,
    OrganisationFactory,
    UserFactory,
    complete_application,
    ngo_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_filtered_list_downloads_as_csv_and_xlsx(live_server, page):
    UserFactory(username="officer", roles=[Role.SECRETARIAT])
    call = CallFactory()
    mine = OrganisationFactory(name="Hope Shelter")
    ngo = ngo_user(mine, username="hope")
    ngo.set_password(PASSWORD)
    ngo.save()
    for i in range(30):  # more than one page
        app = complete_application(organisation=mine, call=call, title=f"Project {i:02d}")
        app.status, app.reference = ApplicationStatus.SUBMITTED, f"VTF1-{i + 1:04d}"
        app.save()
    complete_application(organisation=mine, call=call, title="=HYPERLINK(\"x\") draft")
    complete_application(organisation=OrganisationFactory(), call=call, title="Not theirs")
    base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.add_init_script(CSP_LISTENER_JS)

    sign_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/applications/?status=submitted")
    assert_checked(page)
    with page.expect_download() as caught:
        page.get_by_role("link", name="Export CSV").click()
    assert caught.value.suggested_filename.startswith("applications-")
    rows = list(csv.reader(io.StringIO(open(caught.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) == 31  # every submitted one, not the 25 on screen
    assert "Mean review score (1-5)" in rows[0]
    with page.expect_download() as caught:
        page.get_by_role("link", name="Export XLSX").click()
    assert caught.value.suggested_filename.endswith(".xlsx")
    with open(caught.value.path(), "rb") as f:
        sheet = list(load_workbook(io.BytesIO(f.read())).active.iter_rows(values_only=True))
    assert len(sheet) == 31 and isinstance(sheet[1][sheet[0].index("Call")], int)

    page.context.clear_cookies()
    sign_in(page, base, "hope", PASSWORD)
    page.goto(f"{base}/my/applications/")
    assert_checked(page)
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Export CSV").click()
    text = open(caught.value.path(), encoding="utf-8-sig").read()
    assert "'=HYPERLINK" in text and "Not theirs" not in text
    assert "Mean review score" not in text
    assert errors == []
