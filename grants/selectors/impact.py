"""The fund's impact and its public money flows: the one source of the impact pages, the
fund summary (``donors.selectors.reports``) and the IATI file (``donors.iati``), so that
their figures agree.

Choices:
- A project is an approved application whose grant (if any) was not cancelled. It runs from
  its grant's start to its grant's end (without a grant: from the application's date for its
  planned duration, 12 months if none). It is *active* in every calendar year it overlaps
  and counts *since creation* from the year it starts.
- Victims assisted count in the year the accepted report was submitted (UTC), and by country
  in the project's first country of implementation (alphabetically).
- Disbursed in a year: what was paid to NGOs that year, less the unspent funds refunded to
  the fund that year (IATI reports a refund as a negative disbursement), for every grant;
  refunded in a year: the refunds received that year (``Refund`` rows).
- A suspended grant is still a running project (it reports, it will resume); a terminated
  one runs until the day of its termination and no longer counts as running.
Each figure is one aggregate query, whatever the number of grants and reports.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from grants.models import (
    Application,
    ApplicationStatus,
    Disbursement,
    Grant,
    GrantStatus,
    Indicator,
    IndicatorDimension,
    ProgressReport,
    ReportStatus,
)
from grants.models import Refund as RefundRow

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
VICTIMS_MARK = 3500
RUNNING = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED, GrantStatus.CLOSING)


def countries_of(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(c) for c in value if c]
    return [c for c in str(value or "").split(",") if c]


def cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


# --- projects ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    countries: tuple[str, ...]
    first_day: date
    last_day: date

    def active_in(self, year: int) -> bool:
        return self.first_day.year <= year <= self.last_day.year


def _approved():
    return (Application.objects.filter(status=ApplicationStatus.APPROVED)
            .exclude(grant__status=GrantStatus.CANCELLED))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def projects() -> list[Project]:
    """Every project with its countries and the days it runs (one query)."""
    rows = _approved().annotate(
        first=Coalesce("grant__start_date", TruncDate("submitted_at", tzinfo=UTC),
                       TruncDate("created_at", tzinfo=UTC))).order_by().values_list(
        "countries", "first", "grant__end_date", "duration_months", "grant__terminated_at")
    found = []
    for countries, first, last, months, terminated in rows:
        last = last or _add_months(first, months or 12) - timedelta(days=1)
        if terminated is not None:
            last = min(last, terminated.astimezone(UTC).date())
        found.append(Project(tuple(countries_of(countries)), first, max(first, last)))
    return found


def projects_and_countries(year: int | None = None) -> tuple[int, list[str]]:
    """Projects started by the end of ``year`` (all of them without), and their countries."""
    chosen = [p for p in projects() if year is None or p.first_day.year <= year]
    return len(chosen), sorted({c for p in chosen for c in p.countries})


# --- money -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Refund:
    grant_id: int
    received_on: date
    amount_usd: Decimal


def refunds() -> list[Refund]:
    """Unspent funds returned to the fund, as recorded (``grants.services.refunds``; a
    closure "refunded to the fund" records one too), in the order received (one query)."""
    rows = (RefundRow.objects.order_by("received_on", "pk")
            .values_list("grant_id", "received_on", "amount_usd"))
    return [Refund(grant_id, received_on, amount) for grant_id, received_on, amount in rows]


def paid_by_year() -> dict[int, Decimal]:
    rows = (Disbursement.objects.annotate(y=ExtractYear("paid_on")).order_by().values("y")
            .annotate(t=Sum("amount_usd")).values_list("y", "t"))
    return {y: cents(t) for y, t in rows}


def refunded_by_year() -> dict[int, Decimal]:
    rows = (RefundRow.objects.annotate(y=ExtractYear("received_on")).order_by().values("y")
            .annotate(t=Sum("amount_usd")).values_list("y", "t"))
    return {y: cents(t) for y, t in rows}



def _net(paid: dict[int, Decimal], back: dict[int, Decimal]) -> dict[int, Decimal]:
    return {y: cents(paid.get(y, ZERO) - back.get(y, ZERO)) for y in sorted({*paid, *back})}


def disbursed_by_year() -> dict[int, Decimal]:
    """Paid less refunded, per calendar year."""
    return _net(paid_by_year(), refunded_by_year())


@dataclass(frozen=True)
class CallMoney:
    """What the grants of one call commit and what was disbursed on them, net of refunds."""

    call_number: int
    committed_usd: Decimal
    disbursed_usd: Decimal


def money_by_call() -> list[CallMoney]:
    """Committed (approved and not cancelled; a terminated grant commits what was paid on
    it, as ``board.committed_to_grants_usd``) against disbursed (paid less refunded), per
    call with grants, oldest call first (three queries)."""
    closed = (GrantStatus.CANCELLED, GrantStatus.TERMINATED)
    committed = dict(Grant.objects.order_by().values("call__number").annotate(
        t=Sum("approved_usd", filter=~Q(status__in=closed))).values_list("call__number", "t"))
    paid, ended = {}, {}
    for number, total, terminated in (
            Disbursement.objects.order_by().values("grant__call__number").annotate(
                t=Sum("amount_usd"),
                e=Sum("amount_usd", filter=Q(grant__status=GrantStatus.TERMINATED)))
            .values_list("grant__call__number", "t", "e")):
        paid[number], ended[number] = total, terminated
    back = dict(RefundRow.objects.order_by().values("grant__call__number")
                .annotate(t=Sum("amount_usd")).values_list("grant__call__number", "t"))
    return [CallMoney(n, cents((committed.get(n) or ZERO) + (ended.get(n) or ZERO)),
                      cents((paid.get(n) or ZERO) - (back.get(n) or ZERO)))
            for n in sorted(committed)]


# --- victims -----------------------------------------------------------------------------

def _accepted():
    return ProgressReport.objects.filter(status=ReportStatus.ACCEPTED)


def victims_by_year() -> dict[int, int]:
    rows = (_accepted().annotate(y=ExtractYear("submitted_at", tzinfo=UTC)).order_by()
            .values("y").annotate(n=Sum("victims_total")).values_list("y", "n"))
    return dict(sorted(rows))


def indicators(dimension: str, year: int | None = None) -> dict[str, int]:
    qs = Indicator.objects.filter(report__status=ReportStatus.ACCEPTED, dimension=dimension)
    if year:
        qs = qs.annotate(y=ExtractYear("report__submitted_at", tzinfo=UTC)).filter(y=year)
    rows = qs.order_by().values("key").annotate(n=Sum("count")).values_list("key", "n")
    return dict(rows)


def victims_by_country() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    rows = (_accepted().order_by().values("grant__application__countries")
            .annotate(n=Sum("victims_total")).values_list("grant__application__countries", "n"))
    for countries, victims in rows:
        codes = countries_of(countries)
        totals[codes[0] if codes else "—"] += victims
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def running_projects() -> tuple[int, int]:
    """(projects whose grant is running now, their countries)."""
    codes: set[str] = set()
    count = 0
    for countries, n in (Application.objects.filter(grant__status__in=RUNNING).order_by()
                         .values("countries").annotate(n=Count("pk"))
                         .values_list("countries", "n")):
        count += n
        codes.update(countries_of(countries))
    return count, len(codes)


# --- one year, or since creation ----------------------------------------------------------

@dataclass
class Figures:
    """What the fund did in a year, or since its creation up to a year's end."""

    projects: int = 0
    country_codes: list[str] = field(default_factory=list)
    disbursed_usd: Decimal = ZERO
    victims_assisted: int = 0
    refunded_usd: Decimal = ZERO

    @property
    def countries(self) -> int:
        return len(self.country_codes)


