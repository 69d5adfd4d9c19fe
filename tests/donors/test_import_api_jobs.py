"""POST /api/v1/contributions/import/ with a file over the asynchronous threshold answers
202 with its job (the web upload's handler); a small file still imports at once (201)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from donors.models import Contribution, ContributionImport
from donors.services.imports import IMPORT_JOB
from fundapp.core.models import Job, JobKind, JobStatus
from tests.donors.test_import_jobs import statement

pytestmark = pytest.mark.django_db
URL = "/api/v1/contributions/import/"


@pytest.fixture(autouse=True)
def low_threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 5
    settings.JOB_PROGRESS_EVERY = 4


def _post(client, content):
    return client.post(URL, {"file": SimpleUploadedFile("statement.csv", content)},
                       format="multipart")


def test_a_large_file_answers_202_with_its_job_and_imports_in_the_background(
        api_as, secretariat, sweden, django_capture_on_commit_callbacks):
    client = api_as(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, statement(10))
    assert response.status_code == 202
    job = Job.objects.get()
    body = response.json()
    assert body["id"] == job.pk and body["kind"] == "import" and body["rows_total"] == 10
    assert response["Location"].endswith(f"/api/v1/jobs/{job.pk}/")
    assert (job.kind, job.handler, job.requester) == (JobKind.IMPORT, IMPORT_JOB, secretariat)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["imported"] == 10
    assert Contribution.objects.count() == 10
    followed = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (followed["status"], followed["rows_done"]) == ("done", 10)


def test_a_small_file_still_imports_at_once(api_as, secretariat, sweden):
    response = _post(api_as(secretariat), statement(5))
    assert response.status_code == 201 and response.json()["counts"]["new"] == 5
    assert not Job.objects.exists() and Contribution.objects.count() == 5
    assert ContributionImport.objects.get().status == ContributionImport.Status.IMPORTED


def test_only_the_secretariat_starts_an_api_import(api_as, donor, sweden):
    response = _post(api_as(donor), statement(10))
    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


def test_the_schema_documents_the_202(api_as, secretariat):
    schema = api_as(secretariat).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/contributions/import/" in text and "A large file: its import job" in text
