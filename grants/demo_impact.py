"""Demo stage: the fund's history of grants (calls 1-6), paid, reported and closed.

Consistent with the Secretary-General's report: about 150 projects (147) in 69 countries
since 2011 and USD 6.7 million paid; the 6th call's 24 projects in 19 countries; more than
3,500 victims assisted in each recent year (2022 and 2023). Only verified organisations
hold grants. Call 7 is left to the Board's demo. Rows are written with ``bulk_create``;
the stage does nothing when the history is already there (its grants have sequences from
101).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from fundapp.accounts.models import User
from grants.selectors.impact import countries_of
from grants.models import (
    AgreementSignature,
    Application,
    ApplicationStatus,
    BankDetails,
    Call,
    Disbursement,
    ExpenditureLine,
    Grant,
    GrantClosure,
    GrantStatus,
    Indicator,
    Organisation,
    OrganisationStatus,
    ProgressReport,
    ReportDue,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheCondition,
    UnspentTreatment,
)

FIRST_SEQUENCE = 101
# call number -> (new projects, first country index, distinct countries, grant start)
PLAN = {
    1: (18, 0, 18, date(2011, 9, 1)),
    2: (22, 14, 22, date(2013, 3, 1)),
    3: (25, 30, 25, date(2014, 12, 1)),
    4: (28, 45, 24, date(2016, 9, 1)),
    5: (30, 10, 30, date(2019, 3, 1)),
    6: (22, 0, 19, date(2021, 7, 1)),  # with those already in call 6: 24 projects, 19 countries
}
COUNTRIES = (
    "NG GH BJ TG CI SN ML BF NE CM CD UG KE TZ ET ER SD SS SO MW ZM ZW MZ ZA MG LB JO IQ SY "
    "YE EG TN MA LY AF PK IN BD NP LK MM TH KH LA VN PH ID MY CO VE PE EC BO BR PY AR MX GT "
    "HN SV NI HT DO UA MD RO BG AL RS BA GE AM KG TJ UZ KZ"
).split()
GROUPS = {"women": Decimal("0.55"), "girls": Decimal("0.25"), "men": Decimal("0.12"),
          "boys": Decimal("0.08")}
SERVICES = ("identification", "legal", "shelter", "medical", "psychological", "reintegration")


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _amount(i: int) -> Decimal:
    return Decimal(32000 + (i * 7919) % 28000).quantize(Decimal("1")) + Decimal("0.00")


def _victims(call: int, i: int, final: bool) -> int:
    """Victims assisted in a report's period. The 6th call's 22 grants report about as many
    in their interim report (2022) as in their final one (2023): more than 3,500 each year."""
    if call == 6:
        return 165 if final else 160
    base = 70 + (i * 37) % 60
    return base if final else base // 3


@transaction.atomic
def impact_stage() -> dict:
    if Grant.objects.filter(sequence__gte=FIRST_SEQUENCE).exists():
        return {}
    secretariat = User.objects.get(username="secretariat")
    calls = {c.number: c for c in Call.objects.filter(number__in=PLAN)}
    used = _seeded_countries(calls[6])
    orgs = _organisations(used)
    made = 0
    for number, (count, first, distinct, start) in PLAN.items():
        if number == 6:
            distinct -= len(used)
        codes = [c for c in COUNTRIES[first:] + COUNTRIES[:first] if c not in used
                 or number != 6][:distinct]
        made += _call_history(calls[number], count, codes, start, orgs, secretariat)
    return {"historic grants": made}


def _seeded_countries(call6: Call) -> set[str]:
    codes: set[str] = set()
    for countries in call6.applications.filter(status=ApplicationStatus.APPROVED).values_list(
            "countries", flat=True):
        codes.update(countries_of(countries))
    return codes


def _organisations(used: set[str]) -> dict[str, Organisation]:
    """One verified organisation per country: only a verified NGO ever held a grant (ngo2's
    organisation, still awaiting verification, gets none)."""
    verified = Organisation.objects.filter(status=OrganisationStatus.VERIFIED).order_by("pk")
    existing = {o.country.code: o for o in verified}
    missing = [c for c in COUNTRIES if c not in existing]
    Organisation.objects.bulk_create([
        Organisation(name=f"Survivors' Support Network {code}", country=code,
                     registration_number=f"DEMO-{code}-{i:03d}", year_founded=2000 + i % 15,
                     psea_declaration=True, status=OrganisationStatus.VERIFIED)
        for i, code in enumerate(missing)])
    return existing | {o.country.code: o for o in verified.filter(
        registration_number__startswith="DEMO-")}


def _call_history(call, count, codes, start, orgs, secretariat) -> int:
    apps = Application.objects.bulk_create([
        Application(call=call, organisation=orgs[codes[i % len(codes)]],
                    title=f"Assistance to survivors of trafficking, project {call.number}.{i + 1}",
                    summary="Identification, shelter, legal aid and reintegration.",
                    countries=[codes[i % len(codes)]], requested_usd=_amount(i),
                    duration_months=18, start_date=start, services=list(SERVICES[:4]),
                    status=ApplicationStatus.APPROVED, submitted_at=call.closes_at,
                    reference=f"VTF{call.number}-H{i + 1:03d}")
        for i in range(count)])
    end = start + timedelta(days=547)
    grants = Grant.objects.bulk_create([
        Grant(application=app, call=call, sequence=FIRST_SEQUENCE + i,
              agreement_number=f"VTF-{call.number}-{FIRST_SEQUENCE + i:03d}",
              approved_usd=app.requested_usd, start_date=start, end_date=end,
              status=GrantStatus.CLOSED)
        for i, app in enumerate(apps)])
    _schedules(grants, start, end, secretariat)
    _reports(call.number, grants, start, end)
    _closures(grants, secretariat)
    return len(grants)


def _schedules(grants, start, end, secretariat) -> None:
    interim, final = start + timedelta(days=273), end + timedelta(days=60)
    ReportDue.objects.bulk_create(
        [ReportDue(grant=g, kind=ReportKind.INTERIM, number=1, due_date=interim)
         for g in grants]
        + [ReportDue(grant=g, kind=ReportKind.FINAL, number=1, due_date=final) for g in grants])
    tranches = Tranche.objects.bulk_create(
        [Tranche(grant=g, position=1, percent=Decimal("80"), amount_usd=_part(g),
                 condition=TrancheCondition.ON_SIGNATURE, planned_date=start) for g in grants]
        + [Tranche(grant=g, position=2, percent=Decimal("20"),
                   amount_usd=g.approved_usd - _part(g),
                   condition=TrancheCondition.AFTER_FINAL_REPORT, planned_date=final)
           for g in grants])
    AgreementSignature.objects.bulk_create([
        AgreementSignature(grant=g, signatory_name="Executive Director",
                           signatory_title="Executive Director",
                           signed_at=_utc(start - timedelta(days=20)),
                           countersigned_by=secretariat,
                           countersigned_at=_utc(start - timedelta(days=15)))
        for g in grants])
    BankDetails.objects.bulk_create([
        BankDetails(grant=g, account_holder=g.application.organisation.name,
                    account_number=f"DEMO{g.pk:010d}", bank_name="Demo Bank",
                    updated_by=secretariat, confirmed_by=secretariat,
                    confirmed_at=_utc(start - timedelta(days=15))) for g in grants])
    Disbursement.objects.bulk_create([
        Disbursement(grant=t.grant, tranche=t, amount_usd=t.amount_usd,
                     paid_on=start if t.position == 1 else final + timedelta(days=30),
                     reference=f"HIST-{t.grant.agreement_number}-{t.position}",
                     recorded_by=secretariat) for t in tranches])


def _part(grant) -> Decimal:
    return (grant.approved_usd * Decimal("0.8")).quantize(Decimal("0.01"))


def _reports(call_number, grants, start, end) -> None:
    dues = {(d.grant_id, d.kind): d for d in ReportDue.objects.filter(grant__in=grants)}
    reports = []
    for i, g in enumerate(grants):
        for kind in (ReportKind.INTERIM, ReportKind.FINAL):
            due = dues[(g.pk, kind)]
            reports.append(ProgressReport(
                grant=g, report_due=due, kind=kind, version=1, status=ReportStatus.ACCEPTED,
                achievements="Survivors identified, sheltered, assisted and referred.",
                victims_total=_victims(call_number, i, kind == ReportKind.FINAL),
                submitted_at=_utc(due.due_date - timedelta(days=5)),
                reviewed_at=_utc(due.due_date + timedelta(days=10))))
    reports = ProgressReport.objects.bulk_create(reports)
    indicators, lines = [], []
    for report in reports:
        total = report.victims_total
        counts = {k: int(total * share) for k, share in GROUPS.items()}
        counts["women"] += total - sum(counts.values())
        indicators += [Indicator(report=report, dimension="group", key=k, count=n)
                       for k, n in counts.items()]
        indicators += [Indicator(report=report, dimension="service", key=s,
                                 count=total if s in ("identification", "shelter")
                                 else total // 2) for s in SERVICES]
        if report.kind == ReportKind.FINAL:
            approved = report.grant.approved_usd
            lines += [ExpenditureLine(report=report, category="direct_assistance",
                                      approved_usd=_part(report.grant),
                                      spent_usd=_part(report.grant)),
                      ExpenditureLine(report=report, category="personnel",
                                      approved_usd=approved - _part(report.grant),
                                      spent_usd=approved - _part(report.grant))]
    Indicator.objects.bulk_create(indicators)
    ExpenditureLine.objects.bulk_create(lines)


def _closures(grants, secretariat) -> None:
    GrantClosure.objects.bulk_create([
        GrantClosure(grant=g, paid_usd=g.approved_usd, spent_usd=g.approved_usd,
                     unspent_usd=Decimal("0.00"), treatment=UnspentTreatment.NONE,
                     closed_by=secretariat) for g in grants])
