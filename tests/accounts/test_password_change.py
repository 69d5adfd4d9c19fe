"""Changing one's password ends the other sessions and every API token; this one stays."""

import pytest
from django.test import Client

from fundapp.accounts.models import ApiToken, UserSession
from fundapp.accounts.services import token_create
from fundapp.core.audit import audit_trail_for
from fundapp.notifications.models import Notification
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Another-long-passphrase-77"


def _signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_web_change_keeps_this_session_and_ends_the_others_and_the_tokens(ngo):
    here, elsewhere = _signed_in(ngo), _signed_in(ngo)
    _token, key = token_create(user=ngo)
    assert UserSession.objects.filter(user=ngo).count() == 2
    response = here.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW})
    assert response.status_code == 302
    assert here.get("/accounts/sessions/").status_code == 200
    assert elsewhere.get("/accounts/sessions/").status_code == 302  # to the sign-in page
    assert not ApiToken.objects.filter(user=ngo).exists()
    assert UserSession.objects.filter(user=ngo).count() == 1
    ngo.refresh_from_db()
    assert ngo.check_password(NEW)
    assert audit_trail_for(ngo).filter(verb="account.password_change").exists()
    assert Notification.objects.filter(recipient=ngo, kind="account_password_changed").exists()


def test_a_wrong_current_password_changes_nothing(login, ngo):
    response = login(ngo).post("/accounts/password/", {
        "old_password": "wrong", "new_password": NEW, "new_password_confirm": NEW})
    assert response.status_code == 400
    assert "current password is not correct" in response.content.decode()
    ngo.refresh_from_db()
    assert ngo.check_password(PASSWORD)


def test_the_api_change_needs_the_old_password_and_strong_new_one(api_as, ngo):
    api = api_as(ngo)
    weak = api.post("/api/v1/me/password/", {"old_password": PASSWORD,
                                             "new_password": "password"}, format="json")
    assert weak.status_code == 400 and weak.json()["new_password"]
    wrong = api.post("/api/v1/me/password/", {"old_password": "nope",
                                              "new_password": NEW}, format="json")
    assert wrong.status_code == 400 and wrong.json()["old_password"]
    ok = api.post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": NEW},
                  format="json")
    assert ok.status_code == 204
    # every token ends, the one used for the change too
    assert api.get("/api/v1/me/").status_code == 401


def test_the_api_change_from_a_browser_session_keeps_that_session(ngo):
    here, elsewhere = _signed_in(ngo), _signed_in(ngo)
    response = here.post("/api/v1/me/password/", {"old_password": PASSWORD,
                                                  "new_password": NEW},
                         content_type="application/json")
    assert response.status_code == 204
    assert here.get("/api/v1/me/").status_code == 200
    assert elsewhere.get("/api/v1/me/").status_code == 401


def test_anonymous_cannot_change_a_password(api, db):
    response = api.post("/api/v1/me/password/", {"old_password": "x", "new_password": NEW},
                        format="json")
    assert response.status_code in (401, 403)
