"""Closing one's own account through the API: the same rules as the "My data" page."""

import pytest

from fundapp.accounts.models import User
from tests.factories import PASSWORD

from .helpers import admin_of, editor_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/close/"


def test_a_person_closes_their_account_and_their_token_stops_working(api_as, ngo):
    client = api_as(ngo)
    response = client.post(URL, {"password": PASSWORD, "confirm": True}, format="json")
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=ngo.pk)
    assert not user.is_active and user.anonymised_at is not None and user.email == ""
    assert client.get("/api/v1/me/").status_code == 401


def test_unconfirmed_or_wrong_password_closes_nothing(api_as, ngo):
    client = api_as(ngo)
    unconfirmed = client.post(URL, {"password": PASSWORD, "confirm": False}, format="json")
    wrong = client.post(URL, {"password": "not-it", "confirm": True}, format="json")
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()
    assert wrong.status_code == 400 and "password" in wrong.json()
    assert User.objects.get(pk=ngo.pk).is_active


def test_the_last_admin_of_an_organisation_with_members_is_refused(api_as, organisation):
    admin = admin_of(organisation, username="boss")
    editor_of(organisation, username="colleague")
    response = api_as(admin).post(URL, {"password": PASSWORD, "confirm": True}, format="json")
    assert response.status_code == 409
    assert User.objects.get(pk=admin.pk).is_active


def test_anonymous_is_refused(api):
    assert api.post(URL, {"password": PASSWORD, "confirm": True}, format="json").status_code == 401
