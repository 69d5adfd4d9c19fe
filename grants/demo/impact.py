"""Demo stage: the fund's history of grants (calls 1-6), paid, reported and closed.

Consistent with the Secretary-General's report: about 150 projects (147) in 69 countries
since 2011 and USD 6.7 million paid; the 6th call (2021-2022) committed its USD 1,000,000
to 24 projects in 19 countries, paid, reported on and closed in 2021-2022; more than 3,500
victims assisted in each of its years. Every date is the one the app would have recorded:
signed and countersigned before the start, 80 % paid on the start date, the interim report
at mid-period, the final report two months after the end, the last 20 % and the closure
soon after it (``Timeline``), so every year from 2011 to 2022 has payments and the IATI
file shows no activity dated after today. Only verified organisations hold grants. Call 7
is left to the Board's demo. Rows are written with ``bulk_create``; the stage does nothing
when the history is already there (its applications have references ``VTF1-H001``...).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from fundapp.accounts.models import User
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
from grants.selectors.impact import countries_of
from grants.services.awards import add_months, report_schedule, split_amounts

# call number -> (new projects, first country index, distinct countries, first grant's start,
# months). Calls 1-5 run 18 months, their grants starting over half a year as agreements are
# signed (every two months); the 6th call's run the year from July 2021 ("projects for
# 2021-2022"), so they are paid, reported and closed in 2021-2022.
PLAN = {
    1: (18, 0, 18, date(2011, 9, 1), 18),
    2: (22, 14, 22, date(2013, 3, 1), 18),
    3: (25, 30, 25, date(2014, 12, 1), 18),
    4: (28, 45, 24, date(2016, 9, 1), 18),
    5: (30, 10, 30, date(2019, 3, 1), 18),
    6: (22, 0, 19, date(2021, 7, 1), 12),  # with those already in call 6: 24 projects, 19 countries
}
STAGGER_MONTHS, STAGGER_STEPS = 2, 4
DECIDED_AFTER = timedelta(days=60)  # the Board's decision, after the call's deadline
CLOSED_WITHIN_MONTHS = 6  # a grant is paid and closed within 6 months of its end
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
    """Victims assisted in a report's period. The 6th call's 24 grants report about as many
    in their interim report (2021) as in their final one (2022): more than 3,500 each year."""
    if call == 6:
        return 165 if final else 160
    base = 70 + (i * 37) % 60
    return base if final else base // 3


@dataclass(frozen=True)
class Timeline:
    """When a historic grant was signed, reported on, paid and closed: the app's own
    schedule (interim report at mid-period, final report two months after the end, 80 %
    on signature, 20 % after the accepted final report), each step a little after the last."""

    start: date
    end: date

    @property
    def signed(self) -> date:
        return self.start - timedelta(days=20)

    @property
    def countersigned(self) -> date:
        return self.start - timedelta(days=10)

    def due(self, kind: str) -> date:
        return dict((k, d) for k, _n, d in report_schedule(self.start, self.end))[kind]

    def submitted(self, kind: str) -> date:
        return self.due(kind) - timedelta(days=5)

    def accepted(self, kind: str) -> date:
        return self.due(kind) + timedelta(days=10)

    def paid(self, position: int) -> date:
        """The first tranche on the start date, ten days after the countersignature; the
        last two weeks after the final report's acceptance."""
        if position == 1:
            return self.start
        return self.accepted(ReportKind.FINAL) + timedelta(days=14)

    @property
    def closed(self) -> date:
        return self.paid(2) + timedelta(days=7)


def _start(number: int, first: date, i: int) -> date:
    if number == 6:
        return first
    return add_months(first, STAGGER_MONTHS * (i % STAGGER_STEPS))


def _history_loaded() -> bool:
    return Application.objects.filter(reference__startswith="VTF1-H").exists()


@transaction.atomic
def impact_stage() -> dict:
    if _history_loaded():
        return {}
    secretariat = User.objects.get(username="secretariat")
    calls = {c.number: c for c in Call.objects.filter(number__in=PLAN)}
    used = _seeded_countries(calls[6])
    orgs = _organisations(used)
    made = 0
    for number, (count, first, distinct, start, months) in PLAN.items():
        if number == 6:
            distinct -= len(used)
        codes = [c for c in COUNTRIES[first:] + COUNTRIES[:first] if c not in used
                 or number != 6][:distinct]
        made += _call_history(calls[number], count, codes, start, months, orgs, secretariat)
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


def _amounts(call: Call, count: int) -> list[Decimal]:
    """What each new project asked for. The 6th call's projects share what its envelope
    leaves after the approvals already recorded, so that the call commits its USD 1,000,000
    (whole dollars, the last project taking the remainder), when that stays within the
    grant limits."""
    raw = [_amount(i) for i in range(count)]
    if call.number != 6:
        return raw
    taken = sum(call.applications.filter(status=ApplicationStatus.APPROVED).values_list(
        "requested_usd", flat=True), Decimal("0"))
    left = Decimal(call.envelope_usd) - taken
    scaled = [(a * left / sum(raw)).quantize(Decimal("1")) for a in raw[:-1]]
    scaled.append(left - sum(scaled, Decimal("0")))
    low, high = Decimal(call.min_grant_usd or 0), Decimal(call.max_grant_usd or left)
    if not all(low <= a <= high for a in scaled):
        return raw
    return [a.quantize(Decimal("0.01")) for a in scaled]


