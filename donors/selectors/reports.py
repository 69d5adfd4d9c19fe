"""Fund-wide figures: targets, income per year and per donor type, donors, pledges, and
where the money went. Income is read from ``DonorYearTotal`` (one row per donor and year,
kept current in the transaction that records each contribution), so the cost follows the
number of years and donors, not of contributions: over 1,000,000 contributions from 5,000
donors the reports sum about 80,000 rows.

"Where the money went" (projects, countries, disbursed, victims assisted) comes from the
grants side through ``grants.selectors.impact``, the source the impact pages and the IATI
file read too, so the three agree. A year's figures are for that year alone; the
``cumulative_…`` ones run from the fund's creation to the end of the year.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, Q, Sum, When
from django.db.models.functions import Least, Round
from django.utils import timezone

from donors.models import (
    DEFAULT_TARGET_USD,
    AnnualTarget,
    DonorTotal,
    DonorYearTotal,
    DonorType,
    Pledge,
    PledgeStatus,
    public_name,
)
from donors.money import to_usd

from .rates import latest_rates

ZERO = Decimal("0.00")
FIRST_YEAR = 2010


def percent(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def target_for(year: int) -> Decimal:
    found = AnnualTarget.objects.filter(year=year).values_list("amount_usd", flat=True).first()
    return found if found is not None else DEFAULT_TARGET_USD


def targets_by_year(years) -> dict[int, Decimal]:
    set_ = dict(AnnualTarget.objects.filter(year__in=list(years))
                .values_list("year", "amount_usd"))
    return {y: set_.get(y, DEFAULT_TARGET_USD) for y in years}


def received_in(year: int) -> Decimal:
    total = DonorYearTotal.objects.filter(year=year).aggregate(s=Sum("amount_usd"))["s"]
    return total or ZERO


def cumulative_through(year: int) -> Decimal:
    total = DonorYearTotal.objects.filter(year__lte=year).aggregate(s=Sum("amount_usd"))["s"]
    return total or ZERO


# --- by donor type ---------------------------------------------------------------------

@dataclass
class TypeRow:
    donor_type: str
    label: str
    received: Decimal = ZERO
    donors: int = 0
    share: Decimal = ZERO


def _type_rows(totals: dict[str, Decimal], counts: dict[str, int]) -> list[TypeRow]:
    grand = sum(totals.values(), ZERO)
    return [TypeRow(t.value, str(t.label), totals.get(t.value, ZERO), counts.get(t.value, 0),
                    percent(totals.get(t.value, ZERO), grand)) for t in DonorType]


def types_in_year(year: int) -> list[TypeRow]:
    """Income and number of distinct donors of each type in ``year`` (one query; a donor
    has one total per year)."""
    rows = (DonorYearTotal.objects.filter(year=year).values("donor__donor_type")
            .annotate(total=Sum("amount_usd"), donors=Count("donor")).order_by())
    totals = {r["donor__donor_type"]: r["total"] for r in rows}
    counts = {r["donor__donor_type"]: r["donors"] for r in rows}
    return _type_rows(totals, counts)


@dataclass
class LargestDonor:
    donor_id: int
    name: str
    donor_type: str
    type_label: str
    total: Decimal


@dataclass
class DonorTotals:
    """Income since creation by type of donor, and the largest donors."""

    types: list[TypeRow] = field(default_factory=list)
    largest: list[LargestDonor] = field(default_factory=list)

    def top(self, limit: int = 10) -> list[LargestDonor]:
        return self.largest[:limit]


def donor_totals(limit: int = 10) -> DonorTotals:
    """Two queries on the totals since creation (one row per donor): the sums by type of
    donor with how many donors of each gave, and the ``limit`` largest donors."""
    rows = (DonorTotal.objects.values("donor__donor_type")
            .annotate(total=Sum("amount_usd"), donors=Count("donor")).order_by())
    totals = {r["donor__donor_type"]: r["total"] for r in rows}
    counts = {r["donor__donor_type"]: r["donors"] for r in rows}
    largest = [
        LargestDonor(t.donor_id, public_name(t.donor.name, t.donor.anonymous,
                                             donor_type=t.donor.donor_type,
                                             country=t.donor.country),
                     t.donor.donor_type, str(DonorType(t.donor.donor_type).label), t.amount_usd)
        for t in DonorTotal.objects.select_related("donor").order_by("-amount_usd", "donor")
        .only("amount_usd", "donor__name", "donor__anonymous", "donor__donor_type",
              "donor__country")[:limit]]
    return DonorTotals(_type_rows(totals, counts), largest)


def donor_counts_since_creation(year: int | None = None) -> dict[str, int]:
    """Donors of each type who gave at least once (up to the end of ``year``)."""
    gave = DonorTotal.objects.all() if year is None else DonorTotal.objects.filter(
        first_year__lte=year)
    rows = gave.values("donor__donor_type").annotate(n=Count("donor")).order_by()
    counts = {t.value: 0 for t in DonorType}
    counts.update({r["donor__donor_type"]: r["n"] for r in rows})
    return counts


# --- per year ----------------------------------------------------------------------------

@dataclass
class YearRow:
    year: int
    target: Decimal
    received: Decimal = ZERO
    pledged: Decimal = ZERO
    cumulative: Decimal = ZERO

    @property
    def percent(self) -> Decimal:
        return percent(self.received, self.target)

    @property
    def reached(self) -> bool:
        return self.received >= self.target


def _received_by_year() -> dict[int, Decimal]:
    rows = (DonorYearTotal.objects.values("year").annotate(total=Sum("amount_usd"))
            .order_by().values_list("year", "total"))
    return dict(rows)


def _pledged_by_year() -> dict[int, Decimal]:
    """Indicative USD of pledges, spread evenly over the years they cover; a cancelled
    pledge counts for what was paid of it. Each pledge's yearly share is rounded to the cent
    on its own (half up): on PostgreSQL by the database, which sums the shares by span of
    years (its ``round`` on numeric is half up too), elsewhere by Python, row by row."""
    if connection.vendor == "postgresql":
        return _pledged_in_sql()
    return _pledged_in_python()


_USD = DecimalField(max_digits=20, decimal_places=2)


def _pledged_in_sql() -> dict[int, Decimal]:
    pledged: dict[int, Decimal] = defaultdict(lambda: ZERO)
    value = Case(When(status=PledgeStatus.CANCELLED, then=Round(
        Least(F("paid_amount"), F("amount")) * F("exchange_rate"), 2)),
        default=F("amount_usd"), output_field=_USD)
    share = Round(value / (F("year_to") - F("year_from") + 1), 2, output_field=_USD)
    for year_from, year_to, total in (Pledge.objects.order_by().values("year_from", "year_to")
                                      .annotate(total=Sum(share))
                                      .values_list("year_from", "year_to", "total")):
        for y in range(year_from, year_to + 1):
            pledged[y] += total
    return pledged


def _pledged_in_python() -> dict[int, Decimal]:
    pledged: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = Pledge.objects.order_by().values_list("year_from", "year_to", "amount_usd",
                                                 "amount", "paid_amount", "exchange_rate",
                                                 "status")
    for year_from, year_to, amount_usd, amount, paid, rate, status in rows:
        value = to_usd(min(paid, amount), rate) if status == PledgeStatus.CANCELLED \
            else amount_usd
        years = year_to - year_from + 1
        share = (value / years).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for y in range(year_from, year_to + 1):
            pledged[y] += share
    return pledged


def year_series(*, until: int | None = None) -> list[YearRow]:
    """One row per year from the fund's first income to ``until`` (default: this year)."""
    received = _received_by_year()
    pledged = _pledged_by_year()
    last = max([until or timezone.localdate().year, *received.keys()])
    seen = [*received, *pledged]
    first = min(max(FIRST_YEAR, min(seen)), last) if seen else last
    years = list(range(first, last + 1))
    targets = targets_by_year(years)
    rows, running = [], ZERO
    for y in years:
        running += received.get(y, ZERO)
        rows.append(YearRow(y, targets[y], received.get(y, ZERO), pledged.get(y, ZERO), running))
    return rows