@dataclass
class Ledger:
    """Projects, money and victims loaded once (four queries), read by year."""

    projects: list[Project]
    disbursed: dict[int, Decimal]
    victims: dict[int, int]
    refunded: dict[int, Decimal] = field(default_factory=dict)

    def in_year(self, year: int) -> Figures:
        """That year alone: projects active in it, money moved and victims reported in it."""
        active = [p for p in self.projects if p.active_in(year)]
        return Figures(len(active), sorted({c for p in active for c in p.countries}),
                       self.disbursed.get(year, ZERO), self.victims.get(year, 0),
                       self.refunded.get(year, ZERO))

    def through(self, year: int | None = None) -> Figures:
        """Since the fund's creation up to the end of ``year`` (everything without)."""
        started = [p for p in self.projects if year is None or p.first_day.year <= year]
        return Figures(
            len(started), sorted({c for p in started for c in p.countries}),
            cents(sum((v for y, v in self.disbursed.items() if year is None or y <= year),
                      ZERO)),
            sum(n for y, n in self.victims.items() if year is None or y <= year),
            cents(sum((v for y, v in self.refunded.items() if year is None or y <= year),
                      ZERO)))

    @property
    def first_year(self) -> int | None:
        years = [*self.disbursed, *self.victims, *(p.first_day.year for p in self.projects)]
        return min(years) if years else None

    def years(self, until: int | None = None) -> list[int]:
        """Every year from the first project, payment or report to ``until`` (this year)."""
        first = self.first_year
        if first is None:
            return []
        last = max([until or timezone.localdate().year, *self.disbursed, *self.victims])
        return list(range(first, last + 1))


