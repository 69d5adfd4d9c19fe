"""``{% load charts %}``: the ground floor's SVG charts in a template (issue 15).

``{% target_progress year received forecast target %}`` draws the year's income towards
its target (``forecast``: received plus open pledges; optional ``uid`` when a page has two).
``templates/partials/charts/target_progress.html`` wraps it in a figure with the figures in
words, for a workspace or report page to include. ``{{ part|share_of:whole }}`` is the
share in points, for ``|percent:1``.
"""

from decimal import Decimal

from django import template

from fundapp.core import charts
from fundapp.core.formatting import to_decimal

register = template.Library()


def _amount(value) -> Decimal:
    return to_decimal(value) or Decimal(0)


@register.simple_tag
def target_progress(year, received, forecast, target, uid="progress"):
    received = _amount(received)
    return charts.progress_chart(year=year, received=received,
                                 forecast=max(_amount(forecast), received),
                                 target=_amount(target), uid=uid or "progress")


@register.filter
def share_of(part, whole):
    """``part`` as points of ``whole`` (``None`` when the whole is nothing)."""
    whole = to_decimal(whole)
    if not whole:
        return None
    return _amount(part) * 100 / whole
