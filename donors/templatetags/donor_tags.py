from decimal import Decimal

from django import template

from fundapp.core import formatting
from fundapp.core.templatetags.formatting import money

register = template.Library()

# ``{{ amount|money:c.currency }}``: the one money filter (fundapp.core.formatting).
register.filter("money", money)


@register.filter
def rate(value) -> str:
    """An exchange rate with its recorded places (at least two): ``1.0850`` / ``1,085``."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).normalize()
    places = max(2, -number.as_tuple().exponent)
    return formatting.number(number, places)
