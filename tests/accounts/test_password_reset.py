"""Password reset by e-mail: the same answer for every address, one use, expiry, rules."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from fundapp.accounts.models import ApiToken
from fundapp.accounts.services import password_reset_request, token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/auth/password-reset/"
CONFIRM = "/api/v1/auth/password-reset/confirm/"
LINK = re.compile(r"https?://[^\s\"<]+/reset/(?P<uid>[^/\s]+)/(?P<token>[^/\s]+)/")
NEW = "A-much-longer-passphrase-42"


@pytest.fixture
def person(db):
    return UserFactory(username="ana", email="Ana@Example.org", language="fr")


def _link(message) -> dict:
    return LINK.search(message.body).groupdict()


def test_the_reset_email_goes_to_the_account_in_its_language_with_a_link(
        api, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(API, {"email": "ana@example.ORG"}, format="json")
    assert response.status_code == 202
    [message] = mail.outbox
    assert message.to == ["Ana@Example.org"]
    html = message.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html
    assert LINK.search(html) and _link(message)["uid"]


def test_an_unknown_address_gets_the_same_answer_and_no_email(
        api, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post(API, {"email": "ana@example.org"}, format="json")
        unknown = api.post(API, {"email": "nobody@example.org"}, format="json")
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert len(mail.outbox) == 1


def test_an_inactive_account_gets_no_email(person, django_capture_on_commit_callbacks):
    person.is_active = False
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=person.email)
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_and_ends_tokens(
        api, person, django_capture_on_commit_callbacks):
    token_create(user=person)
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=person.email)
    link = _link(mail.outbox[0])
    first = api.post(CONFIRM, {**link, "new_password": NEW}, format="json")
    assert first.status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert not ApiToken.objects.filter(user=person).exists()
    again = api.post(CONFIRM, {**link, "new_password": NEW + "x"}, format="json")
    assert again.status_code == 400
    assert "token" in again.json()


def test_an_expired_link_is_refused(api, person, django_capture_on_commit_callbacks,
                                    monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=person.email)
    link = _link(mail.outbox[0])
    later = __import__("datetime").datetime.now() + timedelta(hours=3)
    monkeypatch.setattr("django.contrib.auth.tokens.PasswordResetTokenGenerator._now",
                        lambda self: later)
    response = api.post(CONFIRM, {**link, "new_password": NEW}, format="json")
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_weak_password_is_refused_with_new_password_errors(
        api, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=person.email)
    response = api.post(CONFIRM, {**_link(mail.outbox[0]), "new_password": "12345678"},
                        format="json")
    assert response.status_code == 400
    assert response.json()["new_password"]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_forged_uid_is_a_400(api, db):
    response = api.post(CONFIRM, {"uid": "zzz", "token": "abc-def", "new_password": NEW},
                        format="json")
    assert response.status_code == 400


def test_reset_requests_are_throttled(api, db, monkeypatch):
    from fundapp.accounts.api import PasswordResetThrottle

    monkeypatch.setattr(PasswordResetThrottle, "THROTTLE_RATES", {"password_reset": "2/hour"})
    codes = [api.post(API, {"email": f"x{i}@example.org"}, format="json").status_code
             for i in range(3)]
    assert codes == [202, 202, 429]
    page = api.post("/accounts/password-reset/", {"email": "y@example.org"})
    assert page.status_code == 429  # the web page shares the limit


def test_reset_confirmations_are_throttled(api, db, monkeypatch):
    from fundapp.accounts.api import PasswordResetConfirmThrottle

    monkeypatch.setattr(PasswordResetConfirmThrottle, "THROTTLE_RATES",
                        {"password_reset_confirm": "1/hour"})
    body = {"uid": "MQ", "token": "x-y", "new_password": NEW}
    codes = [api.post(CONFIRM, body, format="json").status_code for _ in range(2)]
    assert codes == [400, 429]


# --- the web pages ---------------------------------------------------------------------

def test_the_login_page_links_to_the_reset_page(client, db):
    assert b"/accounts/password-reset/" in client.get("/accounts/login/").content


def test_the_web_journey_resets_the_password(client, person,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
        assert response.status_code == 302
        response = client.post("/accounts/password-reset/", {"email": "ana@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    url = LINK.search(mail.outbox[0].body).group(0)
    path = url[url.index("/accounts/"):]
    landing = client.get(path)  # the token leaves the URL before the form shows
    assert landing.status_code == 302
    form_url = landing["Location"]
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and b"has-error" in weak.content
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert client.login(username="ana", password=NEW)
    assert client.get(path).status_code == 200  # used: the page says the link is invalid
    assert b"invalid" in client.get(path).content
