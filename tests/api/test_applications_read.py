from decimal import Decimal

import pytest

from grants.models import ApplicationPriority, ApplicationStatus
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"


@pytest.fixture
def other_draft(other_organisation, open_call):
    return ApplicationFactory(organisation=other_organisation, call=open_call,
                              title="Kenyan draft")


@pytest.fixture
def recommended(open_call):
    return ApplicationFactory(call=open_call, status=ApplicationStatus.RECOMMENDED,
                              reference="VTF1-0009", title="Recommended project")


def titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize("role,expected", [
    ("ngo", {"Own draft"}), ("other_ngo", {"Kenyan draft"}),
    ("secretariat", {"Own draft", "Kenyan draft", "Recommended project"}),
    ("reviewer", set()), ("board_member", {"Recommended project"}), ("donor", set()),
])
def test_each_role_lists_the_applications_it_may_see(
        client_for, everyone, draft, other_draft, recommended, role, expected):
    draft.title = "Own draft"
    draft.save()
    response = client_for(role).get(URL)
    assert response.status_code == 200
    assert titles(response) == expected


def test_anonymous_users_cannot_list_applications(api, draft):
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 200), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 404), ("donor", 404),
])
def test_a_draft_is_seen_by_its_organisation_and_the_secretariat(
        client_for, everyone, draft, role, expected):
    assert client_for(role).get(f"{URL}{draft.pk}/").status_code == expected


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 404), ("other_ngo", 404), ("secretariat", 200),
    ("reviewer", 404), ("board_member", 200), ("donor", 404),
])
def test_the_board_sees_recommended_applications(
        client_for, everyone, recommended, role, expected):
    assert client_for(role).get(f"{URL}{recommended.pk}/").status_code == expected


def test_the_detail_has_every_field_of_the_contract(client_for, ngo, complete_draft):
    data = client_for("ngo").get(f"{URL}{complete_draft.pk}/").json()
    assert data["call"] == complete_draft.call_id
    assert data["organisation"] == complete_draft.organisation_id
    assert data["organisation_name"] == "Hope Shelter Nigeria"
    assert data["countries"] == ["NG"]
    assert data["requested_usd"] == "50000.00" and data["budget_total"] == "50000.00"
    assert data["duration_months"] == 12 and data["status"] == "draft"
    assert data["priorities"] == ["armed-conflict"]
    assert data["priority_justifications"] == {
        "armed-conflict": "Most of our clients fled conflict."}
    assert data["beneficiaries"] == {"women": 40, "girls": 25, "men": 0, "boys": 0}
    assert data["services"] == ["shelter", "legal"]
    assert data["budget_lines"][0] == {"category": "direct_assistance",
                                       "description": "Shelter costs", "amount": "30000.00"}
    attachment = data["attachments"][0]
    assert attachment["kind"] == "registration_certificate"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["download"].endswith(
        f"/api/v1/applications/{complete_draft.pk}/attachments/{attachment['id']}/download/")
    assert data["missing"] == {}
    assert data["reference"] is None and data["submitted_at"] is None


def test_a_drafts_detail_lists_what_is_still_missing(client_for, ngo, organisation, open_call):
    app = ApplicationFactory(organisation=organisation, call=open_call, title="",
                             requested_usd=None)
    missing = client_for("ngo").get(f"{URL}{app.pk}/").json()["missing"]
    assert {"title", "requested_usd", "budget_lines", "priorities", "attachments"} <= set(missing)
    assert "registration certificate" in str(missing["attachments"]).lower()


def test_the_list_is_paginated(client_for, ngo, draft):
    data = client_for("ngo").get(URL).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 1


@pytest.fixture
def varied(secretariat, open_call):
    """Three applications differing by call, status, country and priority."""
    kenyan = OrganisationFactory(name="Haki Centre", country="KE")
    first = ApplicationFactory(call=open_call, title="Nigeria shelter", countries=["NG"],
                               requested_usd=Decimal("30000"))
    second = ApplicationFactory(call=open_call, organisation=kenyan, title="Kenya legal aid",
                                countries=["KE", "UG"], status=ApplicationStatus.SUBMITTED,
                                reference="VTF9-0001", requested_usd=Decimal("45000"))
    ApplicationPriority.objects.create(application=second,
                                       priority=open_call.priorities.get(code="women-girls"))
    third = ApplicationFactory(call=CallFactory(), title="Other call", countries=["UG"])
    return first, second, third


@pytest.mark.parametrize("query,expected", [
    ("status=submitted", {"Kenya legal aid"}),
    ("country=ug", {"Kenya legal aid", "Other call"}),
    ("priority=women-girls", {"Kenya legal aid"}),
    ("search=haki", {"Kenya legal aid"}),
    ("search=VTF9", {"Kenya legal aid"}),
    ("search=shelter", {"Nigeria shelter"}),
])
def test_the_secretariat_filters_applications(client_for, varied, query, expected):
    assert titles(client_for("secretariat").get(f"{URL}?{query}")) == expected


def test_the_secretariat_filters_by_call(client_for, varied, open_call):
    response = client_for("secretariat").get(f"{URL}?call={open_call.pk}")
    assert titles(response) == {"Nigeria shelter", "Kenya legal aid"}


def test_applications_are_ordered_on_request(client_for, varied):
    rows = client_for("secretariat").get(f"{URL}?ordering=-requested_usd").json()["results"]
    assert [r["requested_usd"] for r in rows][:2] == ["50000.00", "45000.00"]


@pytest.mark.parametrize("query,field", [
    ("status=bogus", "status"), ("call=abc", "call"), ("call=1.5", "call"),
    ("call=99999999999999999999999", "call"), ("country=Nigeria", "country"),
    ("search=%00", "search"),
])
def test_a_bad_filter_is_a_400_naming_it(client_for, secretariat, query, field):
    response = client_for("secretariat").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_filters_never_widen_what_an_ngo_sees(client_for, ngo, varied, draft):
    assert titles(client_for("ngo").get(f"{URL}?country=ke")) == set()
