"""``{% load formatting %}``: the template side of ``fundapp.core.formatting``.

``{{ amount|money }}``, ``{{ amount|money:c.currency }}``, ``{{ n|number }}``,
``{{ n|number:1 }}``, ``{{ share|percent }}``, ``{{ day|day }}`` (long) or
``{{ day|day:"medium" }}``, ``{{ day|month }}``, ``{{ moment|when }}`` (or ``when_zoned``)
and ``{{ code|country }}``, in the language the page (or e-mail, or PDF) is rendered in.
A float from a view is read through its shortest text; a page never fails on a value it
cannot format, it shows it as it is.
"""

from decimal import Decimal

from django import template

from fundapp.core import formatting

register = template.Library()


def _readable(value):
    return Decimal(repr(value)) if isinstance(value, float) else value


@register.filter
def money(value, currency: str = "USD") -> str:
    return formatting.money(_readable(value), currency or "USD")


@register.filter
def number(value, decimals=None) -> str:
    places = None if decimals in (None, "") else int(decimals)
    return formatting.number(_readable(value), places)


@register.filter
def percent(value, decimals=None) -> str:
    places = None if decimals in (None, "") else int(decimals)
    return formatting.percent(_readable(value), places)


@register.filter
def day(value, format: str = "long") -> str:  # noqa: A002
    return formatting.date(value, format or "long")


@register.filter
def when(value, format: str = "long") -> str:  # noqa: A002
    return formatting.datetime(value, format or "long")


@register.filter
def when_zoned(value, format: str = "long") -> str:  # noqa: A002
    """``3 December 2026, 14:30 (Europe/Vienna)``: with the reader's zone named."""
    return formatting.datetime(value, format or "long", zone=True)


@register.filter
def month(value) -> str:
    return formatting.month(value)


@register.filter
def country(code) -> str:
    return formatting.country_name(code)


@register.filter
def countries(codes) -> str:
    return formatting.country_names(codes)
