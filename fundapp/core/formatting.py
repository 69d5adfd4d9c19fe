"""Money, numbers, dates and country names in the reader's language (issue 12).

One helper for templates (``{% load formatting %}``), Python (services' messages,
notifications, PDFs, charts) and the human-readable parts of exports, so that they all
agree. The locale is the Django language active when the text is made: a page in the
request's language, an e-mail in its recipient's (``fundapp.notifications.rendering``
activates it while rendering). Machine columns of CSV/XLSX exports and the API keep plain
decimals and ISO dates; they never come here.

Amounts are always shown with their ISO code, placed where the language puts a currency:
``USD 1,234,567.50`` in English, ``1 234 567,50 USD`` in French. Empty values are "—".
"""

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import core as babel_core
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext
from django.utils.dateparse import parse_date, parse_datetime

EMPTY = "—"

# Django language → CLDR locale. English is the UN's: day-month-year dates ("3 December
# 2026"), the 24-hour clock and British spelling, with the same digits as US English; so
# en_GB, not en (US: "Dec 3, 2026", "2:30 PM"). French is France's (the fund's French
# readers are mostly in francophone Africa, whose usage follows fr_FR rather than fr_CH's
# apostrophe grouping). The others follow Django's codes and are ready for issue 17.
LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar", "es": "es_ES", "ru": "ru_RU",
           "zh-hans": "zh_Hans_CN", "zh-hant": "zh_Hant_TW"}


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    code = LOCALES.get(language.lower(), language)
    try:
        return Locale.parse(code, sep="-" if "-" in code else "_")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(LOCALES.get(settings.LANGUAGE_CODE, "en_GB"))


def current_locale(locale: str | Locale | None = None) -> Locale:
    """The CLDR locale of ``locale`` (a Django language code) or of the active language."""
    if isinstance(locale, Locale):
        return locale
    return _locale(locale or translation.get_language() or settings.LANGUAGE_CODE)


def to_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, an int or text; None for empty or unreadable input.

    Text made by the old ``f"{x:,.2f}"`` (``1,234.50``, still in older notifications'
    data) reads too. Floats are refused: money never goes through one.
    """
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("formatting takes Decimal, int or text, never a float")
    if isinstance(value, Decimal | int):
        return Decimal(value)
    text = str(value).strip()
    for candidate in (text, text.replace(",", "")):
        try:
            number = Decimal(candidate)
        except InvalidOperation:
            continue
        return number if number.is_finite() else None
    return None


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _with_places(pattern: str, places: int) -> str:
    """The locale's pattern with exactly ``places`` decimals (its grouping kept)."""
    positive = pattern.split(";")[0]
    head, _, tail = positive.partition(".")
    if not tail:
        head, tail = positive.rstrip("%\xa0 ¤"), positive[len(positive.rstrip("%\xa0 ¤")):]
        return head + ("." + "0" * places if places else "") + tail
    digits = len(tail) - len(tail.lstrip("#0"))
    return head + ("." + "0" * places if places else "") + tail[digits:]


def currency_places(currency: str) -> int:
    """Decimals an amount in ``currency`` is shown with: Babel's (CLDR) minor units, at
    most the two places FundApp stores (JPY 0, EUR 2, KWD 2)."""
    return min(2, babel_numbers.get_currency_precision(currency))


def currency_name(code: str, *, locale=None) -> str:
    """``euro`` / ``Euro`` / ``дол. США``: the currency's name in the active language."""
    return babel_numbers.get_currency_name(code, locale=current_locale(locale))


