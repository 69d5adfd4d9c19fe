"""Registration with e-mail confirmation, signing in, preferences."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from fundapp.accounts.models import User
from grants.models import Organisation, OrganisationStatus

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def _registration(**overrides) -> dict:
    data = {
        "username": "amina", "email": "amina@hope.example.org", "password": PASSWORD,
        "password_confirm": PASSWORD, "language": "fr", "org_name": "Hope Shelter Kenya",
        "org_country": "KE", "org_registration_number": "NGO-2011-0042",
        "org_year_founded": "2011", "org_contact_name": "Amina", "org_website": "",
        "org_annual_budget_usd": "120000.00", "org_track_record": "Twelve years of shelter.",
        "org_psea_declaration": "on",
    }
    data.update(overrides)
    return data


def _verify_link(message) -> str:
    return re.search(r"/accounts/verify/[^/\s]+/", message.body).group(0)


def test_an_ngo_registers_confirms_its_email_and_signs_in(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:register"), _registration())
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    user = User.objects.get(username="amina")
    assert not user.is_active
    assert Organisation.objects.get().status == OrganisationStatus.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@hope.example.org"]

    response = client.get(_verify_link(mail.outbox[0]))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and user.email_verified

    response = client.post(reverse("accounts:login"),
                           {"username": "amina", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("grants:my-organisation")).status_code == 200


def test_signing_in_before_confirming_says_the_account_is_not_active_yet(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("grants:register"), _registration())
    response = client.post(reverse("accounts:login"), {"username": "amina", "password": PASSWORD})
    assert response.status_code == 200
    assert "not active yet" in response.content.decode()


def test_a_wrong_password_gets_a_clear_message(client, ngo):
    response = client.post(reverse("accounts:login"), {"username": ngo.username,
                                                       "password": "wrong"})
    body = response.content.decode()
    assert "The username or password is not correct" in body
    assert 'role="alert"' in body


def test_a_tampered_confirmation_link_is_refused_politely(client):
    response = client.get(reverse("accounts:verify-email", args=["not-a-token"]), follow=True)
    assert response.status_code == 200
    assert "invalid or has expired" in response.content.decode()


def test_a_taken_registration_number_is_refused_and_the_form_keeps_the_input(client):
    from tests.factories import OrganisationFactory

    OrganisationFactory(country="KE", registration_number="NGO-2011-0042")
    response = client.post(reverse("grants:register"), _registration())
    body = response.content.decode()
    assert response.status_code == 400
    assert "already registered in this country" in body
    assert 'value="Hope Shelter Kenya"' in body
    assert not User.objects.filter(username="amina").exists()


def test_mismatched_passwords_are_refused(client):
    response = client.post(reverse("grants:register"),
                           _registration(password_confirm="something-else-entirely"))
    assert response.status_code == 400
    assert "The two passwords are not the same" in response.content.decode()


def test_an_unknown_country_is_refused(client):
    response = client.post(reverse("grants:register"), _registration(org_country="XX"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_weak_password_is_refused_with_the_reason(client):
    response = client.post(reverse("grants:register"),
                           _registration(password="12345678", password_confirm="12345678"))
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_preferences_change_the_display_time_zone(login, ngo):
    client = login(ngo)
    response = client.post(reverse("accounts:preferences"), {
        "first_name": "Amina", "last_name": "", "email": ngo.email, "language": "en",
        "timezone": "Asia/Bangkok"})
    assert response.status_code == 302
    assert "Asia/Bangkok" in client.get(reverse("grants:call-list")).content.decode()


def test_an_unknown_time_zone_is_refused(login, ngo):
    response = login(ngo).post(reverse("accounts:preferences"), {
        "first_name": "", "last_name": "", "email": ngo.email, "language": "en",
        "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    ngo.refresh_from_db()
    assert ngo.timezone == "UTC"


def test_users_with_several_roles_get_a_dashboard_with_a_section_per_role(login, ngo):
    from fundapp.accounts.roles import Role, grant_role
    from fundapp.core.work import work_queue_for

    grant_role(ngo, Role.BOARD)
    response = login(ngo).get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    # one section per role, each titled, each with its own work items
    assert 'id="ws-ngo"' in body and 'id="ws-board"' in body
    assert "NGO user</h2>" in body and "Board member</h2>" in body
    assert body.index('id="ws-ngo"') > body.index('id="ws-board"')  # the roles' own order
    roles = {s["role"] for s in response.context["sections"]}
    assert roles == {"ngo", "board"}
    for item in work_queue_for(ngo):
        assert f'data-code="{item.code}"' in body


def test_an_ngo_user_lands_on_their_home_page_with_their_work(login, ngo, password):
    from fundapp.core.work import work_queue_for

    client = login(None)
    response = client.post(reverse("accounts:login"), {"username": "ngo", "password": password})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "secretariat" not in [s["role"] for s in response.context["sections"]]
    assert 'id="ws-ngo"' in body
    for item in work_queue_for(ngo):
        assert f'data-code="{item.code}"' in body
        assert item.url.replace("&", "&amp;") in body


def test_an_ngo_members_home_page_names_its_organisation(login, ngo, organisation):
    body = login(ngo).get(reverse("dashboard")).content.decode()
    from django.utils.html import escape

    assert f"Your organisation: {escape(organisation.name)}" in body
    assert reverse("grants:my-organisation") in body
