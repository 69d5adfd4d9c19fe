"""A large statement is checked and imported as a background job: progress, result, notice;
small files keep the preview; uploads never compete for one stored name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from donors.models import Contribution, ContributionImport
from donors.services.imports import contribution_import_upload
from fundapp.core import jobs
from fundapp.core.errors import NotAllowed
from fundapp.core.models import Job, JobKind, JobStatus
from fundapp.notifications.models import Notification

pytestmark = pytest.mark.django_db

HEADER = "donor,amount,currency,received_on,bank_reference\n"


def statement(rows: int, *, bad_row: int | None = None, prefix="BIG") -> bytes:
    lines = [HEADER]
    for i in range(rows):
        amount = "lots" if i == bad_row else f"{100 + i}.00"
        lines.append(f"Sweden,{amount},USD,2024-03-01,{prefix}-{i:05d}\n")
    return "".join(lines).encode()


def upload(content: bytes, name="statement.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture(autouse=True)
def low_threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 5
    settings.JOB_PROGRESS_EVERY = 4


@pytest.fixture
def client(login, secretariat, sweden):
    return login(secretariat)


def post(client, content, run=None, name="statement.csv"):
    url = reverse("donors:import-upload")
    if run is None:
        return client.post(url, {"file": upload(content, name)})
    with run(execute=True):
        return client.post(url, {"file": upload(content, name)})


def test_a_small_file_is_previewed_as_before(client):
    response = post(client, statement(5))
    batch = ContributionImport.objects.get()
    assert response["Location"] == reverse("donors:import-preview", args=[batch.pk])
    assert not Job.objects.exists() and not Contribution.objects.exists()


def test_a_large_file_goes_to_its_job_page_and_imports_every_row(
        client, secretariat, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    original = jobs._Progress.__call__

    def spy(self, done, total=None):
        original(self, done, total)
        seen.append(Job.objects.values_list("rows_done", "rows_total").get())

    monkeypatch.setattr(jobs._Progress, "__call__", spy)
    response = post(client, statement(10), run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.requester, job.status) == (JobKind.IMPORT, secretariat,
                                                     JobStatus.DONE)
    assert seen == [(4, 10), (8, 10), (10, 10)]
    assert Contribution.objects.count() == 10
    assert ContributionImport.objects.get().status == ContributionImport.Status.IMPORTED
    assert job.result["imported"] == 10 and job.result["skipped"] == 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "10 of 10 rows" in text
    assert "10 contributions imported, 0 already recorded and skipped." in text
    notice = Notification.objects.get(recipient=secretariat, kind="job_done")
    assert notice.data["url"] == f"/jobs/{job.pk}/"
    assert "10 contributions imported" in notice.data["summary"]


def test_a_large_file_with_a_bad_row_imports_nothing_and_lists_the_row(
        client, secretariat, django_capture_on_commit_callbacks):
    post(client, statement(10, bad_row=6), run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "Nothing was imported" in job.error
    assert job.rows_done == 10
    assert not Contribution.objects.exists()
    assert any(message.startswith("Row 8:") for message in job.result["errors"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Row 8:" in page and "Nothing was imported" in page
    assert Notification.objects.get(recipient=secretariat).kind == "job_failed"


def test_the_same_large_file_twice_skips_what_was_recorded(
        client, django_capture_on_commit_callbacks):
    post(client, statement(8), run=django_capture_on_commit_callbacks)
    post(client, statement(8), run=django_capture_on_commit_callbacks)
    second = Job.objects.order_by("pk").last()
    assert second.status == JobStatus.DONE
    assert (second.result["imported"], second.result["skipped"]) == (0, 8)
    assert Contribution.objects.count() == 8


def test_only_the_secretariat_starts_an_import(donor, sweden):
    with pytest.raises(NotAllowed):
        contribution_import_upload(actor=donor, uploaded=upload(statement(10)))
    assert not Job.objects.exists()


def test_the_import_job_is_the_requesters_alone(
        client, login, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory
    from fundapp.accounts.roles import Role

    post(client, statement(10), run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    colleague = UserFactory(username="sec2", roles=[Role.SECRETARIAT])
    assert login(colleague).get(f"/jobs/{job.pk}/").status_code == 404


def test_two_uploads_of_the_same_name_are_stored_under_names_of_their_own(client):
    post(client, statement(3, prefix="A"))
    post(client, statement(3, prefix="B"))
    first, second = ContributionImport.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert "upload" not in first.file.name and first.file.name.endswith(".csv")