def money(amount, currency: str = "USD", *, decimals: int | None = None, locale=None) -> str:
    """``USD 1,234,567.50`` / ``1 234 567,50 USD``; cents are never hidden.

    A currency shown without minor units (JPY, XOF…) is shown whole, unless the stored
    amount has cents, which are then shown. ``decimals`` rounds on purpose (a chart's
    ``USD 1,235``).
    """
    number = to_decimal(amount)
    if number is None:
        return EMPTY if amount in (None, "") else str(amount)
    currency = (currency or "USD").upper()
    loc = current_locale(locale)
    places = currency_places(currency) if decimals is None else decimals
    if decimals is None and number != round(number, places):
        places = 2
    pattern = _with_places(loc.currency_formats["standard"].pattern, places)
    pattern = pattern.replace("¤", "¤¤")
    if pattern.startswith("¤¤") and not pattern.startswith("¤¤\xa0"):
        pattern = "¤¤ " + pattern[2:]
    return babel_numbers.format_currency(number, currency, format=pattern, locale=loc,
                                         currency_digits=False)


def number(value, decimals: int | None = None, *, locale=None) -> str:
    """``1,234.5`` / ``1 234,5``; ``decimals`` None keeps the value's own places."""
    num = to_decimal(value)
    if num is None:
        return EMPTY if value in (None, "") else str(value)
    loc = current_locale(locale)
    places = _places(num) if decimals is None else decimals
    pattern = _with_places(loc.decimal_formats[None].pattern, places)
    return babel_numbers.format_decimal(num, format=pattern, locale=loc,
                                        decimal_quantization=True)


def compact(value, *, locale=None) -> str:
    """``1.5m``, ``950k`` / ``1,5 M``, ``950 k``: a short figure for a chart's axis or bar
    (CLDR's short decimal form, one decimal at most)."""
    num = to_decimal(value)
    if num is None:
        return EMPTY if value in (None, "") else str(value)
    return babel_numbers.format_compact_decimal(num, format_type="short", fraction_digits=1,
                                                locale=current_locale(locale))


def percent(value, decimals: int | None = None, *, locale=None) -> str:
    """A percentage given in points (25 → ``25%`` / ``25 %``); ``decimals`` None shows
    what the value needs (12.50 → ``12.5%``)."""
    num = to_decimal(value)
    if num is None:
        return EMPTY if value in (None, "") else str(value)
    loc = current_locale(locale)
    places = _places(num.normalize()) if decimals is None else decimals
    pattern = _with_places(loc.percent_formats[None].pattern, places)
    return babel_numbers.format_percent(num / 100, format=pattern, locale=loc,
                                        decimal_quantization=True)


def _as_date(value) -> dt.date | None:
    if isinstance(value, str):
        value = parse_datetime(value) or parse_date(value) if value else None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def date(value, format: str = "long", *, locale=None) -> str:  # noqa: A002 - Babel's name
    """``3 December 2026`` (long), ``3 Dec 2026`` (medium), ``03/12/2026`` (short);
    French ``3 décembre 2026`` / ``3 déc. 2026``. A datetime gives its day in the
    reader's zone."""
    day = _as_date(value)
    if day is None:
        return EMPTY
    return babel_dates.format_date(day, format, locale=current_locale(locale))


def month(value, *, locale=None) -> str:
    """``Dec 2026`` / ``déc. 2026``: a month and its year."""
    day = _as_date(value)
    if day is None:
        return EMPTY
    return babel_dates.format_skeleton("yMMM", day, locale=current_locale(locale))


def datetime(value, format: str = "long", *, zone: bool = False, locale=None) -> str:
    """``3 December 2026, 14:30`` in the reader's time zone (``timezone.localtime``),
    with its name after when ``zone``."""
    if isinstance(value, str):
        value = parse_datetime(value) if value else None
    if value is None:
        return EMPTY
    if not isinstance(value, dt.datetime):
        return date(value, format, locale=locale)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    loc = current_locale(locale)
    text = (babel_dates.get_datetime_format("medium", locale=loc)
            .replace("{1}", babel_dates.format_date(local.date(), format, locale=loc))
            .replace("{0}", babel_dates.format_time(local.time(), "short", locale=loc)))
    if zone:
        text += f" ({timezone.get_current_timezone_name()})"
    return text