# --- pledges: the forecast -------------------------------------------------------------

@dataclass
class Forecast:
    outstanding: Decimal
    pledges: int


def forecast(year: int) -> Forecast:
    """What open pledges expected in ``year`` would add, at the latest rates."""
    rates = latest_rates()
    rows = (Pledge.objects.filter(status__in=(PledgeStatus.OPEN, PledgeStatus.PARTLY_PAID))
            .filter(Q(expected_on__year=year) | Q(expected_on__isnull=True, year_to=year))
            .values_list("amount", "paid_amount", "currency", "exchange_rate"))
    total, count = ZERO, 0
    for amount, paid, currency, pledge_rate in rows:
        rest = amount - paid
        if rest > 0:
            total += to_usd(rest, rates.get(currency, pledge_rate))
            count += 1
    return Forecast(total, count)


# --- where the money went ----------------------------------------------------------------

@dataclass
class Outcomes:
    """Projects, countries, disbursed (net of refunds), victims assisted, and the refunds
    of unspent funds (already deducted from disbursed); ``paid_usd`` is what was paid to
    NGOs before refunds (disbursed + refunded), the figure pages show beside the two."""

    projects: int
    countries: int
    disbursed_usd: Decimal
    victims_assisted: int
    country_codes: list[str]
    refunded_usd: Decimal = ZERO

    @property
    def paid_usd(self) -> Decimal:
        return self.disbursed_usd + self.refunded_usd


