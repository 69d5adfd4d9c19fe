"""The job path on real lists: the contributions page and endpoint. A job's file is what the
synchronous export gives the same person (same filters, same permissions): a donor's job
never holds another donor's contributions."""

from datetime import date

import pytest

from fundapp.core.models import Job, JobStatus
from tests.donors.factories import DonorFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 5


@pytest.fixture
def sweden(donor):
    return DonorFactory(name="Sweden", country="SE", users=[donor])


@pytest.fixture
def norway(db):
    return DonorFactory(name="Norway", country="NO")


@pytest.fixture
def contributions(sweden, norway):
    for day in range(1, 8):
        record(sweden, amount=f"{100 * day}.00", received_on=date(2024, 3, day),
               bank_reference=f"SE-{day}")
        record(norway, amount=f"{200 * day}.00", received_on=date(2024, 4, day),
               bank_reference=f"NO-{day}")
    record(DonorFactory(name="Later"), received_on=date(2025, 1, 2), bank_reference="LATE-1")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_large_contributions_page_export_is_the_same_file_from_a_job(
        login, secretariat, contributions, settings, django_capture_on_commit_callbacks):
    client = login(secretariat)
    url = "/funding/contributions/?year=2024&format=csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 14, 14)
    from_job = content(client.get(f"/jobs/{job.pk}/download/"))
    settings.EXPORT_ASYNC_THRESHOLD = 5000
    assert from_job == content(client.get(url))
    assert b"SE-7" in from_job and b"LATE-1" not in from_job  # the filter held


def test_a_donors_api_export_job_holds_only_its_own_contributions(
        api_as, donor, contributions, django_capture_on_commit_callbacks):
    client = api_as(donor)  # the portal user of Sweden
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/contributions/?format=csv")
    assert response.status_code == 202, response.content[:300]
    job = Job.objects.get()
    assert response["Location"] == f"/api/v1/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.rows_done == 7
    file = content(client.get(f"/api/v1/jobs/{job.pk}/download/"))
    assert b"SE-1" in file and b"NO-1" not in file


def test_a_small_api_export_still_answers_with_the_file(api_as, donor, sweden):
    record(sweden, bank_reference="SE-ONLY")
    response = api_as(donor).get("/api/v1/contributions/?format=csv")
    assert response.status_code == 200 and not Job.objects.exists()
