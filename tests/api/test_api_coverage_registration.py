"""POST /api/v1/auth/register/: an NGO registers through the API with the page's fields and
rules, gets the same e-mail, and signs in once it has opened the link."""

import re

import pytest
from django.core import mail

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, roles_of
from grants.models import Membership, Organisation, OrganisationStatus, OrgRole
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/register/"


def registration(**overrides) -> dict:
    organisation = {
        "name": "Hope Shelter Kenya", "country": "ke", "registration_number": "NGO-2011-0042",
        "year_founded": 2011, "contact_name": "Amina Otieno", "website": "hope.example.org",
        "annual_budget_usd": "250000.00", "psea_declaration": True,
    } | overrides.pop("organisation", {})
    return {"username": "amina", "email": "amina@hope.example.org", "password": PASSWORD,
            "language": "fr", "organisation": organisation} | overrides


def post(api, data, committed=None):
    if committed is None:
        return api.post(URL, data, format="json")
    with committed(execute=True):
        return api.post(URL, data, format="json")


def test_an_ngo_registers_gets_the_confirmation_e_mail_and_signs_in_once_confirmed(
        api, django_capture_on_commit_callbacks):
    response = post(api, registration(), django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.json()
    body = response.json()
    user = User.objects.get(pk=body["user"])
    organisation = Organisation.objects.get(pk=body["organisation"])
    assert body["username"] == "amina" and "amina@hope.example.org" in body["detail"]
    assert not user.is_active and user.language == "fr" and Role.NGO in roles_of(user)
    assert (organisation.name, str(organisation.country), organisation.status) == (
        "Hope Shelter Kenya", "KE", OrganisationStatus.PENDING)
    assert organisation.website == "https://hope.example.org"
    assert organisation.contact_email == "amina@hope.example.org"
    assert Membership.objects.get(user=user).role == OrgRole.ADMIN

    assert api.post("/api/v1/auth/token/", {"username": "amina", "password": PASSWORD},
                    format="json").status_code == 400  # not active until confirmed
    [message] = mail.outbox
    assert message.to == ["amina@hope.example.org"]
    link = re.search(r"/accounts/verify/[^/\s]+/", message.body).group(0)
    assert api.get(link).status_code == 302
    token = api.post("/api/v1/auth/token/", {"username": "amina", "password": PASSWORD},
                     format="json")
    assert token.status_code == 200


def test_a_signed_in_caller_registers_as_anybody_else(api_as, ngo):
    response = api_as(ngo).post(URL, registration(), format="json")
    assert response.status_code == 201
    assert Membership.objects.get(user_id=response.json()["user"]).organisation.name == \
        "Hope Shelter Kenya"


@pytest.mark.parametrize("change,field", [
    ({"username": "amina smith"}, "username"),
    ({"email": "not-an-address"}, "email"),
    ({"password": "12345678"}, "password"),
    ({"language": "xx"}, "language"),
])
def test_bad_account_fields_are_400_on_the_field(api, change, field):
    response = post(api, registration(**change))
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(username="amina").exists()


@pytest.mark.parametrize("change,field", [
    ({"country": "XX"}, "country"),
    ({"psea_declaration": False}, "psea_declaration"),
    ({"year_founded": 1700}, "year_founded"),
    ({"annual_budget_usd": "-5"}, "annual_budget_usd"),
    ({"website": "not a site"}, "website"),
    ({"name": "Two\nlines"}, "name"),
    ({"name": ""}, "name"),
])
def test_bad_organisation_fields_are_400_under_organisation(api, change, field):
    response = post(api, registration(organisation=change))
    assert response.status_code == 400
    assert field in response.json()["organisation"], response.json()
    assert not Organisation.objects.exists()


def test_every_field_s_errors_come_at_once(api):
    response = post(api, registration(email="x", password="123", organisation={
        "name": "", "country": "ZZ", "psea_declaration": False}))
    body = response.json()
    assert response.status_code == 400
    assert {"email", "organisation"} <= set(body)  # password strength: ngo_register, as on the page
    assert {"name", "country", "psea_declaration"} <= set(body["organisation"])


@pytest.mark.parametrize("body", [[], "text", {"organisation": "not an object"}])
def test_a_body_of_the_wrong_shape_is_a_400(api, body):
    response = api.post(URL, body, format="json")
    assert response.status_code == 400


def test_the_organisation_is_required(api):
    data = registration()
    del data["organisation"]
    response = post(api, data)
    assert response.status_code == 400 and "organisation" in response.json()


def test_a_weak_password_says_why(api):
    response = post(api, registration(password="12345678"))
    assert any("too common" in m for m in response.json()["password"])


def test_a_taken_username_is_refused_in_any_case(api):
    UserFactory(username="Amina", email="someone@example.org")
    response = post(api, registration())
    assert response.status_code == 400 and set(response.json()) == {"username"}


def test_a_taken_address_is_refused_in_any_case(api):
    UserFactory(username="other", email="AMINA@hope.example.org")
    response = post(api, registration())
    assert response.status_code == 400 and set(response.json()) == {"email"}


def test_a_taken_registration_number_is_refused_like_on_the_page(api):
    OrganisationFactory(country="KE", registration_number="NGO-2011-0042")
    response = post(api, registration())
    assert response.status_code == 400
    [message] = response.json()["organisation"]["registration_number"]
    assert "already registered in this country" in message
    assert not User.objects.filter(username="amina").exists()


def test_registration_is_throttled_per_address(api, monkeypatch):
    from grants.api.registration import RegisterThrottle

    monkeypatch.setattr(RegisterThrottle, "THROTTLE_RATES", {"register": "2/hour"})
    codes = [post(api, registration(username=f"u{n}", email=f"u{n}@example.org",
                                    organisation={"registration_number": f"R-{n}"})
                  ).status_code for n in range(3)]
    assert codes == [201, 201, 429]
    other = api.post(URL, registration(), format="json", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 201
