import pytest

from grants.models import OrganisationStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/organisations/"


@pytest.mark.parametrize("role,expected", [
    ("ngo", {"Hope Shelter Nigeria"}), ("other_ngo", {"Other NGO"}),
    ("secretariat", {"Hope Shelter Nigeria", "Other NGO"}),
    ("reviewer", set()), ("board_member", set()), ("donor", set()),
])
def test_an_ngo_lists_its_own_organisation_and_the_secretariat_all(
        client_for, everyone, role, expected):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected


def test_anonymous_users_cannot_list_organisations(api, organisation):
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_an_organisation_is_seen_by_its_members_and_the_secretariat(
        client_for, everyone, organisation, role, expected):
    assert client_for(role).get(f"{URL}{organisation.pk}/").status_code == expected


def test_an_organisation_shows_its_profile(client_for, ngo, organisation):
    data = client_for("ngo").get(f"{URL}{organisation.pk}/").json()
    assert data["name"] == "Hope Shelter Nigeria" and data["country"] == "NG"
    assert data["verified"] is True and data["status"] == "verified"
    assert data["annual_budget_usd"] == "250000.00"
    assert data["registration_number"] == organisation.registration_number
    for field in ("year_founded", "contact_name", "contact_email", "contact_phone", "website",
                  "address", "un_partner_portal_id", "psea_declaration", "track_record"):
        assert field in data


def test_the_secretariat_filters_by_country_status_and_name(client_for, secretariat, db):
    OrganisationFactory(name="Kenyan Pending", country="KE", status=OrganisationStatus.PENDING)
    OrganisationFactory(name="Nigerian Verified", country="NG")
    client = client_for("secretariat")

    def names(query):
        return {row["name"] for row in client.get(f"{URL}?{query}").json()["results"]}

    assert names("country=ke") == {"Kenyan Pending"}
    assert names("status=pending") == {"Kenyan Pending"}
    assert names("search=nigerian") == {"Nigerian Verified"}
    assert client.get(f"{URL}?country=Kenya").status_code == 400
    assert "search" in client.get(f"{URL}?search=%00").json()


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_an_organisation_is_edited_by_its_members_and_the_secretariat(
        client_for, everyone, organisation, role, expected):
    response = client_for(role).patch(f"{URL}{organisation.pk}/",
                                      {"contact_phone": "+234 1 555 0100"}, format="json")
    assert response.status_code == expected
    organisation.refresh_from_db()
    assert (organisation.contact_phone == "+234 1 555 0100") == (expected == 200)


def test_changing_the_registration_number_asks_for_verification_again(
        client_for, ngo, organisation):
    response = client_for("ngo").patch(f"{URL}{organisation.pk}/",
                                       {"registration_number": "RC-NEW-1"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["verified"] is False


def test_status_and_verified_are_not_writable(client_for, ngo, organisation):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    client_for("ngo").patch(f"{URL}{organisation.pk}/", {"status": "verified", "verified": True},
                            format="json")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


@pytest.mark.parametrize("changes,field,words", [
    ({"country": "XX"}, "country", "Unknown country code: XX"),
    ({"annual_budget_usd": "-1.00"}, "annual_budget_usd", "negative"),
    ({"annual_budget_usd": "100.001"}, "annual_budget_usd", "2 decimal places"),
    ({"name": "n" * 100_000}, "name", "200 characters"),
    ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
    ({"year_founded": 1492}, "year_founded", "1800"),
    ({"psea_declaration": False}, "psea_declaration", "declaration is required"),
])
def test_bad_profile_input_is_a_400_and_keeps_the_saved_profile(
        client_for, ngo, organisation, changes, field, words):
    response = client_for("ngo").patch(f"{URL}{organisation.pk}/",
                                       changes | {"contact_name": "Lost?"}, format="json")
    assert response.status_code == 400
    assert words in str(response.json()[field])
    organisation.refresh_from_db()
    assert organisation.contact_name == "" and organisation.name == "Hope Shelter Nigeria"


def test_a_registration_number_taken_in_the_same_country_is_a_400(
        client_for, ngo, organisation):
    taken = OrganisationFactory(country="NG")
    response = client_for("ngo").patch(
        f"{URL}{organisation.pk}/", {"registration_number": taken.registration_number},
        format="json")
    assert response.status_code == 400
    assert "already registered" in str(response.json()["registration_number"])


def test_malformed_json_is_a_400(client_for, ngo, organisation):
    response = client_for("ngo").patch(f"{URL}{organisation.pk}/", "{name:",
                                       content_type="application/json")
    assert response.status_code == 400


def test_organisations_are_not_created_or_deleted_through_the_api(
        client_for, secretariat, organisation):
    client = client_for("secretariat")
    assert client.post(URL, {"name": "New"}, format="json").status_code == 405
    assert client.delete(f"{URL}{organisation.pk}/").status_code == 405
