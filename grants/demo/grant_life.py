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

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fundapp.accounts.models import User
from grants.models import (
    AgreementSignature,
    AmendmentKind,
    Application,
    ApplicationPriority,
    ApplicationStatus,
    BankDetails,
    BudgetLine,
    Call,
    Disbursement,
    Grant,
    ReportDue,
    Tranche,
)
from grants.selectors.amendments import grant_budget_lines
from grants.services.amendments import amendment_request
from grants.services.awards import DEFAULT_TRANCHES, add_months, report_schedule, split_amounts
from grants.services.implementation import (
    agreement_accept,
    agreement_countersign,
    bank_details_confirm,
    bank_details_set,
    disbursement_record,
)

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
# The revision ngo1 asks for: rents rose, so shelter takes from direct assistance.
REVISED = {"direct_assistance": Decimal("13800.00"), "shelter": Decimal("15000.00")}
REVISION_REASON = ("Rents in Benin City rose by a quarter this year: we ask to move USD 3,000 "
                   "from direct assistance to the safe houses' rent.")


def _utc(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


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
    grant = _grant(call, app, start)
    _sign_and_pay(grant, secretariat, ngo1)
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


def _grant(call: Call, app: Application, start: date) -> Grant:
    sequence = (Grant.objects.filter(call=call).aggregate(n=Max("sequence"))["n"] or 0) + 1
    end = add_months(start, MONTHS) - timedelta(days=1)
    grant = Grant.objects.create(
        application=app, call=call, sequence=sequence,
        agreement_number=f"VTF-{call.number}-{sequence:03d}", approved_usd=AMOUNT,
        start_date=start, end_date=end,
        conditions="Quarterly updates on the cases brought against traffickers.")
    Grant.objects.filter(pk=grant.pk).update(created_at=_utc(start - timedelta(days=45)))
    ReportDue.objects.bulk_create([ReportDue(grant=grant, kind=kind, number=n, due_date=due)
                                   for kind, n, due in report_schedule(start, end)])
    final = dict((k, d) for k, _n, d in report_schedule(start, end))["final"]
    amounts = split_amounts(AMOUNT, [t["percent"] for t in DEFAULT_TRANCHES])
    Tranche.objects.bulk_create([
        Tranche(grant=grant, position=i, percent=spec["percent"], amount_usd=amount,
                condition=spec["condition"], planned_date=start if i == 1 else final)
        for i, (spec, amount) in enumerate(zip(DEFAULT_TRANCHES, amounts, strict=True), 1)])
    return grant


def _sign_and_pay(grant: Grant, secretariat: User, ngo1: User) -> None:
    start = grant.start_date
    agreement_accept(actor=ngo1, grant=grant, signatory_name="Grace Okafor",
                     signatory_title="Executive Director")
    bank_details_set(actor=ngo1, grant=grant, account_holder=grant.application.organisation.name,
                     account_number="NG12DEMO0000012345678", bank_name="Demo Bank Benin City",
                     swift="DEMONGLA")
    agreement_countersign(actor=secretariat, grant=grant)
    bank_details_confirm(actor=secretariat, grant=grant)
    AgreementSignature.objects.filter(grant=grant).update(
        signed_at=_utc(start - timedelta(days=21)),
        countersigned_at=_utc(start - timedelta(days=10)))
    BankDetails.objects.filter(grant=grant).update(
        updated_at=_utc(start - timedelta(days=21), 11),
        confirmed_at=_utc(start - timedelta(days=10), 11))
    first = grant.tranches.get(position=1)
    payment = disbursement_record(actor=secretariat, grant=grant, tranche=first, paid_on=start,
                                  amount_usd=first.amount_usd,
                                  reference=f"DEMO-{grant.agreement_number}-1")
    Disbursement.objects.filter(pk=payment.pk).update(recorded_at=_utc(start, 15))


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