def ledger() -> Ledger:
    paid, back = paid_by_year(), refunded_by_year()
    return Ledger(projects(), _net(paid, back), victims_by_year(), back)


def year_figures(year: int) -> tuple[Figures, Figures]:
    """(that year alone, since creation to its end): the fund summary's figures."""
    book = ledger()
    return book.in_year(year), book.through(year)


# --- the impact dashboard ------------------------------------------------------------------

@dataclass
class Impact:
    victims_per_year: dict[int, int]
    disbursed_per_year: dict[int, Decimal]
    per_year: list[tuple[int, Figures]]
    by_group: dict[str, int]
    by_service: dict[str, int]
    by_country: dict[str, int]
    active_projects: int
    active_countries: int
    projects: int
    countries: int
    disbursed_usd: Decimal
    victims_assisted: int
    first_year: int | None = None
    mark: int = VICTIMS_MARK


def impact() -> Impact:
    book = ledger()
    total = book.through()
    active, active_countries = running_projects()
    return Impact(
        victims_per_year=book.victims, disbursed_per_year=book.disbursed,
        per_year=[(y, book.in_year(y)) for y in reversed(book.years())],
        by_group=indicators(IndicatorDimension.GROUP),
        by_service=indicators(IndicatorDimension.SERVICE), by_country=victims_by_country(),
        active_projects=active, active_countries=active_countries, projects=total.projects,
        countries=total.countries, disbursed_usd=total.disbursed_usd,
        victims_assisted=total.victims_assisted, first_year=book.first_year)


# --- the grants published as IATI activities ------------------------------------------------

def published_grants() -> list[Grant]:
    """Every grant but those cancelled before any payment, in call and sequence order, with
    what their IATI activity shows: application and organisation, signature, closure, the
    Board session that decided it, payments, and accepted reports with their indicators (a
    constant number of queries)."""
    paid = Disbursement.objects.filter(grant=OuterRef("pk"))
    reports = _accepted().prefetch_related("indicators").order_by("submitted_at", "pk")
    return list(
        Grant.objects.exclude(Q(status=GrantStatus.CANCELLED) & ~Exists(paid))
        .select_related("application__organisation", "call", "signature", "closure",
                        "agenda_item__session")
        .prefetch_related(
            Prefetch("disbursements", to_attr="payments",
                     queryset=Disbursement.objects.select_related("tranche").order_by(
                         "paid_on", "pk")),
            Prefetch("progress_reports", queryset=reports, to_attr="accepted_reports"))
        .order_by("call__number", "sequence", "pk"))
