"""POST /api/v1/grants/{id}/suspend/, /resume/, /terminate/: who may, in which states, and
a suspended or terminated grant takes no disbursement (409)."""

import pytest

from grants.models import GrantStatus
from grants.services.suspensions import grant_suspend
from tests.grants.implementation.helpers import active_grant, today

REASON = {"reason": "Project sites inaccessible since the flooding."}


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


@pytest.fixture
def people(ngo, other_ngo, secretariat, board_member, reviewer, donor):
    return {"ngo": ngo, "other_ngo": other_ngo, "secretariat": secretariat,
            "board": board_member, "reviewer": reviewer, "donor": donor, "anonymous": None}


WHO = {"ngo": 403, "other_ngo": 403, "secretariat": 200, "board": 403, "reviewer": 403,
       "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", WHO)
def test_only_the_secretariat_suspends(api_as, people, grant, who):
    response = api_as(people[who]).post(f"/api/v1/grants/{grant.pk}/suspend/", REASON,
                                        format="json")
    assert response.status_code == WHO[who]
    grant.refresh_from_db()
    assert grant.status == (GrantStatus.SUSPENDED if WHO[who] == 200 else GrantStatus.ACTIVE)


@pytest.mark.parametrize("who", WHO)
def test_only_the_secretariat_resumes_and_terminates(api_as, people, grant, secretariat, who):
    grant_suspend(actor=secretariat, grant=grant, reason="Flooding.")
    client = api_as(people[who])
    resumed = client.post(f"/api/v1/grants/{grant.pk}/resume/", REASON, format="json")
    assert resumed.status_code == WHO[who]
    terminated = client.post(f"/api/v1/grants/{grant.pk}/terminate/", REASON, format="json")
    assert terminated.status_code == WHO[who]
    grant.refresh_from_db()
    assert grant.status == (GrantStatus.TERMINATED if WHO[who] == 200
                            else GrantStatus.SUSPENDED)


def test_the_answer_is_the_grant_with_its_suspension(api_as, secretariat, grant):
    body = api_as(secretariat).post(f"/api/v1/grants/{grant.pk}/suspend/", REASON,
                                    format="json").json()
    assert body["status"] == "suspended" and body["suspension_reason"] == REASON["reason"]
    assert body["suspended_at"] and body["refunded_usd"] == "0.00"


def test_a_missing_reason_is_400_the_wrong_state_409_an_unseen_grant_404(api_as, secretariat,
                                                                          grant):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/"
    missing = client.post(url + "suspend/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert client.post(url + "resume/", REASON, format="json").status_code == 409
    assert client.post("/api/v1/grants/999999/suspend/", REASON,
                       format="json").status_code == 404
    assert client.post(url + "terminate/", REASON, format="json").status_code == 200
    assert client.post(url + "suspend/", REASON, format="json").status_code == 409
    assert client.post(url + "terminate/", REASON, format="json").status_code == 409
    body = client.get(url).json()
    assert body["status"] == "terminated" and body["unspent_at_termination_usd"] == "0.00"


def test_resuming_without_a_reason_is_400(api_as, secretariat, grant):
    client = api_as(secretariat)
    grant_suspend(actor=secretariat, grant=grant, reason="Flooding.")
    missing = client.post(f"/api/v1/grants/{grant.pk}/resume/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUSPENDED


@pytest.mark.parametrize("step", ["suspend", "terminate"])
def test_a_suspended_or_terminated_grant_takes_no_disbursement(api_as, secretariat, grant,
                                                               step):
    client = api_as(secretariat)
    client.post(f"/api/v1/grants/{grant.pk}/{step}/", REASON, format="json")
    response = client.post(f"/api/v1/grants/{grant.pk}/disbursements/", {
        "tranche": 1, "paid_on": today().isoformat(), "amount_usd": "40000.00",
        "reference": "PAY-1"}, format="json")
    assert response.status_code == 409
    assert "suspended" in response.json()["detail"] or "terminated" in response.json()["detail"]