def _call_history(call, count, codes, start, months, orgs, secretariat) -> int:
    amounts = _amounts(call, count)
    apps = Application.objects.bulk_create([
        Application(call=call, organisation=orgs[codes[i % len(codes)]],
                    title=f"Assistance to survivors of trafficking, project {call.number}.{i + 1}",
                    summary="Identification, shelter, legal aid and reintegration.",
                    countries=[codes[i % len(codes)]], requested_usd=amounts[i],
                    duration_months=months, start_date=_start(call.number, start, i),
                    services=list(SERVICES[:4]), status=ApplicationStatus.APPROVED,
                    submitted_at=call.closes_at, reference=f"VTF{call.number}-H{i + 1:03d}")
        for i in range(count)])
    return len(closed_grants(call, apps, secretariat))


def closed_grants(call: Call, apps: list[Application], secretariat: User) -> list[Grant]:
    """Grants for approved applications of a past call, run and closed as they would have
    been: numbered after the call's grants, starting on the application's planned start
    date for its duration, signed, paid, reported on and closed on the dates of their
    ``Timeline``. Dates the models stamp themselves are set afterwards (``bulk_update``
    writes them as given)."""
    if not apps:
        return []
    last = Grant.objects.filter(call=call).order_by("-sequence").values_list(
        "sequence", flat=True).first() or 0
    decided = call.closes_at + DECIDED_AFTER
    grants = []
    for n, app in enumerate(apps, start=last + 1):
        start = app.start_date
        end = add_months(start, app.duration_months) - timedelta(days=1)
        grants.append(Grant(application=app, call=call, sequence=n,
                            agreement_number=f"VTF-{call.number}-{n:03d}",
                            approved_usd=app.requested_usd, start_date=start, end_date=end,
                            status=GrantStatus.CLOSED))
    grants = Grant.objects.bulk_create(grants)
    for grant in grants:
        grant.created_at = decided
    Grant.objects.bulk_update(grants, ["created_at"])
    for app in apps:
        app.created_at = call.closes_at - timedelta(days=20)
        app.updated_at = decided
    Application.objects.bulk_update(apps, ["created_at", "updated_at"])
    times = {g.pk: Timeline(g.start_date, g.end_date) for g in grants}
    _schedules(grants, times, secretariat)
    _reports(call.number, grants, times)
    _closures(grants, times, secretariat)
    return grants


def _schedules(grants, times, secretariat) -> None:
    ReportDue.objects.bulk_create([
        ReportDue(grant=g, kind=kind, number=number, due_date=due)
        for g in grants for kind, number, due in report_schedule(g.start_date, g.end_date)])
    tranches = Tranche.objects.bulk_create([
        Tranche(grant=g, position=position, percent=percent, amount_usd=amount,
                condition=condition, planned_date=planned)
        for g in grants
        for position, percent, amount, condition, planned in zip(
            (1, 2), (Decimal("80"), Decimal("20")),
            split_amounts(g.approved_usd, [Decimal("80"), Decimal("20")]),
            (TrancheCondition.ON_SIGNATURE, TrancheCondition.AFTER_FINAL_REPORT),
            (g.start_date, times[g.pk].due(ReportKind.FINAL)), strict=True)])
    AgreementSignature.objects.bulk_create([
        AgreementSignature(grant=g, signatory_name="Executive Director",
                           signatory_title="Executive Director",
                           signed_at=_utc(times[g.pk].signed),
                           countersigned_by=secretariat,
                           countersigned_at=_utc(times[g.pk].countersigned))
        for g in grants])
    details = BankDetails.objects.bulk_create([
        BankDetails(grant=g, account_holder=g.application.organisation.name,
                    account_number=f"DEMO{g.pk:010d}", bank_name="Demo Bank",
                    updated_by=secretariat, confirmed_by=secretariat,
                    confirmed_at=_utc(times[g.pk].countersigned)) for g in grants])
    for row in details:
        row.updated_at = row.confirmed_at
    BankDetails.objects.bulk_update(details, ["updated_at"])
    payments = Disbursement.objects.bulk_create([
        Disbursement(grant=t.grant, tranche=t, amount_usd=t.amount_usd,
                     paid_on=times[t.grant.pk].paid(t.position),
                     reference=f"HIST-{t.grant.agreement_number}-{t.position}",
                     recorded_by=secretariat) for t in tranches])
    for payment in payments:
        payment.recorded_at = _utc(payment.paid_on)
    Disbursement.objects.bulk_update(payments, ["recorded_at"])


def _part(grant) -> Decimal:
    return (grant.approved_usd * Decimal("0.8")).quantize(Decimal("0.01"))


def _reports(call_number, grants, times) -> None:
    dues = {(d.grant_id, d.kind): d for d in ReportDue.objects.filter(grant__in=grants)}
    reports = []
    for i, g in enumerate(grants):
        for kind in (ReportKind.INTERIM, ReportKind.FINAL):
            reports.append(ProgressReport(
                grant=g, report_due=dues[(g.pk, kind)], kind=kind, version=1,
                status=ReportStatus.ACCEPTED,
                achievements="Survivors identified, sheltered, assisted and referred.",
                victims_total=_victims(call_number, i, kind == ReportKind.FINAL),
                submitted_at=_utc(times[g.pk].submitted(kind)),
                reviewed_at=_utc(times[g.pk].accepted(kind))))
    reports = ProgressReport.objects.bulk_create(reports)
    for report in reports:
        report.created_at = report.submitted_at - timedelta(days=7)
    ProgressReport.objects.bulk_update(reports, ["created_at"])
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


def _closures(grants, times, secretariat) -> None:
    closures = GrantClosure.objects.bulk_create([
        GrantClosure(grant=g, paid_usd=g.approved_usd, spent_usd=g.approved_usd,
                     unspent_usd=Decimal("0.00"), treatment=UnspentTreatment.NONE,
                     closed_by=secretariat) for g in grants])
    for closure in closures:
        closure.closed_at = _utc(times[closure.grant.pk].closed)
    GrantClosure.objects.bulk_update(closures, ["closed_at"])
