"""The materialised yearly totals per donor (``donors.models.DonorYearTotal``).

``totals_add`` runs inside the transaction that records contributions (one, or an import's
thousands), so a report never sees a contribution without its total or the reverse. It
adds with one ``INSERT … ON CONFLICT DO UPDATE`` per (donor, year), in key order so that two
imports touching the same donors wait for each other instead of deadlocking; the statement
is the same on PostgreSQL and SQLite.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from donors.models import Contribution, DonorYearTotal

ZERO = Decimal("0.00")


def _sums(contributions: Iterable[Contribution]) -> list[tuple[int, int, Decimal, int]]:
    sums: dict[tuple[int, int], list] = defaultdict(lambda: [ZERO, 0])
    for c in contributions:
        entry = sums[(c.donor_id, c.received_on.year)]
        entry[0] += c.amount_usd
        entry[1] += 1
    return [(donor, year, total, n) for (donor, year), (total, n) in sorted(sums.items())]


def totals_add(contributions: Iterable[Contribution]) -> None:
    """Add newly recorded contributions to their donors' yearly totals (same transaction)."""
    rows = _sums(contributions)
    if not rows:
        return
    table = connection.ops.quote_name(DonorYearTotal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (donor_id, year, amount_usd, contributions) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (donor_id, year) DO UPDATE SET "
            f"amount_usd = {table}.amount_usd + excluded.amount_usd, "
            f"contributions = {table}.contributions + excluded.contributions", rows)


def _from_rows():
    return (Contribution.objects.annotate(y=ExtractYear("received_on")).values("donor", "y")
            .annotate(total=Sum("amount_usd"), n=Count("id")).order_by()
            .values_list("donor", "y", "total", "n"))


@transaction.atomic
def totals_rebuild() -> int:
    """Recompute every total from the contributions; the number of (donor, year) rows."""
    DonorYearTotal.objects.all().delete()
    created = DonorYearTotal.objects.bulk_create(
        [DonorYearTotal(donor_id=donor, year=year, amount_usd=total, contributions=n)
         for donor, year, total, n in _from_rows()], batch_size=5000)
    return len(created)


def totals_mismatches() -> list[tuple[int, int]]:
    """The (donor, year) pairs whose stored total differs from the sum of the rows."""
    actual = {(d, y): (Decimal(t).quantize(ZERO), n) for d, y, t, n in _from_rows()}
    stored = {(d, y): (t, n) for d, y, t, n in DonorYearTotal.objects.values_list(
        "donor", "year", "amount_usd", "contributions")}
    return sorted(k for k in actual.keys() | stored.keys() if actual.get(k) != stored.get(k))
