"""The fund's impact, from grants, payments and accepted reports.

Choices: victims assisted count in the year the accepted report was submitted, and in the
project's first country of implementation (alphabetically); a project is an approved
application whose grant (if any) was not cancelled, counted from the grant's start (or the
application's date).
Every figure is one aggregate query, whatever the number of grants and reports.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from grants.models import (
    Application,
    ApplicationStatus,
    Disbursement,
    GrantStatus,
    Indicator,
    IndicatorDimension,
    ProgressReport,
    ReportStatus,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
VICTIMS_MARK = 3500
RUNNING = (GrantStatus.ACTIVE, GrantStatus.CLOSING)


def countries_of(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(c) for c in value if c]
    return [c for c in str(value or "").split(",") if c]


def _projects(year: int | None = None):
    qs = (Application.objects.filter(status=ApplicationStatus.APPROVED)
          .exclude(grant__status=GrantStatus.CANCELLED)
          .annotate(on=Coalesce("grant__start_date", "submitted_at__date", "created_at__date")))
    return qs.filter(on__year__lte=year) if year else qs


def projects_and_countries(year: int | None = None) -> tuple[int, list[str]]:
    return _count_by_countries(_projects(year))


def _count_by_countries(qs) -> tuple[int, list[str]]:
    """(rows, their distinct countries), grouped in the database by the countries value."""
    codes: set[str] = set()
    count = 0
    for countries, n in qs.order_by().values("countries").annotate(n=Count("pk")).values_list(
            "countries", "n"):
        count += n
        codes.update(countries_of(countries))
    return count, sorted(codes)


def outcomes_through(year: int) -> tuple[int, list[str], Decimal, int]:
    """(projects, countries, disbursed, victims assisted) since creation to ``year``'s end,
    in one query: each project row carries its own grant's payments and reported victims."""
    paid = (Disbursement.objects.filter(grant__application=OuterRef("pk"),
                                        paid_on__year__lte=year)
            .order_by().values("grant").annotate(t=Sum("amount_usd")).values("t"))
    victims = (_accepted(year).filter(grant__application=OuterRef("pk")).order_by()
               .values("grant").annotate(n=Sum("victims_total")).values("n"))
    rows = _projects(year).annotate(
        paid=Subquery(paid, output_field=MONEY),
        victims=Subquery(victims, output_field=IntegerField())).values_list(
        "countries", "paid", "victims")
    codes: set[str] = set()
    projects, disbursed, assisted = 0, ZERO, 0
    for countries, paid_usd, helped in rows:
        projects += 1
        codes.update(countries_of(countries))
        disbursed += paid_usd or ZERO
        assisted += helped or 0
    return projects, sorted(codes), disbursed, assisted


def _accepted(year: int | None = None):
    qs = ProgressReport.objects.filter(status=ReportStatus.ACCEPTED)
    return qs.filter(submitted_at__year__lte=year) if year else qs


def victims_through(year: int | None = None) -> int:
    return _accepted(year).aggregate(n=Sum("victims_total"))["n"] or 0


def disbursed_through(year: int | None = None) -> Decimal:
    qs = Disbursement.objects.all()
    if year:
        qs = qs.filter(paid_on__year__lte=year)
    return qs.aggregate(t=Sum("amount_usd"))["t"] or ZERO


def victims_by_year() -> dict[int, int]:
    rows = (_accepted().annotate(y=ExtractYear("submitted_at")).order_by().values("y")
            .annotate(n=Sum("victims_total")).values_list("y", "n"))
    return dict(sorted(rows))


def disbursed_by_year() -> dict[int, Decimal]:
    rows = (Disbursement.objects.annotate(y=ExtractYear("paid_on")).order_by().values("y")
            .annotate(t=Sum("amount_usd")).values_list("y", "t"))
    return dict(sorted(rows))


def indicators(dimension: str, year: int | None = None) -> dict[str, int]:
    qs = Indicator.objects.filter(report__status=ReportStatus.ACCEPTED, dimension=dimension)
    if year:
        qs = qs.filter(report__submitted_at__year=year)
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
    """(active projects, their countries)."""
    count, codes = _count_by_countries(Application.objects.filter(grant__status__in=RUNNING))
    return count, len(codes)


@dataclass
class Impact:
    victims_per_year: dict[int, int]
    disbursed_per_year: dict[int, Decimal]
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
    projects, codes = projects_and_countries()
    per_year = victims_by_year()
    disbursed = disbursed_by_year()
    active, active_countries = running_projects()
    years = [*per_year, *disbursed]
    return Impact(
        victims_per_year=per_year, disbursed_per_year=disbursed,
        by_group=indicators(IndicatorDimension.GROUP),
        by_service=indicators(IndicatorDimension.SERVICE), by_country=victims_by_country(),
        active_projects=active, active_countries=active_countries, projects=projects,
        countries=len(codes), disbursed_usd=sum(disbursed.values(), ZERO),
        victims_assisted=sum(per_year.values()), first_year=min(years) if years else None)
