"""The grant page's suspension, resumption and termination: the secretariat's forms, the
notice the organisation sees, payments refused while suspended, who may post."""

import re
from decimal import Decimal

import pytest

from grants.models import Disbursement, GrantStatus
from grants.services.implementation import disbursement_record
from tests.grants.implementation.helpers import active_grant, today

from .conftest import CONFIRMED

REASON = "Project sites inaccessible since the flooding."


def ok(response, status=302):
    assert response.status_code == status, response.content[:2000]
    return response


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


def test_suspend_refuse_payment_resume_then_terminate(login, grant, ngo, secretariat):
    page = f"/grants/{grant.pk}"
    client = login(secretariat)
    body = ok(client.get(f"{page}/implementation/"), 200).content.decode()
    assert "Suspend the grant" in body and "Terminate the grant" in body
    # a refused post comes back scrolled to the forms, where the error is (D12)
    assert f'action="/grants/{grant.pk}/suspend/#suspension-h"' in body
    ok(client.post(f"{page}/suspend/", {"suspend-reason": ""}), 400)
    ok(client.post(f"{page}/suspend/", {"suspend-reason": REASON}))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUSPENDED
    body = ok(client.get(f"{page}/implementation/"), 200).content.decode()
    assert "Record a payment" not in body and "Resume the grant" in body
    assert "no payment is made until it is resumed" in body
    refused = client.post(f"{page}/payments/", {"tranche": 1, "paid_on": today().isoformat(),
                                                "amount_usd": "40000.00", "reference": "W-1",
                                                **CONFIRMED})
    assert refused.status_code == 409 and not Disbursement.objects.exists()
    client = login(ngo)
    body = ok(client.get(f"{page}/implementation/"), 200).content.decode()
    assert "This grant is suspended since" in body and REASON in body
    assert "Resume the grant" not in body
    client = login(secretariat)
    refused = ok(client.post(f"{page}/resume/", {"resume-reason": ""}), 400).content.decode()
    assert "This field is required." in refused
    grant.refresh_from_db()
    assert grant.status == GrantStatus.SUSPENDED
    ok(client.post(f"{page}/resume/", {"resume-reason": "Sites reachable again."}))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
    unconfirmed = {"terminate-reason": "Fraud established."}
    ok(client.post(f"{page}/terminate/", unconfirmed), 400)
    ok(client.post(f"{page}/terminate/", {"terminate-reason": "Fraud established.",
                                           **CONFIRMED}))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.TERMINATED
    body = ok(client.get(f"{page}/implementation/"), 200).content.decode()
    assert "This grant was terminated on" in body and "Suspend the grant" not in body


def test_the_page_s_forms_have_unique_ids(login, grant, secretariat):
    body = ok(login(secretariat).get(f"/grants/{grant.pk}/implementation/"), 200).content
    ids = [m.group(1) for m in re.finditer(rb' id="([^"]+)"', body)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_terminate_form_shows_the_unspent_balance(login, grant, secretariat):
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P-1")
    body = ok(login(secretariat).get(f"/grants/{grant.pk}/implementation/"), 200).content
    assert b"Spent as last reported" in body and b"40,000.00" in body


@pytest.mark.parametrize("who", ["ngo", "other_ngo", "board_member", "reviewer", "donor"])
def test_only_the_secretariat_may_post(request, login, grant, who):
    client = login(request.getfixturevalue(who))
    for step in ("suspend", "resume", "terminate"):
        response = client.post(f"/grants/{grant.pk}/{step}/",
                               {f"{step}-reason": REASON, **CONFIRMED})
        assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_anonymous_visitors_are_sent_to_sign_in(client, grant):
    response = client.post(f"/grants/{grant.pk}/suspend/", {"suspend-reason": REASON})
    assert response.status_code in (302, 403)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
