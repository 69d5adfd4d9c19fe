"""The personal-data pages and the API: who may do what, the download, closing, the
retention page and its query budget."""

import json
from datetime import date

import pytest
from django.core import mail

from grants.models import Organisation
from tests.factories import PASSWORD, OrganisationFactory
from tests.queries import queries_for_get

from .helpers import admin_of, editor_of, reread
from .test_retention import at, ended, person

pytestmark = pytest.mark.django_db

ROLES = ("secretariat", "ngo", "reviewer", "board_member", "donor")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_downloads_their_own_data_from_the_page(role, request, login):
    user = request.getfixturevalue(role)
    client = login(user)
    page = client.get("/accounts/my-data/")
    assert page.status_code == 200
    assert b"/accounts/my-data/download/" in page.content
    response = client.get("/accounts/my-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["profile"]["username"] == user.username


@pytest.mark.parametrize("role", ROLES)
def test_the_api_gives_each_user_their_own_data(role, request, api_as):
    user = request.getfixturevalue(role)
    response = api_as(user).get("/api/v1/me/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["profile"]["id"] == user.pk


def test_anonymous_visitors_get_nothing(client, api):
    assert client.get("/accounts/my-data/download/").status_code == 302
    assert client.post("/accounts/my-data/close/").status_code == 302
    assert api.get("/api/v1/me/data/").status_code in (401, 403)


def test_the_preferences_page_links_to_the_data_page(login, ngo):
    assert b"/accounts/my-data/" in login(ngo).get("/accounts/preferences/").content


def test_closing_needs_the_confirmation_and_never_echoes_the_password(login, ngo):
    response = login(ngo).post("/accounts/my-data/close/", {"password": PASSWORD})
    assert response.status_code == 400
    assert PASSWORD.encode() not in response.content
    assert reread(ngo).anonymised_at is None


def test_a_wrong_password_is_a_form_error(login, ngo):
    response = login(ngo).post("/accounts/my-data/close/",
                               {"password": "wrong", "confirmed": "yes"})
    assert response.status_code == 400
    assert reread(ngo).anonymised_at is None


def test_closing_from_the_page_signs_out_and_e_mails(login, ngo,
                                                     django_capture_on_commit_callbacks):
    client = login(ngo)
    address = ngo.email
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/my-data/close/",
                               {"password": PASSWORD, "confirmed": "yes"})
    assert response.status_code == 302
    assert reread(ngo).anonymised_at is not None
    assert [m.to for m in mail.outbox] == [[address]]
    assert client.get("/accounts/my-data/").status_code == 302  # signed out


def test_the_page_says_why_the_last_admin_cannot_close(login, organisation):
    admin = admin_of(organisation, username="boss")
    editor_of(organisation, username="colleague")
    page = login(admin).get("/accounts/my-data/")
    assert organisation.name.encode() in page.content
    assert b'action="/accounts/my-data/close/"' not in page.content
    refused = login(admin).post("/accounts/my-data/close/",
                                {"password": PASSWORD, "confirmed": "yes"})
    assert refused.status_code == 409 and reread(admin).anonymised_at is None


@pytest.mark.parametrize("role", ("ngo", "reviewer", "board_member", "donor"))
def test_only_the_secretariat_sees_and_runs_the_retention_policy(role, request, login):
    client = login(request.getfixturevalue(role))
    assert client.get("/manage/people/retention/").status_code == 403
    assert client.post("/manage/people/retention/run/", {"confirmed": "yes"}).status_code == 403


def _due_people(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        org = OrganisationFactory(name=f"Declined org {i}")
        Organisation.objects.filter(pk=org.pk).update(created_at=at(date(2015, 1, 1)))
        ended(org, on=date(2016, 3, 1))
        person(org, f"old-{i}", last_login=date(2016, 3, 2), joined=date(2015, 1, 1))


def test_the_retention_page_lists_who_is_due_with_a_flat_query_count(login, secretariat):
    client = login(secretariat)
    _due_people(2)
    few = queries_for_get(client, "/manage/people/retention/")
    _due_people(6, start=2)
    response = client.get("/manage/people/retention/")
    assert b"old-5" in response.content and b"retention-run" in response.content
    assert queries_for_get(client, "/manage/people/retention/") == few


def test_run_now_needs_the_confirmation_then_anonymises(login, secretariat,
                                                       django_capture_on_commit_callbacks):
    _due_people(1)
    client = login(secretariat)
    assert client.post("/manage/people/retention/run/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/manage/people/retention/run/", {"confirmed": "yes"})
    assert response.status_code == 302
    assert not client.get("/manage/people/retention/").context["page"].paginator.count
