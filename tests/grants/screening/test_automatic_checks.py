"""Each automatic check, hand-checked against the call's limits (20,000–60,000 USD, 24 months,
a registration certificate required) and the organisation's annual budget (250,000 USD)."""

from decimal import Decimal

import pytest

from grants.models import BudgetLine, CheckCode, OrganisationStatus
from grants.services.screening import automatic_checks, check_message
from tests.factories import CallFactory, OrganisationFactory
from tests.grants.reviews.helpers import submitted_application

pytestmark = pytest.mark.django_db


def outcome(app) -> dict[str, bool]:
    return {c["code"]: c["ok"] for c in automatic_checks(app)}


def test_a_complete_application_passes_every_automatic_check():
    assert all(outcome(submitted_application()).values())


def test_an_amount_outside_the_calls_limits_fails():
    app = submitted_application(requested_usd=Decimal("60000.01"))
    assert outcome(app)[CheckCode.AMOUNT] is False


def test_the_amount_limits_are_inclusive():
    assert outcome(submitted_application(requested_usd=Decimal("60000.00")))[CheckCode.AMOUNT]
    assert outcome(submitted_application(requested_usd=Decimal("30000.01")))[CheckCode.AMOUNT]


def test_a_duration_over_the_calls_maximum_fails():
    assert outcome(submitted_application(duration_months=25))[CheckCode.DURATION] is False
    assert outcome(submitted_application(duration_months=24))[CheckCode.DURATION] is True


def test_a_missing_required_document_fails_and_is_named():
    app = submitted_application()
    app.attachments.all().delete()
    check = next(c for c in automatic_checks(app) if c["code"] == CheckCode.DOCUMENTS)
    assert check["ok"] is False
    assert "Registration certificate" in check_message(check)


def test_an_unverified_organisation_fails():
    org = OrganisationFactory(status=OrganisationStatus.PENDING)
    assert outcome(submitted_application(organisation=org))[
        CheckCode.ORGANISATION_VERIFIED] is False


def test_a_country_outside_the_calls_eligible_countries_fails():
    call = CallFactory(eligible_countries=["NG", "GH"])
    assert outcome(submitted_application(call=call, countries=["NG"]))[CheckCode.COUNTRIES]
    failing = submitted_application(call=call, countries=["NG", "KE"])
    check = next(c for c in automatic_checks(failing) if c["code"] == CheckCode.COUNTRIES)
    assert check["ok"] is False and check["params"]["outside"] == ["KE"]
    assert "Kenya" in check_message(check)


def test_budget_lines_that_do_not_add_up_fail():
    app = submitted_application()
    BudgetLine.objects.create(application=app, category="other", amount=Decimal("0.01"))
    assert outcome(app)[CheckCode.BUDGET_LINES] is False


def test_a_request_over_three_times_the_annual_budget_fails():
    small = OrganisationFactory(annual_budget_usd=Decimal("16666.66"))  # 3 × = 49,999.98
    assert outcome(submitted_application(organisation=small))[CheckCode.ANNUAL_BUDGET] is False
    exact = OrganisationFactory(annual_budget_usd=Decimal("16666.67"))  # 3 × = 50,000.01
    assert outcome(submitted_application(organisation=exact))[CheckCode.ANNUAL_BUDGET] is True


def test_an_unknown_annual_budget_fails_the_budget_check():
    org = OrganisationFactory(annual_budget_usd=None)
    app = submitted_application(organisation=org)
    check = next(c for c in automatic_checks(app) if c["code"] == CheckCode.ANNUAL_BUDGET)
    assert check["ok"] is False and "annual budget" in check_message(check)
