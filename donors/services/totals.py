"""The materialised totals per donor: per calendar year (``DonorYearTotal``) and since
creation (``DonorTotal``, with the first year the donor gave).

``totals_add`` runs inside the transaction that records contributions (one, or an import's
thousands), so a report never sees a contribution without its total or the reverse. It
adds with multi-row ``INSERT … ON CONFLICT DO UPDATE`` statements (500 keys each), yearly
totals then totals since creation, each in key order, so that two imports touching the
same donors wait for each other instead of deadlocking; the statements are the same on
PostgreSQL and SQLite.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Min, Sum
from django.db.models.functions import ExtractYear

from donors.models import Contribution, DonorTotal, DonorYearTotal

ZERO = Decimal("0.00")


def _sums(contributions: Iterable[Contribution]) -> list[tuple[int, int, Decimal, int]]:
    sums: dict[tuple[int, int], list] = defaultdict(lambda: [ZERO, 0])
    for c in contributions:
        entry = sums[(c.donor_id, c.received_on.year)]
        entry[0] += c.amount_usd
        entry[1] += 1
    return [(donor, year, total, n) for (donor, year), (total, n) in sorted(sums.items())]


def totals_add(contributions: Iterable[Contribution]) -> None:
    """Add newly recorded contributions to their donors' totals, yearly and since creation
    (call it in the transaction that records them)."""
    rows = _sums(contributions)
    if not rows:
        return
    per_donor: dict[int, list] = {}
    for donor, year, total, n in rows:
        entry = per_donor.setdefault(donor, [ZERO, 0, year])
        entry[0] += total
        entry[1] += n
        entry[2] = min(entry[2], year)
    yearly = connection.ops.quote_name(DonorYearTotal._meta.db_table)
    overall = connection.ops.quote_name(DonorTotal._meta.db_table)
    _upsert(f"INSERT INTO {yearly} (donor_id, year, amount_usd, contributions) VALUES ",
            f" ON CONFLICT (donor_id, year) DO UPDATE SET "
            f"amount_usd = {yearly}.amount_usd + excluded.amount_usd, "
            f"contributions = {yearly}.contributions + excluded.contributions", rows)
    _upsert(f"INSERT INTO {overall} (donor_id, amount_usd, contributions, first_year) VALUES ",
            f" ON CONFLICT (donor_id) DO UPDATE SET "
            f"amount_usd = {overall}.amount_usd + excluded.amount_usd, "
            f"contributions = {overall}.contributions + excluded.contributions, "
            f"first_year = CASE WHEN excluded.first_year < {overall}.first_year "
            f"THEN excluded.first_year ELSE {overall}.first_year END",
            [(donor, *entry) for donor, entry in sorted(per_donor.items())])


def _upsert(head: str, tail: str, rows: list[tuple], chunk: int = 500) -> None:
    """One multi-row ``INSERT … ON CONFLICT`` per ``chunk`` rows (in the rows' order)."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
            cursor.execute(head + values + tail,  # noqa: S608 - table names, placeholders
                           [value for row in part for value in row])


def _from_rows():
    return (Contribution.objects.annotate(y=ExtractYear("received_on")).values("donor", "y")
            .annotate(total=Sum("amount_usd"), n=Count("id")).order_by()
            .values_list("donor", "y", "total", "n"))


@transaction.atomic
def totals_rebuild() -> int:
    """Recompute every total from the contributions; the number of (donor, year) rows."""
    DonorYearTotal.objects.all().delete()
    DonorTotal.objects.all().delete()
    created = DonorYearTotal.objects.bulk_create(
        [DonorYearTotal(donor_id=donor, year=year, amount_usd=total, contributions=n)
         for donor, year, total, n in _from_rows()], batch_size=5000)
    DonorTotal.objects.bulk_create(
        [DonorTotal(donor_id=donor, amount_usd=total, contributions=n, first_year=first)
         for donor, total, n, first in _overall_from_years()], batch_size=5000)
    return len(created)


def _overall_from_years():
    return (DonorYearTotal.objects.values("donor")
            .annotate(total=Sum("amount_usd"), n=Sum("contributions"), first=Min("year"))
            .order_by().values_list("donor", "total", "n", "first"))


def totals_mismatches() -> list[tuple[int, int | None]]:
    """Where the stored totals differ from the sums of the rows: ``(donor, year)`` for a
    yearly total, ``(donor, None)`` for a total since creation."""
    actual = {(d, y): (Decimal(t).quantize(ZERO), n) for d, y, t, n in _from_rows()}
    stored = {(d, y): (t, n) for d, y, t, n in DonorYearTotal.objects.values_list(
        "donor", "year", "amount_usd", "contributions")}
    wrong = [k for k in actual.keys() | stored.keys() if actual.get(k) != stored.get(k)]
    overall: dict[int, list] = {}
    for (donor, year), (total, n) in actual.items():
        entry = overall.setdefault(donor, [ZERO, 0, year])
        entry[0], entry[1], entry[2] = entry[0] + total, entry[1] + n, min(entry[2], year)
    kept = {d: [t, n, y] for d, t, n, y in DonorTotal.objects.values_list(
        "donor", "amount_usd", "contributions", "first_year")}
    wrong += [(d, None) for d in overall.keys() | kept.keys() if overall.get(d) != kept.get(d)]
    return sorted(wrong, key=lambda k: (k[0], k[1] or 0))
