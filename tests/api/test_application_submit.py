from datetime import timedelta

import pytest
from django.utils import timezone

from grants.models import ApplicationStatus, OrganisationStatus
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def submit(client, app):
    return client.post(f"/api/v1/applications/{app.pk}/submit/")


def test_an_ngo_submits_a_complete_draft_and_gets_a_reference(client_for, ngo, complete_draft):
    response = submit(client_for("ngo"), complete_draft)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "submitted"
    assert data["reference"] == f"VTF{complete_draft.call.number}-0001"
    assert data["submitted_at"]


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("other_ngo", 404), ("secretariat", 403), ("reviewer", 403),
    ("board_member", 403), ("donor", 403),
])
def test_no_one_else_submits_an_organisations_draft(
        client_for, everyone, complete_draft, role, expected):
    assert submit(client_for(role), complete_draft).status_code == expected
    complete_draft.refresh_from_db()
    assert complete_draft.status == ApplicationStatus.DRAFT


def test_an_incomplete_draft_is_a_400_listing_every_missing_piece(
        client_for, ngo, organisation, open_call):
    app = ApplicationFactory(organisation=organisation, call=open_call, title="", summary="",
                             countries=[], requested_usd=None, duration_months=None,
                             start_date=None, beneficiaries_women=0, beneficiaries_girls=0,
                             services=[])
    response = submit(client_for("ngo"), app)
    assert response.status_code == 400
    assert set(response.json()) == {
        "title", "summary", "countries", "requested_usd", "duration_months", "start_date",
        "beneficiaries", "services", "budget_lines", "priorities", "attachments"}
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT and app.reference is None


def test_a_budget_that_does_not_add_up_is_named(client_for, ngo, complete_draft):
    complete_draft.budget_lines.first().delete()
    response = submit(client_for("ngo"), complete_draft)
    assert response.status_code == 400
    assert "add up to USD 20,000.00" in response.json()["budget_lines"][0]


def test_submitting_after_the_deadline_is_a_conflict_and_keeps_the_draft(
        client_for, ngo, complete_draft):
    call = complete_draft.call
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = submit(client_for("ngo"), complete_draft)
    assert response.status_code == 409
    assert "deadline" in response.json()["detail"]
    complete_draft.refresh_from_db()
    assert complete_draft.status == ApplicationStatus.DRAFT
    assert complete_draft.title.startswith("Shelter and legal aid project")


def test_submitting_twice_is_a_conflict(client_for, ngo, complete_draft):
    assert submit(client_for("ngo"), complete_draft).status_code == 200
    assert submit(client_for("ngo"), complete_draft).status_code == 409


def test_an_unverified_organisation_cannot_submit(client_for, ngo, organisation, complete_draft):
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    response = submit(client_for("ngo"), complete_draft)
    assert response.status_code == 409
    assert "verified" in response.json()["detail"]


def test_another_ngos_application_is_a_404(client_for, other_ngo, complete_draft):
    response = submit(client_for("other_ngo"), complete_draft)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