def _outcomes(figures) -> Outcomes:
    return Outcomes(figures.projects, figures.countries, figures.disbursed_usd,
                    figures.victims_assisted, figures.country_codes, figures.refunded_usd)


def where_money_went(year: int) -> tuple[Outcomes, Outcomes]:
    """(``year`` alone, since creation to its end), from the grants' impact figures."""
    from grants.selectors import impact

    in_year, since = impact.year_figures(year)
    return _outcomes(in_year), _outcomes(since)


# --- the fund summary (API contract) ---------------------------------------------------

def money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"


def fund_summary(year: int) -> dict:
    """``/api/v1/reports/fund-summary/`` for ``year``: public figures only. Each figure is
    for that year alone; ``cumulative_…`` ones run from the creation to the year's end."""
    target = target_for(year)
    types = types_in_year(year)
    received = sum((t.received for t in types), ZERO)
    in_year, since_creation = where_money_went(year)
    coming = forecast(year)
    counts = {t.donor_type: t.donors for t in types}
    since = donor_counts_since_creation(year)
    return {
        "year": year,
        "currency": "USD",
        "target_usd": money(target),
        "received_usd": money(received),
        "percent_of_target": money(percent(received, target)),
        "by_donor_type": {t.donor_type: money(t.received) for t in types},
        "donor_counts": counts | {"total": sum(counts.values())},
        "outstanding_pledges_usd": money(coming.outstanding),
        "forecast_usd": money(received + coming.outstanding),
        "disbursed_usd": money(in_year.disbursed_usd),
        "refunded_usd": money(in_year.refunded_usd),
        "paid_usd": money(in_year.paid_usd),
        "projects": in_year.projects,
        "countries": in_year.countries,
        "victims_assisted": in_year.victims_assisted,
        "cumulative_received_usd": money(cumulative_through(year)),
        "cumulative_donor_counts": since | {"total": sum(since.values())},
        "cumulative_disbursed_usd": money(since_creation.disbursed_usd),
        "cumulative_refunded_usd": money(since_creation.refunded_usd),
        "cumulative_paid_usd": money(since_creation.paid_usd),
        "cumulative_projects": since_creation.projects,
        "cumulative_countries": since_creation.countries,
        "cumulative_victims_assisted": since_creation.victims_assisted,
    }
