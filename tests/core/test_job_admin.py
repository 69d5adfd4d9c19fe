"""The background jobs in the Django admin: listed with their progress, searchable by
requester, never added or changed there."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fundapp.core.models import Job, JobKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-123!")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def jobs(db):
    users = get_user_model().objects
    amina = users.create_user("amina", "amina@example.org", "x-Pass-123!")
    omar = users.create_user("omar", "omar@example.org", "x-Pass-123!")
    return (Job.objects.create(kind=JobKind.EXPORT, handler="export",
                               label="Call 7 screening file", requester=amina,
                               rows_done=1200, rows_total=6400),
            Job.objects.create(kind=JobKind.IMPORT, handler="contributions",
                               label="Contributions 2026", requester=omar))


def test_the_list_shows_kind_requester_status_and_progress(admin_client, jobs):
    body = admin_client.get("/admin/core/job/").content.decode()
    assert "Call 7 screening file" in body and "Contributions 2026" in body
    assert "1200 / 6400" in body and "amina" in body


def test_the_list_is_searchable_by_requester(admin_client, jobs):
    body = admin_client.get("/admin/core/job/?q=omar").content.decode()
    assert "Contributions 2026" in body and "Call 7 screening file" not in body


def test_jobs_are_read_only_in_the_admin(admin_client, jobs):
    job = jobs[0]
    assert admin_client.get("/admin/core/job/add/").status_code == 403
    page = admin_client.get(f"/admin/core/job/{job.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    admin_client.post(f"/admin/core/job/{job.pk}/change/", {"label": "Changed"})
    job.refresh_from_db()
    assert job.label == "Call 7 screening file"
