"""Exchange rates: the rate that fills in by default for a currency on a day."""

import bisect
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from donors.models import ExchangeRate

RATE_MAX_AGE_DAYS = 31  # UN operational rates are monthly: an older rate is a missing one


def _oldest_usable(day: date) -> date:
    """A month before ``day``, or the first day there is (a mistyped year 1 must not crash)."""
    return day - min(timedelta(days=RATE_MAX_AGE_DAYS), day - date.min)


def rate_on(currency: str, day: date) -> ExchangeRate | None:
    """The latest rate for ``currency`` dated on or before ``day``, at most a month old."""
    return (ExchangeRate.objects
            .filter(currency=currency, valid_on__lte=day, valid_on__gte=_oldest_usable(day))
            .order_by("-valid_on").first())


def latest_rates() -> dict[str, Decimal]:
    """The most recent rate of every currency (for indicative values of open pledges)."""
    rates: dict[str, Decimal] = {"USD": Decimal(1)}
    rows = (ExchangeRate.objects.order_by("currency", "-valid_on")
            .values_list("currency", "rate"))
    for currency, rate in rows:
        rates.setdefault(currency, rate)
    return rates


def exchange_rate_list(*, currency: str | None = None) -> QuerySet[ExchangeRate]:
    qs = ExchangeRate.objects.select_related("created_by").order_by("-valid_on", "currency")
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs


class RateBook:
    """Every rate of some currencies in memory, for imports of many rows (one query)."""

    def __init__(self, currencies, start: date, end: date):
        self._days: dict[str, list[date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        rows = (ExchangeRate.objects
                .filter(currency__in=list(currencies),
                        valid_on__gte=_oldest_usable(start),
                        valid_on__lte=end)
                .order_by("currency", "valid_on").values_list("currency", "valid_on", "rate"))
        for currency, valid_on, rate in rows:
            self._days.setdefault(currency, []).append(valid_on)
            self._rates.setdefault(currency, []).append(rate)

    def rate_on(self, currency: str, day: date) -> Decimal | None:
        days = self._days.get(currency)
        if not days:
            return None
        i = bisect.bisect_right(days, day) - 1
        if i < 0 or (day - days[i]).days > RATE_MAX_AGE_DAYS:
            return None
        return self._rates[currency][i]
