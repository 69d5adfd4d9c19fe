"""A large export in a real browser, with the Content-Security-Policy enforced: the list's
export button → the job's page, waiting → the page polls by itself until the file is ready →
the download, from the page and from the link in the e-mail."""

from datetime import date

import pytest
from playwright.sync_api import expect

from fundapp.accounts.roles import Role
from fundapp.core.jobs import job_run
from fundapp.core.models import Job
from fundapp.notifications.models import Notification
from fundapp.notifications.services import dispatch
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, link_in_mail, sign_in
from tests.donors.factories import DonorFactory, record
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_large_export_is_prepared_in_the_background_and_downloaded(
        live_server, page, mail_folder, settings):
    from fundapp.celery import app

    settings.SITE_URL = live_server.url
    settings.EXPORT_ASYNC_THRESHOLD = 5
    settings.JOB_PROGRESS_EVERY = 2
    UserFactory(username="officer", email="officer@example.org", roles=[Role.SECRETARIAT])
    donor = DonorFactory(name="Kingdom of Examplia")
    for day in range(1, 9):
        record(donor, amount=f"{1000 * day}.00", received_on=date(2026, 3, day),
               bank_reference=f"EX-{day:03d}")
    base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, base, "officer", PASSWORD)

    app.conf.task_always_eager = False  # the job waits for a worker: the test is the worker
    try:
        page.goto(f"{base}/funding/contributions/")
        assert_checked(page)
        page.get_by_role("link", name="Export CSV").click()
        expect(page.get_by_role("heading", name="Export: Contributions")).to_be_visible()
        expect(page.get_by_text("0 of 8 rows")).to_be_visible()
        expect(page.get_by_text("Waiting to start")).to_be_visible()
        assert_checked(page)
        job = Job.objects.get()
        assert job_run(job.pk) == "done"
    finally:
        app.conf.task_always_eager = True

    download_button = page.get_by_role("link", name="Download contributions-")
    expect(download_button).to_be_visible(timeout=10_000)  # htmx polling brought it
    expect(page.get_by_text("8 of 8 rows")).to_be_visible()
    assert page.locator("[hx-trigger]").count() == 0  # polling stopped
    assert_checked(page)
    with page.expect_download() as caught:
        download_button.click()
    content = open(caught.value.path(), encoding="utf-8-sig").read()
    assert "EX-008" in content and "Kingdom of Examplia" in content

    dispatch(list(Notification.objects.filter(kind="job_done").values_list("pk", flat=True)))
    link = link_in_mail(mail_folder, "officer@example.org", r"https?://\S+/jobs/\d+/download/")
    assert link.endswith(f"/jobs/{job.pk}/download/")

    page.goto(f"{base}/jobs/")
    expect(page.get_by_role("link", name="Export: Contributions")).to_be_visible()
    assert_checked(page)
    assert errors == []
