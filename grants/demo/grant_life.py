"""Demo stage: a grant of ngo1's that is running now, and a change requested on it.

Where: the last decided call whose figures the Secretary-General's report does not fix is
the 5th (calls 1-5 have illustrative dates; the 6th call's 24 projects and USD 1,000,000
are real; call 7 still awaits the Board, whose envelope must stay whole for its meeting).
So ngo1's project "Safe houses and legal aid..." is an approved application of call 5,
its grant the call's next agreement number (``VTF-5-031``), started on the first day of
the month two months before today for 24 months: its interim report is due about a year
from now, its 80 % was paid on the start date (``disbursement_record``), its last 20 %
follows the final report.

The grant row, its schedules and its application are written directly (the Board's
decision is history); signature, countersignature, bank details and the first payment go
through the real services, then their timestamps are set to the dates the app would have
recorded (signed three weeks before the start, countersigned ten days before, paid on the
start date), so the IATI file and the fund summary show nothing dated after today.

On it, ngo1 has requested a budget revision that moves more than the threshold between
lines, awaiting the secretariat's approval; a no-cost extension is left for the person
trying the demo. Idempotent: the application is found by call, organisation and title.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fundapp.accounts.models import User
from grants.models import (
    AmendmentKind,
    Application,
    ApplicationPriority,
    ApplicationStatus,
    BudgetLine,
    Call,
    Grant,
)
from grants.demo.signed_grants import Signing, demo_grant, sign_and_pay
from grants.selectors.amendments import grant_budget_lines
from grants.services.amendments import amendment_request
from grants.services.awards import add_months

CALL_NUMBER = 5
TITLE = ("Safe houses and legal aid for women and girls returned from trafficking routes "
         "in Edo State")
MONTHS = 24
STARTED_MONTHS_AGO = 2
BUDGET = [  # category, description, amount (USD 48,000 in all)
    ("personnel", "Case workers and a lawyer (part time)", Decimal("14400.00")),
    ("direct_assistance", "Medical care, legal fees and reintegration kits",
     Decimal("16800.00")),
    ("shelter", "Rent and running costs of two safe houses", Decimal("12000.00")),
    ("monitoring", "Follow-up visits and the final evaluation", Decimal("2400.00")),
    ("administration", "Audit and bank charges", Decimal("2400.00")),
]
AMOUNT = sum((amount for _c, _d, amount in BUDGET), Decimal("0"))
CONDITIONS = "Quarterly updates on the cases brought against traffickers."
SIGNING = Signing("Grace Okafor", "NG12DEMO0000012345678", "Demo Bank Benin City", "DEMONGLA",
                  signed_days=21, countersigned_days=10, bank_dated=True)
# The revision ngo1 asks for: rents rose, so shelter takes from direct assistance.
REVISED = {"direct_assistance": Decimal("13800.00"), "shelter": Decimal("15000.00")}
REVISION_REASON = ("Rents in Benin City rose by a quarter this year: we ask to move USD 3,000 "
                   "from direct assistance to the safe houses' rent.")


@transaction.atomic
def grant_life_stage() -> list[str]:
    created: list[str] = []
    users = {u.username: u for u in User.objects.filter(username__in=["secretariat", "ngo1"])}
    grant = running_grant(users["secretariat"], users["ngo1"], created)
    _budget_revision(grant, users["ngo1"], created)
    return created


def running_grant(secretariat: User, ngo1: User, created: list[str]) -> Grant:
    org = ngo1.membership.organisation
    call = Call.objects.get(number=CALL_NUMBER)
    app = Application.objects.filter(call=call, organisation=org, title=TITLE).first()
    if app is not None:
        return app.grant
    start = add_months(timezone.localdate().replace(day=1), -STARTED_MONTHS_AGO)
    app = _application(call, org, ngo1, start)
    grant = demo_grant(call, app, start, amount=AMOUNT, months=MONTHS, conditions=CONDITIONS,
                       created_days_before=45, later_tranches_at_final=True)
    sign_and_pay(grant, secretariat, ngo1, SIGNING)
    created.append(f"grant {grant.agreement_number} (active, first tranche paid)")
    return grant


def _application(call: Call, org, author: User, start: date) -> Application:
    app = Application.objects.create(
        call=call, organisation=org, created_by=author, title=TITLE,
        summary=("Two safe houses in Benin City for women and girls returned from the "
                 "Mediterranean route: shelter, medical care, legal aid in their cases "
                 "against traffickers, and reintegration."),
        countries=[org.country.code], requested_usd=AMOUNT, duration_months=MONTHS,
        start_date=start, beneficiaries_women=140, beneficiaries_girls=60,
        services=["shelter", "legal", "medical", "reintegration"],
        status=ApplicationStatus.APPROVED, submitted_at=call.closes_at - timedelta(days=2),
        reference=f"VTF{call.number}-{call.next_sequence:04d}")
    Call.objects.filter(pk=call.pk).update(next_sequence=call.next_sequence + 1)
    Application.objects.filter(pk=app.pk).update(
        created_at=call.closes_at - timedelta(days=25), updated_at=app.submitted_at)
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category=category, description=description,
                   amount=amount, position=i)
        for i, (category, description, amount) in enumerate(BUDGET)])
    ApplicationPriority.objects.bulk_create([
        ApplicationPriority(application=app, priority=p, confirmed=True,
                            justification="Women and girls are the project's first concern.")
        for p in call.priorities.all()])
    return app


def _budget_revision(grant: Grant, ngo1: User, created: list[str]) -> None:
    """ngo1's request to move USD 3,000 to the rent (a quarter of the shelter line: above
    the threshold, so it awaits the secretariat)."""
    if grant.amendments.filter(kind=AmendmentKind.BUDGET_REVISION).exists():
        return
    lines = [{"category": line["category"], "description": line["description"],
              "amount_usd": REVISED.get(line["category"], line["amount_usd"])}
             for line in grant_budget_lines(grant)]
    amendment_request(actor=ngo1, grant=grant, kind=AmendmentKind.BUDGET_REVISION,
                      reason=REVISION_REASON, budget_lines=lines)
    created.append(f"budget revision requested on {grant.agreement_number}")
