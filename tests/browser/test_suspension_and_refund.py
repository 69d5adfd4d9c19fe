"""The secretariat suspends a grant in a real browser, finds the payment refused, resumes
the grant and records a refund. Every page is checked with axe-core and the CSP."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grants.models import GrantStatus, Refund
from grants.services.implementation import disbursement_record
from tests.browser.pages import CSP_LISTENER_JS, assert_checked, sign_in
from tests.grants.implementation.helpers import active_grant, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suspend_pay_refused_resume_refund(live_server, page, organisation, ngo, secretariat,
                                           password):
    grant = active_grant(organisation, ngo, secretariat)
    disbursement_record(actor=secretariat, grant=grant, tranche=grant.tranches.get(position=1),
                        paid_on=today(), amount_usd=Decimal("40000.00"), reference="P-1")
    base = live_server.url
    page.context.add_init_script(CSP_LISTENER_JS)
    sign_in(page, base, secretariat.username, password)
    page.goto(f"{base}/grants/{grant.pk}/implementation/")
    assert_checked(page)

    page.get_by_text("Suspend the grant", exact=True).first.click()  # the <summary>
    page.locator("#id_suspend-reason").fill(
        "Project sites inaccessible since the flooding.")
    page.get_by_role("button", name="Suspend the grant").click()
    expect(page.get_by_text("The grant is suspended; the organisation is notified.")
           ).to_be_visible()
    expect(page.locator("#suspension-notice")).to_contain_text("This grant is suspended since")
    expect(page.get_by_text("Record a payment")).to_have_count(0)
    expect(page.get_by_text("This grant is suspended: no payment is made until it is "
                            "resumed.").first).to_be_visible()
    assert_checked(page)

    # A payment posted anyway (another tab opened before the suspension) is refused.
    refused = page.request.post(f"{base}/grants/{grant.pk}/payments/", form={
        "tranche": "2", "paid_on": today().isoformat(), "amount_usd": "10000.00",
        "reference": "P-2", "confirmed": "yes",
        "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first
        .input_value()}, headers={"Referer": page.url})
    assert refused.status == 409

    page.get_by_label("Why is the grant resumed?").fill("The sites are reachable again.")
    page.get_by_role("button", name="Resume the grant").click()
    expect(page.get_by_text("The grant is resumed; the organisation is notified.")
           ).to_be_visible()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
    assert_checked(page)

    page.get_by_text("Record a refund", exact=True).click()
    page.locator("#id_refund-amount_usd").fill("3412.50")
    page.locator("#id_refund-reference").fill("FT-0042")
    page.locator("#id_refund-note").fill("Unspent shelter budget")
    page.get_by_role("button", name="Record the refund").click()  # asks in a dialog
    assert_checked(page)
    page.locator("dialog[open] [data-confirm-yes]").click()
    expect(page.get_by_text("The refund is recorded; the organisation is notified.")
           ).to_be_visible()
    expect(page.get_by_role("cell", name="FT-0042")).to_be_visible()
    assert Refund.objects.get().amount_usd == Decimal("3412.50")
    assert_checked(page)
