"""API of grants in implementation: who may do what on /api/v1/grants/{id}/…"""

from decimal import Decimal

import pytest

from grants.models import Disbursement, ProgressReport, ReportKind
from grants.services.implementation import report_submit
from tests.grants.implementation.helpers import (
    active_grant,
    due,
    make_grant,
    report_data,
    today,
)
from tests.queries import queries_for_get

REPORT = {
    "kind": "interim", "number": 1, "achievements": "Shelter for 120 survivors.",
    "victims_assisted": 120,
    "expenditure": [{"category": "shelter", "approved_usd": "30000.00",
                     "spent_usd": "28000.50"}],
    "by_group": {"women": 60, "girls": 30, "men": 20, "boys": 10},
    "by_service": {"shelter": 120, "legal": 45},
}


@pytest.fixture
def grant(organisation, ngo, secretariat):
    return active_grant(organisation, ngo, secretariat)


@pytest.fixture
def people(ngo, other_ngo, secretariat, board_member, reviewer, donor):
    return {"ngo": ngo, "other_ngo": other_ngo, "secretariat": secretariat,
            "board": board_member, "reviewer": reviewer, "donor": donor, "anonymous": None}


def payment(reference="PAY-1", amount="40000.00", tranche=1):
    return {"tranche": tranche, "paid_on": today().isoformat(), "amount_usd": amount,
            "reference": reference}


READ = {"ngo": 200, "other_ngo": 404, "secretariat": 200, "board": 200, "reviewer": 403,
        "donor": 404, "anonymous": 401}


@pytest.mark.parametrize("who", READ)
@pytest.mark.parametrize("what", ["disbursements", "reports"])
def test_reading_payments_and_reports(api_as, people, grant, who, what):
    response = api_as(people[who]).get(f"/api/v1/grants/{grant.pk}/{what}/")
    assert response.status_code == READ[who]


PAY = {"ngo": 403, "other_ngo": 403, "secretariat": 201, "board": 403, "reviewer": 403,
       "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", PAY)
def test_only_the_secretariat_records_a_payment(api_as, people, grant, who):
    response = api_as(people[who]).post(f"/api/v1/grants/{grant.pk}/disbursements/",
                                        payment(), format="json")
    assert response.status_code == PAY[who]
    assert Disbursement.objects.count() == (1 if PAY[who] == 201 else 0)


def test_a_payment_above_the_tranche_is_400_and_a_state_conflict_409(api_as, secretariat,
                                                                     grant):
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/disbursements/"
    too_much = client.post(url, payment(amount="40000.01"), format="json")
    assert too_much.status_code == 400 and "amount_usd" in too_much.json()
    assert client.post(url, payment(amount="-1"), format="json").status_code == 400
    blocked = client.post(url, payment(tranche=2, amount="1.00"), format="json")
    assert blocked.status_code == 409
    assert client.post(url, payment(), format="json").status_code == 201
    assert client.post(url, payment(amount="1.00"), format="json").status_code == 400
    listed = client.get(url).json()
    assert listed[0]["amount_usd"] == "40000.00" and listed[0]["tranche"] == 1


SUBMIT = {"ngo": 201, "other_ngo": 404, "secretariat": 403, "board": 403, "reviewer": 403,
          "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", SUBMIT)
def test_only_the_grantee_submits_a_report(api_as, people, grant, who):
    response = api_as(people[who]).post(f"/api/v1/grants/{grant.pk}/reports/", REPORT,
                                        format="json")
    assert response.status_code == SUBMIT[who]
    if who == "ngo":
        body = response.json()
        assert body["version"] == 1 and body["by_group"]["women"] == 60
        assert body["expenditure"][0]["variance_usd"] == "-1999.50"


def test_a_breakdown_above_the_total_is_400(api_as, ngo, grant):
    bad = REPORT | {"by_group": {"women": 200}}
    response = api_as(ngo).post(f"/api/v1/grants/{grant.pk}/reports/", bad, format="json")
    assert response.status_code == 400 and "by_group" in response.json()
    assert ProgressReport.objects.count() == 0


