"""Pages of grants in implementation: the journey from agreement to closure, who sees what,
and query budgets."""

import pytest

from grants.models import Disbursement, GrantStatus, ProgressReport, ReportKind
from tests.grants.implementation.helpers import active_grant, make_grant, today
from tests.queries import queries_for_get

from .conftest import CONFIRMED


def ok(response, status=302):
    assert response.status_code == status, response.content[:2000]
    return response


def test_the_grant_journey_from_agreement_to_closure(login, organisation, ngo, secretariat):
    grant = make_grant(organisation)
    page = f"/grants/{grant.pk}"
    client = login(ngo)
    assert b"I accept the agreement" in ok(client.get(f"{page}/implementation/"), 200).content
    pdf = ok(client.get(f"{page}/agreement.pdf"), 200)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ok(client.post(f"{page}/agreement/sign/", {"signatory_name": "Ada Obi",
                                               "signatory_title": "Director"}))
    ok(client.post(f"{page}/bank-details/", {"account_holder": "Hope", "bank_name": "First",
                                             "account_number": "NG1234567890"}))
    client = login(secretariat)
    ok(client.post(f"{page}/agreement/countersign/", CONFIRMED))
    ok(client.post(f"{page}/bank-details/confirm/"))
    ok(client.post(f"{page}/payments/", {"tranche": 1, "paid_on": today().isoformat(),
                                         "amount_usd": "40000.00", "reference": "WEB-1",
                                         **CONFIRMED}))
    assert Disbursement.objects.get().reference == "WEB-1"
    client = login(ngo)
    body = ok(client.get(f"{page}/implementation/"), 200).content.decode()
    assert "WEB-1" in body and "•" in body and "NG1234567890" not in body
    final = grant.reports_due.get(kind=ReportKind.FINAL)
    form = f"{page}/reports/{final.pk}/submit/"
    assert ok(client.get(form), 200)
    ok(client.post(form, {"achievements": "Done.", "victims_total": "10", "group_women": "11",
                          "spent_other": "1.00"}), 400)
    assert ProgressReport.objects.count() == 0
    ok(client.post(form, {"achievements": "Done.", "victims_total": "10", "group_women": "6",
                          "group_girls": "4", "service_shelter": "10",
                          "spent_other": "39000.00"}))
    report = ProgressReport.objects.get()
    client = login(secretariat)
    ok(client.post(f"{page}/reports/{report.pk}/review/", {"verdict": "accept"}))
    ok(client.post(f"{page}/payments/", {"tranche": 2, "paid_on": today().isoformat(),
                                         "amount_usd": "10000.00", "reference": "WEB-2",
                                         **CONFIRMED}))
    assert b"Close the grant" in ok(client.get(f"{page}/implementation/"), 200).content
    ok(client.post(f"{page}/close/", {"treatment": "refunded", **CONFIRMED}))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CLOSED
    assert str(grant.closure.unspent_usd) == "11000.00"


def test_an_overpayment_shows_the_error_on_the_form(login, organisation, ngo, secretariat):
    grant = active_grant(organisation, ngo, secretariat)
    response = login(secretariat).post(
        f"/grants/{grant.pk}/payments/", {"tranche": 1, "paid_on": today().isoformat(),
                                          "amount_usd": "40000.01", "reference": "X",
                                          **CONFIRMED})
    assert response.status_code == 400 and b"left to pay" in response.content


@pytest.mark.parametrize("who, status", [
    ("ngo", 200), ("other_ngo", 404), ("secretariat", 200), ("board_member", 200),
    ("reviewer", 404), ("donor", 404)])
def test_who_sees_a_grant_s_implementation(request, login, organisation, ngo, secretariat,
                                           who, status):
    grant = active_grant(organisation, ngo, secretariat)
    client = login(request.getfixturevalue(who))
    assert client.get(f"/grants/{grant.pk}/implementation/").status_code == status


@pytest.mark.parametrize("who, status", [
    ("ngo", 403), ("secretariat", 302), ("board_member", 403), ("donor", 403)])
def test_only_the_secretariat_records_payments_on_the_web(request, login, organisation, ngo,
                                                         secretariat, who, status):
    grant = active_grant(organisation, ngo, secretariat)
    client = login(request.getfixturevalue(who))
    response = client.post(f"/grants/{grant.pk}/payments/", {
        "tranche": 1, "paid_on": today().isoformat(), "amount_usd": "1.00", "reference": "R",
        **CONFIRMED})
    assert response.status_code == status


def test_the_portfolio_filters_and_exports(login, organisation, other_organisation, ngo,
                                           other_ngo, secretariat):
    from datetime import timedelta

    late = active_grant(organisation, ngo, secretariat, start=today() - timedelta(days=400))
    active_grant(other_organisation, other_ngo, secretariat, countries=("KE",))
    client = login(secretariat)
    body = ok(client.get("/grants/portfolio/?overdue=on"), 200).content.decode()
    assert late.agreement_number in body and body.count("Report overdue") == 1
    assert "Kenya" in ok(client.get("/grants/portfolio/?country=ke"), 200).content.decode()
    csv = ok(client.get("/grants/portfolio/?format=csv"), 200)
    assert late.agreement_number in csv.getvalue().decode("utf-8-sig")
    xlsx = ok(client.get("/grants/portfolio/?format=xlsx"), 200)
    assert xlsx.content.startswith(b"PK")
    mine = ok(login(other_ngo).get("/grants/portfolio/"), 200).content.decode()
    assert late.agreement_number not in mine
    assert login(None).get("/grants/portfolio/").status_code == 302


@pytest.mark.parametrize("who, status", [
    ("secretariat", 200), ("board_member", 200), ("donor", 200), ("ngo", 403),
    ("reviewer", 403)])
def test_the_impact_dashboard_is_for_the_secretariat_board_and_donors(request, login, who,
                                                                      status):
    client = login(request.getfixturevalue(who))
    assert client.get("/impact/").status_code == status


def test_the_public_impact_page_is_open(login, organisation, ngo, secretariat):
    active_grant(organisation, ngo, secretariat)
    body = ok(login(None).get("/impact/public/"), 200).content.decode()
    assert "3,500" in body or "3500" in body


@pytest.mark.parametrize("url", ["/grants/portfolio/", "/impact/", "/impact/public/"])
def test_lists_cost_the_same_for_few_or_many_grants(login, organisation, ngo, secretariat,
                                                    url):
    from grants.services.implementation import report_accept, report_submit
    from tests.grants.implementation.helpers import due, report_data

    def grant_with_report():
        grant = active_grant(organisation, ngo, secretariat)
        report_accept(actor=secretariat, report=report_submit(
            actor=ngo, grant=grant, report_due=due(grant), data=report_data()))

    grant_with_report()
    client = login(secretariat)
    few = queries_for_get(client, url)
    for _i in range(4):
        grant_with_report()
    assert queries_for_get(client, url) == few


def test_changed_terms_ask_the_ngo_to_sign_again(login, organisation, ngo, secretariat):
    from decimal import Decimal

    from grants.services.awards import grant_tranches_update
    from grants.services.implementation import agreement_accept

    grant = make_grant(organisation)
    agreement_accept(actor=ngo, grant=grant, signatory_name="A", signatory_title="B")
    grant_tranches_update(actor=secretariat, grant=grant, tranches=[
        {"percent": Decimal("100"), "condition": "on_signature"}])
    body = ok(login(ngo).get(f"/grants/{grant.pk}/implementation/"), 200).content.decode()
    assert "must accept the agreement again" in body and "I accept the agreement" in body
