import pytest

from grants.models import OrganisationStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
ALL_CHECKED = {"registration_certificate": True, "safeguarding_policy": True,
               "track_record": True}


@pytest.fixture
def pending_org(db):
    return OrganisationFactory(name="New Dawn Kenya", country="KE",
                               status=OrganisationStatus.PENDING)


def verify(client, org, body):
    return client.post(f"/api/v1/organisations/{org.pk}/verify/", body, format="json")


def test_the_secretariat_verifies_with_the_checklist_complete(
        client_for, secretariat, pending_org):
    response = verify(client_for("secretariat"), pending_org, {"checklist": ALL_CHECKED})
    assert response.status_code == 200
    assert response.json()["verified"] is True
    pending_org.refresh_from_db()
    assert pending_org.verified_by == secretariat
    assert pending_org.verification_checklist == ALL_CHECKED


def test_an_incomplete_checklist_is_a_400_naming_what_is_missing(
        client_for, secretariat, pending_org):
    response = verify(client_for("secretariat"), pending_org,
                      {"checklist": {"registration_certificate": True}})
    assert response.status_code == 400
    message = str(response.json()["checklist"])
    assert "Safeguarding" in message and "Track record" in message
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.PENDING


def test_rejecting_needs_reasons(client_for, secretariat, pending_org):
    response = verify(client_for("secretariat"), pending_org, {"approve": False})
    assert response.status_code == 400
    assert "reasons" in response.json()


def test_the_secretariat_rejects_with_reasons(client_for, secretariat, pending_org):
    response = verify(client_for("secretariat"), pending_org,
                      {"approve": False, "reasons": "Certificate is expired."})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["status_reason"] == "Certificate is expired."


def test_verifying_a_verified_organisation_is_a_conflict(client_for, secretariat, organisation):
    response = verify(client_for("secretariat"), organisation, {"checklist": ALL_CHECKED})
    assert response.status_code == 409


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
    ("board_member", 403), ("donor", 403),
])
def test_only_the_secretariat_verifies(client_for, everyone, pending_org, role, expected):
    assert verify(client_for(role), pending_org, {"checklist": ALL_CHECKED}).status_code == (
        expected)
    pending_org.refresh_from_db()
    assert pending_org.status == OrganisationStatus.PENDING


def test_an_ngo_cannot_verify_its_own_organisation(client_for, ngo, organisation):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    assert verify(client_for("ngo"), organisation, {"checklist": ALL_CHECKED}).status_code == 403


def test_verifying_an_unknown_organisation_is_a_404(client_for, secretariat):
    response = client_for("secretariat").post("/api/v1/organisations/999999/verify/", {},
                                              format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("body", ['{"approve": ', '[1, 2]', '{"approve": "perhaps"}',
                                  '{"checklist": "all"}'])
def test_a_malformed_body_is_a_400(client_for, secretariat, pending_org, body):
    response = client_for("secretariat").post(f"/api/v1/organisations/{pending_org.pk}/verify/",
                                              body, content_type="application/json")
    assert response.status_code == 400