REVIEW = {"ngo": 403, "other_ngo": 403, "secretariat": 200, "board": 403, "reviewer": 403,
          "donor": 403, "anonymous": 401}


@pytest.mark.parametrize("who", REVIEW)
def test_only_the_secretariat_reviews(api_as, people, grant, ngo, who):
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    response = api_as(people[who]).post(
        f"/api/v1/grants/{grant.pk}/reports/{report.pk}/request-changes/",
        {"comment": "Add receipts."}, format="json")
    assert response.status_code == REVIEW[who]


def test_the_secretariat_accepts_and_a_second_review_is_409(api_as, secretariat, grant, ngo):
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/reports/{report.pk}/accept/"
    assert client.post(url, {}, format="json").json()["status"] == "accepted"
    assert client.post(url, {}, format="json").status_code == 409


def test_the_agreement_journey_over_the_api(api_as, organisation, ngo, other_ngo,
                                            secretariat):
    grant = make_grant(organisation)
    base = f"/api/v1/grants/{grant.pk}"
    sign = {"signatory_name": "Ada Obi", "signatory_title": "Director"}
    assert api_as(other_ngo).post(f"{base}/agreement/sign/", sign).status_code == 404
    assert api_as(secretariat).post(f"{base}/agreement/sign/", sign).status_code == 403
    assert api_as(secretariat).post(f"{base}/agreement/countersign/").status_code == 409
    assert api_as(ngo).post(f"{base}/agreement/sign/", sign).status_code == 204
    assert api_as(ngo).post(f"{base}/agreement/countersign/").status_code == 403
    assert api_as(secretariat).post(f"{base}/agreement/countersign/").status_code == 204
    bank = {"account_holder": "Hope", "account_number": "NG12 3456 7890",
            "bank_name": "First Bank"}
    body = api_as(ngo).put(f"{base}/bank-details/", bank).json()
    assert body["account_masked"].endswith("7890") and "account_number" not in body
    assert api_as(ngo).post(f"{base}/bank-details/confirm/").status_code == 403
    assert api_as(secretariat).post(f"{base}/bank-details/confirm/").status_code == 204
    assert api_as(secretariat).get(f"/api/v1/grants/{grant.pk}/").json()["status"] == "active"


def test_closing_over_the_api_gives_the_final_figures(api_as, secretariat, grant, ngo):
    from grants.services.implementation import report_accept

    final = report_submit(actor=ngo, grant=grant, report_due=due(grant, ReportKind.FINAL),
                          data=report_data())
    report_accept(actor=secretariat, report=final)
    response = api_as(secretariat).post(f"/api/v1/grants/{grant.pk}/close/", {})
    assert response.status_code == 200
    assert response.json()["spent_usd"] == "48000.50"
    assert response.json()["treatment"] == "none"


def test_the_report_list_costs_the_same_for_few_or_many_versions(api_as, secretariat, grant,
                                                                   ngo):
    from grants.services.implementation import report_request_changes

    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/reports/"
    report = report_submit(actor=ngo, grant=grant, report_due=due(grant), data=report_data())
    few = queries_for_get(client, url)
    for _i in range(3):
        report_request_changes(actor=secretariat, report=report, comment="Again")
        report = report_submit(actor=ngo, grant=grant, report_due=due(grant),
                               data=report_data())
    assert queries_for_get(client, url) == few


def test_the_payment_list_costs_the_same_for_few_or_many_payments(api_as, secretariat, grant):
    from grants.services.implementation import disbursement_record

    client = api_as(secretariat)
    url = f"/api/v1/grants/{grant.pk}/disbursements/"
    tranche = grant.tranches.get(position=1)

    def pay(i):
        disbursement_record(actor=secretariat, grant=grant, tranche=tranche, paid_on=today(),
                            amount_usd=Decimal("100.00"), reference=f"P{i}")

    pay(0)
    few = queries_for_get(client, url)
    for i in range(1, 6):
        pay(i)
    assert queries_for_get(client, url) == few
