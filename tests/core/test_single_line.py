"""Names and titles that end up in e-mail headers are one line: refused at input with a
field error, and stripped of line breaks when an e-mail is built from older data."""

import pytest

from donors.forms import DonorForm
from fundapp.accounts.forms import PreferencesForm, RegistrationForm
from fundapp.core.validators import single_line
from fundapp.notifications.models import Notification
from fundapp.notifications.rendering import build_digest, build_email
from grants.forms import CallForm, OrganisationForm
from tests.api.test_calls_write import new_call

pytestmark = pytest.mark.django_db

BROKEN = ["Hope\r\nBcc: victim@example.org", "Hope\nShelter", "Hope\rShelter",
          "Hope\u2028Shelter", "Hope\x0bShelter", "Hope\x85Shelter"]
MESSAGE = "line breaks are not allowed"


@pytest.mark.parametrize("value", BROKEN)
def test_the_validator_refuses_every_kind_of_line_break(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        single_line(value)


@pytest.mark.parametrize("value", ["Hope Shelter", "Espoir – Refuge d’accueil", "", None])
def test_the_validator_accepts_one_line(value):
    single_line(value)


def _error(form, field: str) -> str:
    assert not form.is_valid()
    return " ".join(form.errors[field])


@pytest.mark.parametrize("value", BROKEN)
def test_the_organisation_form_refuses_a_name_on_two_lines(value):
    assert MESSAGE in _error(OrganisationForm({"name": value}), "name")


def test_registration_refuses_an_organisation_name_on_two_lines():
    assert MESSAGE in _error(RegistrationForm({"org_name": "Hope\r\nShelter"}), "org_name")


def test_preferences_refuse_a_first_or_last_name_on_two_lines(ngo):
    form = PreferencesForm({"first_name": "Ada\nX", "last_name": "Lovelace\r\n\r\nY",
                            "email": "ada@example.org", "language": "en", "timezone": "UTC"},
                           instance=ngo)
    assert MESSAGE in _error(form, "first_name")
    assert MESSAGE in " ".join(form.errors["last_name"])


def test_the_donor_form_refuses_a_name_on_two_lines():
    assert MESSAGE in _error(DonorForm({"name": "Sweden\nX"}), "name")


def test_the_call_form_refuses_a_title_on_two_lines():
    form = CallForm({"title_en": "Call\r\n8", "title_fr": "Appel\n8"})
    assert MESSAGE in _error(form, "title_en")
    assert MESSAGE in " ".join(form.errors["title_fr"])


def test_a_trailing_line_break_is_simply_trimmed():
    form = OrganisationForm({"name": "Hope Shelter\r\n"})
    form.is_valid()
    assert "name" not in form.errors


def test_the_api_refuses_a_donor_name_on_two_lines(api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/donors/", {
        "name": "Chile\r\nBcc: x@example.org", "donor_type": "member_state"}, format="json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["name"][0]


def test_the_api_refuses_a_call_title_on_two_lines(api_as, secretariat):
    response = api_as(secretariat).post("/api/v1/calls/", new_call(title_en="Eighth\ncall"),
                                        format="json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["title_en"][0]


def test_the_api_refuses_an_organisation_name_on_two_lines(api_as, ngo, organisation):
    response = api_as(ngo).patch(f"/api/v1/organisations/{organisation.pk}/",
                                 {"name": "Hope\r\nShelter"}, format="json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["name"][0]


def test_an_e_mail_about_an_old_name_with_line_breaks_is_still_built(ngo, mailoutbox):
    n = Notification.objects.create(recipient=ngo, kind="organisation_verified",
                                    data={"organisation": "Hope\r\nShelter\nNigeria"})
    message = build_email(n)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Hope Shelter Nigeria" in message.subject
    message.send()  # a header with a line break would raise BadHeaderError
    assert len(mailoutbox) == 1
    digest = build_digest(ngo, [n])
    assert "\n" not in digest.subject
    digest.send()
