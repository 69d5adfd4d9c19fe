"""``{% load formatting %}``: the template side of ``fundapp.core.formatting``.

``{{ amount|money }}``, ``{{ amount|money:c.currency }}``, ``{{ n|number }}``,
``{{ n|number:1 }}``, ``{{ share|percent }}``, ``{{ day|day }}`` (long) or
``{{ day|day:"medium" }}``, ``{{ day|month }}``, ``{{ moment|when }}`` (or ``when_zoned``)
and ``{{ code|country }}``, in the language the page (or e-mail, or PDF) is rendered in.
A float from a view is read through its shortest text; a page never fails on a value it
cannot format, it shows it as it is.

In table rows, ``{{ amount|money_html }}`` and ``{% time_html moment short=True %}`` give
the markup of ``partials/money.html`` and ``partials/when.html`` (which use them) without
an ``{% include %}`` per row: a list of 25 rows renders them 50 times.
"""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fundapp.core import formatting

register = template.Library()


def _readable(value):
    return Decimal(repr(value)) if isinstance(value, float) else value


@register.filter
def money(value, currency: str = "USD") -> str:
    return formatting.money(_readable(value), currency or "USD")


MISSING = mark_safe('<span class="muted">—</span>')


@register.filter
def money_html(value, currency: str = "USD") -> SafeString:
    """``<span class="money">USD 1,000.00</span>``, or a muted dash when there is none."""
    if value is None or value == "":
        return MISSING
    return format_html('<span class="money">{}</span>', money(value, currency))


@register.simple_tag
def time_html(moment, short: bool = False) -> SafeString:
    """``<time datetime="…">3 December 2026, 14:30 <span class="tz">UTC</span></time>``
    in the reader's zone, or a muted dash."""
    if not moment:
        return MISSING
    local = (timezone.localtime(moment) if isinstance(moment, dt.datetime)
             and timezone.is_aware(moment) else moment)
    return format_html('<time datetime="{}">{} <span class="tz">{}</span></time>',
                       date_format(local, "c"), when(moment, "medium" if short else "long"),
                       timezone.get_current_timezone_name())


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


@register.simple_tag
def colon() -> str:
    """``{% translate "Status" %}{% colon %}``: ":" or " :" as the reader's language puts it."""
    return formatting.colon()


@register.simple_tag
def semicolon() -> str:
    """``a{% semicolon %} b``: ";" or " ;" as the reader's language puts it."""
    return formatting.semicolon()
