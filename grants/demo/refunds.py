"""Demo stage: a refund of unspent funds on a past grant, and a grant suspended now.

- The refund: the first grant of call 5 (closed, illustrative dates) had USD 3,412.50 of
  its final expenditure found ineligible by the organisation's closing audit; it returned
  them to the fund six weeks after the closure (``refund_record``, reference
  ``DEMO-RF-<agreement>``). It counts in that year's fund summary (``refunded_usd``, and
  ``disbursed_usd`` less it), in IATI as a negative disbursement, and in the portfolio.
- The suspension: ngo5's (Sylhet Survivors' Support Society) project of call 5, started
  three months ago with its first tranche paid, is suspended since the flooding made its
  sites inaccessible, twelve days ago (``grant_suspend``): no payment until resumed,
  reports still due.
ngo1's active grant (``grants.demo.grant_life``) is left active for the person trying the
demo. Idempotent: the refund is found by its reference, the project by its title.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fundapp.accounts.models import User
from grants.models import (
    Application,
    ApplicationStatus,
    BudgetLine,
    Call,
    Grant,
    GrantStatus,
    Refund,
)
from grants.demo.signed_grants import Signing, demo_grant, sign_and_pay, utc
from grants.services.awards import add_months
from grants.services.refunds import refund_record
from grants.services.suspensions import grant_suspend

CALL_NUMBER = 5
REFUND_USD = Decimal("3412.50")
REFUND_NOTE = ("Expenditure found ineligible by the closing audit (shelter rent paid twice in "
               "March), returned by the organisation.")
TITLE = "Safe return and livelihoods for survivors of labour trafficking in Sylhet"
AMOUNT = Decimal("36000.00")
MONTHS = 18
BUDGET = [("personnel", "Two case workers", Decimal("12600.00")),
          ("direct_assistance", "Repatriation, medical care and livelihood grants",
           Decimal("18000.00")),
          ("monitoring", "Follow-up visits", Decimal("3600.00")),
          ("administration", "Audit and bank charges", Decimal("1800.00"))]
SUSPENDED_DAYS_AGO = 12
SIGNING = Signing("Rashida Begum", "BD12DEMO0000056789012", "Demo Bank Sylhet", "DEMOBDDH",
                  signed_days=20, countersigned_days=9)
SUSPENSION = ("Project sites inaccessible since the flooding; suspended pending a security "
              "assessment.")


@transaction.atomic
def refunds_stage() -> list[str]:
    created: list[str] = []
    users = {u.username: u for u in User.objects.filter(username__in=["secretariat", "ngo5"])}
    if "secretariat" not in users:
        return created
    _past_refund(users["secretariat"], created)
    if "ngo5" in users:
        _suspended_grant(users["secretariat"], users["ngo5"], created)
    return created


def _past_refund(secretariat: User, created: list[str]) -> None:
    grant = (Grant.objects.filter(call__number=CALL_NUMBER, status=GrantStatus.CLOSED)
             .select_related("closure").order_by("sequence").first())
    if grant is None or Refund.objects.filter(grant=grant).exists():
        return
    closed = getattr(grant, "closure", None)
    day = (closed.closed_at.date() if closed else grant.end_date) + timedelta(days=42)
    refund_record(actor=secretariat, grant=grant, amount_usd=REFUND_USD,
                  received_on=min(day, timezone.localdate()),
                  reference=f"DEMO-RF-{grant.agreement_number}", note=REFUND_NOTE)
    created.append(f"refund of USD {REFUND_USD} on {grant.agreement_number}")


def _suspended_grant(secretariat: User, ngo: User, created: list[str]) -> None:
    org = ngo.membership.organisation
    call = Call.objects.get(number=CALL_NUMBER)
    if Application.objects.filter(call=call, organisation=org, title=TITLE).exists():
        return
    start = add_months(timezone.localdate().replace(day=1), -3)
    grant = demo_grant(call, _application(call, org, ngo, start), start, amount=AMOUNT,
                       months=MONTHS)
    sign_and_pay(grant, secretariat, ngo, SIGNING)
    grant_suspend(actor=secretariat, grant=grant, reason=SUSPENSION)
    # The dates the app would have recorded: created before the start, suspended twelve
    # days ago (so the IATI file shows nothing dated after today).
    Grant.objects.filter(pk=grant.pk).update(
        created_at=utc(start - timedelta(days=40)),
        suspended_at=utc(timezone.localdate() - timedelta(days=SUSPENDED_DAYS_AGO)))
    created.append(f"grant {grant.agreement_number} (suspended)")


def _application(call: Call, org, author: User, start) -> Application:
    app = Application.objects.create(
        call=call, organisation=org, created_by=author, title=TITLE,
        summary=("Safe return, medical care and livelihood grants for men and women "
                 "trafficked for forced labour to the Gulf and back to Sylhet division."),
        countries=[org.country.code], requested_usd=AMOUNT, duration_months=MONTHS,
        start_date=start, beneficiaries_women=90, beneficiaries_men=70,
        services=["identification", "medical", "reintegration"],
        status=ApplicationStatus.APPROVED, submitted_at=call.closes_at - timedelta(days=3),
        reference=f"VTF{call.number}-{call.next_sequence:04d}")
    Call.objects.filter(pk=call.pk).update(next_sequence=call.next_sequence + 1)
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category=c, description=d, amount=a, position=i)
        for i, (c, d, a) in enumerate(BUDGET)])
    return app
