"""Demo stage: the secretariat's work after the award (issue 15), on four grants of call 5.

- ``ngo6``'s "Chiang Rai" grant starts next month: ngo6 accepted the agreement, the secretariat
  has still to countersign it (*agreements to countersign*);
- ``ngo7``'s "Chișinău" grant started on the first of this month: signed and countersigned,
  its bank details entered but not confirmed (*bank details to confirm*), so its first
  tranche, due on signature, is not paid yet (*payments due*, late since its start date);
- ``ngo4``'s "Cúcuta" grant started seven months ago for a year: first tranche paid, its
  interim report submitted and waiting for the secretariat (*reports to review*);
- ``ngo3``'s "Dnipro" grant started eight months ago for a year: first tranche paid, its
  interim report was due two months ago and nothing came (*reports overdue*; the
  organisation's home page shows it too).

Grant rows are written as the Board's closing would have written them (as in
``grant_life``); signatures, bank details, payments and the report go through the services.
The reports due of the paid grants are written after their first payment (made on the start
date, when no report was late yet). Idempotent: each application is found by call,
organisation and title.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fundapp.accounts.models import User
from grants.demo.signed_grants import utc as _utc
from grants.models import (
    AgreementSignature,
    Application,
    ApplicationStatus,
    BudgetLine,
    Call,
    Disbursement,
    Grant,
    ReportDue,
    Tranche,
)
from grants.services.awards import DEFAULT_TRANCHES, add_months, report_schedule, split_amounts
from grants.services.implementation import (
    ReportInput,
    agreement_accept,
    agreement_countersign,
    bank_details_confirm,
    bank_details_set,
    disbursement_record,
    report_submit,
)

CALL_NUMBER = 5
BUDGET = [  # category, description, share of the amount
    ("personnel", "Case workers and a lawyer (part time)", Decimal("0.40")),
    ("direct_assistance", "Medical care, legal fees and reintegration kits", Decimal("0.35")),
    ("shelter", "Rent and running costs of the shelter", Decimal("0.20")),
    ("administration", "Audit and bank charges", Decimal("0.05")),
]
# username, title, amount, start (months from this month), months, stage
PLAN = [
    ("ngo6", "Victim identification in fishing ports and a shelter in Chiang Rai",
     Decimal("36000.00"), 1, 12, "signed"),
    ("ngo7", "Reintegration of returned women and refugees from Ukraine in Chișinău",
     Decimal("30000.00"), 0, 12, "bank_entered"),
    ("ngo4", "Legal and psychosocial assistance to survivors at the border in Cúcuta",
     Decimal("42000.00"), -7, 12, "report_submitted"),
    ("ngo3", "Safe accommodation and case management for displaced women in Dnipro",
     Decimal("40000.00"), -8, 12, "report_overdue"),
]


@transaction.atomic
def post_award_stage() -> list[str]:
    created: list[str] = []
    users = {u.username: u for u in User.objects.filter(
        username__in=["secretariat", *(p[0] for p in PLAN)])}
    call = Call.objects.filter(number=CALL_NUMBER).first()
    if call is None or "secretariat" not in users:
        return created
    for username, title, amount, months_from_now, months, stage in PLAN:
        member = users.get(username)
        if member is None or getattr(member, "membership", None) is None:
            continue
        org = member.membership.organisation
        if Application.objects.filter(call=call, organisation=org, title=title).exists():
            continue
        start = add_months(timezone.localdate().replace(day=1), months_from_now)
        call.refresh_from_db()
        grant = _grant(call, _application(call, org, member, title, amount, start, months),
                       start, months)
        _advance(grant, stage, users["secretariat"], member)
        created.append(f"grant {grant.agreement_number} ({stage.replace('_', ' ')})")
    return created


def _application(call, org, author, title, amount, start, months) -> Application:
    app = Application.objects.create(
        call=call, organisation=org, created_by=author, title=title,
        summary=f"{title}: shelter, legal aid and reintegration for survivors.",
        countries=[org.country.code], requested_usd=amount, duration_months=months,
        start_date=start, beneficiaries_women=90, beneficiaries_girls=30,
        services=["shelter", "legal", "reintegration"], status=ApplicationStatus.APPROVED,
        submitted_at=call.closes_at - timedelta(days=3),
        reference=f"VTF{call.number}-{call.next_sequence:04d}")
    Call.objects.filter(pk=call.pk).update(next_sequence=call.next_sequence + 1)
    lines = [(c, d, (amount * share).quantize(Decimal("0.01"))) for c, d, share in BUDGET]
    lines[-1] = (lines[-1][0], lines[-1][1], amount - sum(a for _c, _d, a in lines[:-1]))
    BudgetLine.objects.bulk_create([
        BudgetLine(application=app, category=c, description=d, amount=a, position=i)
        for i, (c, d, a) in enumerate(lines)])
    return app


def _grant(call, app, start: date, months: int) -> Grant:
    sequence = (Grant.objects.filter(call=call).aggregate(n=Max("sequence"))["n"] or 0) + 1
    end = add_months(start, months) - timedelta(days=1)
    grant = Grant.objects.create(
        application=app, call=call, sequence=sequence,
        agreement_number=f"VTF-{call.number}-{sequence:03d}", approved_usd=app.requested_usd,
        start_date=start, end_date=end)
    schedule = report_schedule(start, end)
    final = dict((k, d) for k, _n, d in schedule)["final"]
    amounts = split_amounts(grant.approved_usd, [t["percent"] for t in DEFAULT_TRANCHES])
    Tranche.objects.bulk_create([
        Tranche(grant=grant, position=i, percent=spec["percent"], amount_usd=amount,
                condition=spec["condition"], planned_date=start if i == 1 else final)
        for i, (spec, amount) in enumerate(zip(DEFAULT_TRANCHES, amounts, strict=True), 1)])
    grant.planned_schedule = schedule
    return grant


def _dues(grant: Grant) -> None:
    ReportDue.objects.bulk_create([ReportDue(grant=grant, kind=kind, number=n, due_date=due)
                                   for kind, n, due in grant.planned_schedule])


def _advance(grant: Grant, stage: str, secretariat: User, member: User) -> None:
    start = grant.start_date
    agreement_accept(actor=member, grant=grant, signatory_name=member.get_full_name() or
                     member.username, signatory_title="Executive Director")
    AgreementSignature.objects.filter(grant=grant).update(
        signed_at=_utc(min(start, timezone.localdate()) - timedelta(days=12)))
    if stage == "signed":
        _dues(grant)
        return
    bank_details_set(actor=member, grant=grant, account_holder=grant.application.organisation.name,
                     account_number=f"DEMO{grant.pk:06d}0000123456", bank_name="Demo Bank",
                     swift="DEMOXXXX")
    agreement_countersign(actor=secretariat, grant=grant)
    if stage == "bank_entered":
        _dues(grant)
        return
    bank_details_confirm(actor=secretariat, grant=grant)
    first = grant.tranches.get(position=1)
    payment = disbursement_record(actor=secretariat, grant=grant, tranche=first, paid_on=start,
                                  amount_usd=first.amount_usd,
                                  reference=f"DEMO-{grant.agreement_number}-1")
    Disbursement.objects.filter(pk=payment.pk).update(recorded_at=_utc(start, 15))
    _dues(grant)
    if stage == "report_submitted":
        interim = grant.reports_due.get(kind="interim", number=1)
        report_submit(actor=member, grant=grant, report_due=interim, data=ReportInput(
            achievements=("Legal counsel for 64 survivors, 23 cases filed against recruiters; "
                          "psychosocial support for 88 people at the border."),
            challenges="Border closures delayed two repatriations.",
            lessons="Joint visits with the labour inspectorate find more victims.",
            victims_total=88, by_group={"women": 41, "girls": 17, "men": 22, "boys": 8},
            by_service={"legal": 64, "psychological": 88}))
