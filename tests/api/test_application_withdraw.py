import pytest

from grants.models import ApplicationStatus

pytestmark = pytest.mark.django_db


def withdraw(client, app, body=None):
    return client.post(f"/api/v1/applications/{app.pk}/withdraw/", body or {}, format="json")


def test_an_ngo_withdraws_its_submitted_application(client_for, ngo, submitted):
    response = withdraw(client_for("ngo"), submitted, {"reason": "Funded elsewhere."})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    submitted.refresh_from_db()
    assert submitted.withdrawn_at is not None


def test_an_ngo_can_withdraw_a_draft(client_for, ngo, draft):
    assert withdraw(client_for("ngo"), draft).status_code == 200


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("other_ngo", 404), ("secretariat", 403), ("reviewer", 403),
    ("board_member", 403), ("donor", 403),
])
def test_no_one_else_withdraws_it(client_for, everyone, submitted, role, expected):
    assert withdraw(client_for(role), submitted).status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("state", [ApplicationStatus.WITHDRAWN, ApplicationStatus.APPROVED,
                                   ApplicationStatus.DECLINED])
def test_withdrawing_after_a_decision_or_twice_is_a_conflict(client_for, ngo, submitted, state):
    submitted.status = state
    submitted.save()
    assert withdraw(client_for("ngo"), submitted).status_code == 409


def test_an_overlong_reason_is_a_400(client_for, ngo, submitted):
    response = withdraw(client_for("ngo"), submitted, {"reason": "r" * 2001})
    assert response.status_code == 400
    assert "reason" in response.json()
