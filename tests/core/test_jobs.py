"""Large exports run as background jobs: the page or the API answers with the job, the task
re-runs the same list as its requester, and only the requester gets the file, for 7 days."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fundapp.core import jobs
from fundapp.core.models import Job, JobStatus
from fundapp.notifications.models import Notification
from tests.factories import UserFactory
from tests.queries import queries_for_get

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.job_urls")]

URL = "/test-numbers/"
API_URL = "/api/v1/test-numbers/"


@pytest.fixture(autouse=True)
def low_threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 5
    settings.JOB_PROGRESS_EVERY = 3


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def start_web(login, user, query="n=10&format=csv", run=None):
    """GET the export; with ``run`` (the on-commit capture), let the job run on commit."""
    client = login(user)
    if run is None:
        return client, client.get(f"{URL}?{query}")
    with run(execute=True):
        response = client.get(f"{URL}?{query}")
    return client, response


def test_a_small_export_answers_with_its_file_and_starts_no_job(login, alice):
    _client, response = start_web(login, alice, "n=5&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="numbers-')
    assert not Job.objects.exists()


def test_a_large_web_export_redirects_to_its_job_page_and_waits_for_the_commit(
        login, alice):
    client, response = start_web(login, alice)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.requester, job.status, job.rows_total) == (alice, JobStatus.QUEUED, 10)
    assert (job.path, job.query_string, job.file_format) == (URL, "n=10&format=csv", "csv")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"0 of 10 rows" in page.content and b'hx-trigger="every 2s"' in page.content


def test_the_job_writes_the_same_file_as_the_small_export_would(
        login, alice, settings, django_capture_on_commit_callbacks):
    client, _response = start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 10, 10)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    settings.EXPORT_ASYNC_THRESHOLD = 5000
    direct = client.get(f"{URL}?n=10&format=csv")
    content = body(download)
    assert content == body(direct)
    assert b"alice" in content and b"'=1+1" in content
    assert job.file_name == direct["Content-Disposition"].split('"')[1]


def test_an_xlsx_job_holds_typed_values(login, alice, django_capture_on_commit_callbacks):
    client, _r = start_web(login, alice, "n=7&format=xlsx", run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    sheet = load_workbook(io.BytesIO(body(client.get(f"/jobs/{job.pk}/download/")))).active
    rows = list(sheet.values)
    assert rows[0] == ("Number", "Reader", "Note")
    assert len(rows) == 8 and rows[3][:2] == (2, "alice")


def test_progress_is_written_while_the_job_runs(
        login, alice, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    original = jobs._Progress.__call__

    def spy(self, done, total=None):
        original(self, done, total)
        seen.append(Job.objects.values_list("status", "rows_done", "rows_total").get())

    monkeypatch.setattr(jobs._Progress, "__call__", spy)
    start_web(login, alice, run=django_capture_on_commit_callbacks)
    assert seen == [("running", 3, 10), ("running", 6, 10), ("running", 9, 10),
                    ("running", 10, 10)]


def test_the_requester_is_notified_with_the_download_link(
        login, alice, django_capture_on_commit_callbacks):
    start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    notice = Notification.objects.get(recipient=alice)
    assert notice.kind == "job_done"
    assert notice.data["url"] == f"/jobs/{job.pk}/download/"
    sent = [m for m in mail.outbox if alice.email in m.to]
    assert len(sent) == 1 and f"/jobs/{job.pk}/download/" in sent[0].body
    assert "10 rows" in sent[0].body


def test_only_the_requester_sees_or_downloads_the_job(
        login, alice, bob, django_capture_on_commit_callbacks):
    start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    other = login(bob)
    for name in ("detail", "progress", "download"):
        assert other.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404
    assert b"numbers" not in other.get(reverse("jobs:list")).content
    anonymous = login(None)
    response = anonymous.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_secretariat_officer_does_not_see_someone_elses_job(
        login, alice, secretariat, django_capture_on_commit_callbacks):
    start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert login(secretariat).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_after_seven_days_the_file_is_gone(login, alice, django_capture_on_commit_callbacks):
    client, _r = start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.expires_at - job.finished_at == timedelta(days=7)
    name = job.file.name
    assert default_storage.exists(name) and name.startswith("jobs/")
    assert jobs.jobs_expire() == 0  # not yet
    later = job.expires_at + timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 410
    assert jobs.jobs_expire(now=later) == 1
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert not job.file and job.status == JobStatus.DONE
    gone = client.get(f"/jobs/{job.pk}/download/")
    assert gone.status_code == 410 and b"no longer available" in gone.content
    assert b"Expired" in client.get(reverse("jobs:list")).content


def test_a_failing_list_fails_the_job_with_a_message_not_a_500(
        login, alice, django_capture_on_commit_callbacks):
    client, _r = start_web(login, alice, "n=10&format=csv&boom=1",
                           run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "Something went wrong" in job.error
    assert not job.file
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and b"Something went wrong" in page.content
    assert b"hx-trigger" not in page.content  # no more polling
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 410
    assert Notification.objects.get(recipient=alice).kind == "job_failed"


def test_a_list_the_requester_may_no_longer_see_fails_the_job_plainly(
        login, alice, django_capture_on_commit_callbacks):
    start_web(login, alice, "n=10&format=csv&hidden=1", run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "no longer see this list" in job.error


def test_a_requester_who_lost_access_gets_a_failed_job(
        login, alice, django_capture_on_commit_callbacks):
    start_web(login, alice)
    job = Job.objects.get()
    alice.is_active = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.queue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "no longer active" in job.error


def test_running_a_job_again_changes_nothing(login, alice, django_capture_on_commit_callbacks):
    start_web(login, alice, run=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert jobs.job_run(job.pk) == JobStatus.DONE
    again = Job.objects.get()
    assert (again.attempts, again.file.name, again.finished_at) == (
        1, job.file.name, job.finished_at)
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_job_whose_worker_died_is_run_again_by_the_sweep(login, alice, settings):
    start_web(login, alice)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2),
        created_at=timezone.now() - timedelta(hours=2))
    assert jobs.jobs_requeue() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_the_same_export_twice_is_one_job_and_too_many_are_refused(login, alice, settings):
    settings.JOB_MAX_ACTIVE_PER_USER = 2
    client = login(alice)
    first = client.get(f"{URL}?n=10&format=csv")
    assert client.get(f"{URL}?n=10&format=csv")["Location"] == first["Location"]
    client.get(f"{URL}?n=11&format=csv")
    refused = client.get(f"{URL}?n=12&format=csv")
    assert refused.status_code == 302 and refused["Location"] == "/jobs/"
    assert Job.objects.count() == 2


def test_job_pages_cost_the_same_queries_for_few_and_many_jobs(login, alice):
    client = login(alice)
    client.get(f"{URL}?n=10&format=csv")
    one = queries_for_get(client, reverse("jobs:list"))
    job = Job.objects.get()
    detail = queries_for_get(client, f"/jobs/{job.pk}/")
    for n in range(11, 20):
        Job.objects.create(kind="export", handler="export", requester=alice, path=URL,
                           query_string=f"n={n}", file_format="csv", rows_total=n)
    assert queries_for_get(client, reverse("jobs:list")) == one
    assert queries_for_get(client, f"/jobs/{job.pk}/") == detail
    assert queries_for_get(client, f"/jobs/{job.pk}/progress/") <= detail


# --- the API -----------------------------------------------------------------------------

def test_a_large_api_export_answers_202_with_the_job(api_as, alice,
                                                     django_capture_on_commit_callbacks):
    client = api_as(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{API_URL}?n=10&format=csv")
    job = Job.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"/api/v1/jobs/{job.pk}/"
    assert response.json() == {"job": job.pk, "status": "queued", "rows_total": 10,
                               "url": f"/api/v1/jobs/{job.pk}/"}
    status = client.get(response["Location"]).json()
    assert (status["status"], status["rows_done"], status["rows_total"]) == ("done", 10, 10)
    assert status["download_url"].endswith(f"/api/v1/jobs/{job.pk}/download/")
    file = client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert file.status_code == 200 and b"alice" in body(file)
    assert client.get("/api/v1/jobs/").json()["results"][0]["id"] == job.pk


def test_an_api_export_asked_by_its_accept_header_is_re_run_the_same_way(
        api_as, alice, django_capture_on_commit_callbacks):
    client = api_as(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{API_URL}?n=10", HTTP_ACCEPT="text/csv")
    assert response.status_code == 202
    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.file_format == "csv"
    file = client.get(f"/api/v1/jobs/{job.pk}/download/", HTTP_ACCEPT="text/csv")
    assert file.status_code == 200 and body(file).startswith("\ufeff".encode())


def test_no_one_else_reaches_a_job_through_the_api(api_as, alice, bob, secretariat,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_as(alice).get(f"{API_URL}?n=10&format=csv")
    job = Job.objects.get()
    for user in (bob, secretariat):
        client = api_as(user)
        assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 404
        assert client.get("/api/v1/jobs/").json()["count"] == 0
    anonymous = api_as(None)
    assert anonymous.get(f"/api/v1/jobs/{job.pk}/").status_code == 401
    assert anonymous.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 401


def test_the_api_download_is_gone_after_expiry_and_a_conflict_before_the_end(api_as, alice):
    client = api_as(alice)
    client.get(f"{API_URL}?n=10&format=csv")  # the job waits: no commit in this test
    job = Job.objects.get()
    waiting = client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert waiting.status_code == 409 and waiting.json()["detail"]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE,
                                         expires_at=timezone.now() - timedelta(days=1))
    assert client.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 410


def test_the_jobs_list_endpoint_costs_the_same_for_few_and_many(api_as, alice):
    client = api_as(alice)
    Job.objects.create(kind="export", handler="export", requester=alice, path=URL)
    few = queries_for_get(client, "/api/v1/jobs/")
    for n in range(10):
        Job.objects.create(kind="export", handler="export", requester=alice, path=URL,
                           query_string=f"n={n}")
    assert queries_for_get(client, "/api/v1/jobs/") == few


def test_the_jobs_list_endpoint_exports_too(api_as, alice, bob):
    Job.objects.create(kind="export", handler="export", requester=alice, path=URL, label="Mine")
    Job.objects.create(kind="export", handler="export", requester=bob, path=URL, label="Bob's")
    response = api_as(alice).get("/api/v1/jobs/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = body(response).decode("utf-8-sig")
    assert "Mine" in text and "Bob's" not in text