def country_name(code) -> str:
    """The country's name in the active language (django-countries); "—" when empty."""
    if not code:
        return EMPTY
    from django_countries import countries

    return str(countries.name(str(getattr(code, "code", code)))) or str(code)


def collation_key(text: str) -> str:
    """Sort words as a reader does: accents and case aside ("Égypte" among the E)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def countries_sorted(codes) -> list[tuple[str, str]]:
    """``(code, name)`` of each country, by name in the active language."""
    pairs = [(str(getattr(c, "code", c)), country_name(c)) for c in codes or () if c]
    return sorted(pairs, key=lambda pair: collation_key(pair[1]))


@lru_cache(maxsize=16)
def _every_country_sorted(language: str) -> tuple[tuple[str, str], ...]:
    from django_countries import countries

    return tuple(countries_sorted(code for code, _name in countries))


def every_country_sorted() -> list[tuple[str, str]]:
    """Every country as ``(code, name)``, by name in the active language: what a country
    filter offers. Sorting 250 names costs 5-7 ms, so it is done once per language and
    process (the names only change with a release)."""
    return list(_every_country_sorted(translation.get_language() or settings.LANGUAGE_CODE))


def country_names(codes) -> str:
    """``Côte d'Ivoire, Kenya, Nigeria``: names in the active language, in its order."""
    return ", ".join(name for _code, name in countries_sorted(codes)) or EMPTY


def colon() -> str:
    """The mark after a label, as the reader's language writes it: ``Status:`` in English,
    ``Statut :`` in French (a no-break space before it, so that it never starts a line).
    Templates write ``{% translate "Status" %}{% colon %}`` rather than a bare ":"."""
    return pgettext("the mark after a label, with the space before it if any", ":")


def semicolon() -> str:
    """The mark between items of a run-on list: ``a; b`` in English, ``a ; b`` in French."""
    return pgettext("the mark between list items, with the space before it if any", ";")


def run_on(items) -> str:
    """``a; b; c`` (``a ; b ; c`` in French): short items in one sentence."""
    return f"{semicolon()} ".join(str(item) for item in items)


def _utc_offset(name: str) -> str:
    offset = dt.datetime.now(ZoneInfo(name)).strftime("%z") or "+0000"
    return f"UTC{offset[0].replace('-', '−')}{offset[1:3]}:{offset[3:5]}"


def time_zone_label(name: str, *, locale=None) -> str:
    """``Côte d'Ivoire — Abidjan (UTC+00:00)``: a zone as a reader looks for it, its country
    and city in the reader's language, with today's offset; a zone with no country
    (``UTC``, ``Etc/GMT+5``) keeps its name."""
    loc = current_locale(locale)
    territory = babel_core.get_global("zone_territories").get(name)
    offset = _utc_offset(name)
    if not territory or territory == "001":
        return f"{name} ({offset})"
    country = loc.territories.get(territory, territory)
    city = babel_dates.get_timezone_location(name, locale=loc, return_city=True)
    place = country if not city or city == country else f"{country} — {city}"
    return f"{place} ({offset})"


@lru_cache(maxsize=16)
def _time_zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    import zoneinfo

    territories = babel_core.get_global("zone_territories")
    names = zoneinfo.available_timezones() - {"UTC"}
    placed = sorted((n for n in names if territories.get(n, "001") != "001"),
                    key=lambda n: collation_key(time_zone_label(n, locale=language)))
    others = sorted(names - set(placed))  # aliases and Etc/ zones, by name, last
    return (("UTC", "UTC"),
            *((n, time_zone_label(n, locale=language)) for n in [*placed, *others]))


def time_zone_choices() -> list[tuple[str, str]]:
    """Every time zone as ``(name, label)`` in the active language, by country: what the
    profile's time-zone select offers (about 600, so made once per language and process)."""
    return list(_time_zone_choices(translation.get_language() or settings.LANGUAGE_CODE))
