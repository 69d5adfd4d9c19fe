"""The header's language menu: for a signed-in user it also saves the account's language
(used on other devices, at the next sign-in and for e-mails); anonymous visitors get the
cookie only."""

import pytest
from django.test import Client
from django.urls import reverse

from fundapp.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _menu_action(client) -> str:
    body = client.get(reverse("home")).content.decode()
    action = reverse("accounts:set-language")
    assert f'action="{action}"' in body
    return action


def test_the_menu_saves_the_signed_in_users_language(login, ngo):
    client = login(ngo)
    response = client.post(_menu_action(client), {"language": "fr", "next": "/my/"})
    assert response.status_code == 302 and response.url == "/my/"
    assert response.cookies["django_language"].value == "fr"
    ngo.refresh_from_db()
    assert ngo.language == "fr"
    assert AuditEvent.objects.filter(verb="account.profile_update").count() == 1


def test_the_next_sign_in_in_a_fresh_browser_is_in_the_saved_language(login, ngo, password):
    login(ngo).post(reverse("accounts:set-language"), {"language": "fr", "next": "/"})
    fresh = Client()
    response = fresh.post(reverse("accounts:login"), {"username": ngo.username,
                                                      "password": password}, follow=True)
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_anonymous_visitors_get_the_cookie_only(client):
    response = client.post(reverse("accounts:set-language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"


def test_an_unknown_language_changes_nothing(login, ngo):
    client = login(ngo)
    client.post(reverse("accounts:set-language"), {"language": "xx", "next": "/"})
    ngo.refresh_from_db()
    assert ngo.language == "en"
    assert not AuditEvent.objects.filter(verb="account.profile_update").exists()
