"""An e-mail change is confirmed at the new address; addresses are unique in any case."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError

from fundapp.accounts.models import User
from fundapp.accounts.services import email_change_confirm, email_change_request
from fundapp.core.errors import ValidationFailed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"/accounts/email/confirm/(?P<token>[^/\s\"]+)/")


def _request(client, email, capture):
    with capture(execute=True):
        return client.post("/accounts/email/", {"email": email})


def test_the_new_address_gets_a_link_and_the_old_one_stays_until_it_is_opened(
        login, ngo, django_capture_on_commit_callbacks):
    client = login(ngo)
    old = ngo.email
    response = _request(client, "new.address@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["new.address@example.org"]
    ngo.refresh_from_db()
    assert ngo.email == old
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(LINK.search(message.body).group(0))
    assert confirmed.status_code == 302
    ngo.refresh_from_db()
    assert (ngo.email, ngo.email_verified) == ("new.address@example.org", True)
    assert mail.outbox[-1].to == [old]  # the old address is told


def test_a_link_works_once(ngo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_change_request(actor=ngo, new_email="once@example.org")
    token = LINK.search(mail.outbox[0].body).group("token")
    email_change_confirm(token=token)
    with pytest.raises(ValidationFailed):
        email_change_confirm(token=token)


def test_the_secretariats_address_cannot_be_taken_in_any_case(login, ngo, secretariat,
                                                               django_capture_on_commit_callbacks):
    response = _request(login(ngo), secretariat.email.upper(),
                        django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Another account already uses this e-mail address" in response.content.decode()
    assert mail.outbox == []


def test_an_address_taken_after_the_request_is_refused_at_confirmation(
        ngo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_change_request(actor=ngo, new_email="race@example.org")
    UserFactory(email="Race@example.org")
    with pytest.raises(ValidationFailed):
        email_change_confirm(token=LINK.search(mail.outbox[0].body).group("token"))
    ngo.refresh_from_db()
    assert ngo.email != "race@example.org"


def test_the_preferences_form_no_longer_changes_the_address(login, ngo, secretariat):
    old = ngo.email
    login(ngo).post("/accounts/preferences/", {
        "first_name": "A", "last_name": "B", "email": secretariat.email, "language": "en",
        "timezone": "UTC"})
    ngo.refresh_from_db()
    assert (ngo.email, ngo.email_verified) == (old, True)


def test_the_database_refuses_two_accounts_with_one_address(db):
    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(username="twin", email="SAME@example.org")


def test_blank_addresses_never_clash(db):
    User.objects.create(username="a", email="")
    User.objects.create(username="b", email="")
    assert User.objects.filter(email="").count() == 2


def test_registration_refuses_an_address_in_use(client, secretariat):
    from fundapp.accounts.forms import RegistrationForm

    form = RegistrationForm({"email": secretariat.email.title()})
    assert not form.is_valid()
    assert "Another account already uses" in " ".join(form.errors["email"])
