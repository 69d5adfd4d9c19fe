"""Currencies and the one conversion rule to USD.

Rounding rule (documented in the README and on every receipt): the USD value of a
contribution is ``amount × exchange_rate`` computed exactly in Decimal, then rounded once,
half up, to the cent. ``exchange_rate`` is the USD value of one unit of the currency
(e.g. 1.0850 for EUR, 0.0067 for JPY), kept to ten decimal places. Floats never enter.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fundapp.core.formatting import currency_name, money

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0000000001")
MAX_AMOUNT = Decimal("99999999999999.99")  # 16 digits, two decimals
MAX_RATE = Decimal("999999.9999999999")

# Active ISO 4217 codes (plus a few withdrawn recently, for old contributions).
ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER
ZAR ZMW ZWG
""".split())

# Currencies without minor units: amounts in them must be whole.
NO_MINOR_UNITS = frozenset(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split())

COMMON = ("USD", "EUR", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "AUD", "CAD")
CURRENCY_CHOICES = [(c, c) for c in COMMON] + [(c, c) for c in sorted(ISO_4217 - set(COMMON))]


def currency_choices() -> list[tuple[str, str]]:
    """The codes of ``CURRENCY_CHOICES`` with their names in the reader's language (CLDR):
    ``EUR — Euro``, ``EUR — euro``."""
    return [(code, f"{code} — {currency_name(code)}") for code, _label in CURRENCY_CHOICES]


def is_currency(code: str) -> bool:
    return code in ISO_4217


def to_usd(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount × rate`` rounded once, half up, to the cent."""
    if isinstance(amount, float) or isinstance(rate, float):
        raise TypeError("money must not be a float")
    return (Decimal(amount) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(value, *, places: int = 2) -> Decimal:
    """A Decimal from text such as ``1234.56`` or ``1,234.56``; ValueError otherwise.

    Refuses more than ``places`` decimals, floats' artefacts aside (spreadsheet numbers
    arrive as floats and are read through their shortest representation).
    """
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if _has_thousands(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(str(value))
    if -number.as_tuple().exponent > places and number != number.quantize(
            Decimal(1).scaleb(-places)):
        raise ValueError(str(value))
    return number


def _has_thousands(text: str) -> bool:
    head = text.split(".")[0].lstrip("-")
    if "," not in head:
        return False
    groups = head.split(",")
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:])


def format_amount(amount: Decimal | None, currency: str = "USD") -> str:
    """``EUR 250,000.00`` / ``250 000,00 EUR`` in the active language (fundapp.core.formatting)."""
    return money(amount, currency)


def compact_usd(amount: Decimal | int) -> str:
    """Short axis labels: 1.5M, 950k, 0."""
    value = Decimal(amount)
    if abs(value) >= 1_000_000:
        return f"{(value / 1_000_000).quantize(Decimal('0.1')).normalize():f}M"
    if abs(value) >= 1_000:
        return f"{(value / 1_000).quantize(Decimal('1'))}k"
    return f"{value.quantize(Decimal('1'))}"
