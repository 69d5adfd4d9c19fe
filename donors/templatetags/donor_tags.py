from decimal import Decimal

from django import template
from django.utils.formats import number_format

from donors.money import NO_MINOR_UNITS

register = template.Library()


@register.filter
def money(value, currency: str = "USD") -> str:
    """``EUR 250,000.00`` in the reader's number format; JPY and the like without decimals."""
    if value is None or value == "":
        return "—"
    places = 0 if currency in NO_MINOR_UNITS else 2
    amount = number_format(Decimal(value), decimal_pos=places, use_l10n=True,
                           force_grouping=True)
    return f"{currency} {amount}"


@register.filter
def rate(value) -> str:
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text if "." in text else f"{text}.00"
