"""The donors' own charts (income per year against the target, pledged and received),
drawn with the ground floor's SVG helpers (``fundapp.core.charts``), which the other charts
of the reports come from too (re-exported here: ``bars_chart``, ``progress_chart``).
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from fundapp.core.charts import (  # noqa: F401 - the reports' charts, one import
    GRID,
    INK,
    MUTED,
    PLEDGED,
    REACHED,
    RECEIVED,
    TARGET,
    TYPE_COLOURS,
    Canvas,
    axis,
    bars_chart,
    nice_ceiling,
    paired_bars_chart,
    progress_chart,
)
from fundapp.core.formatting import money


def years_chart(rows, *, uid: str = "years") -> SafeString:
    """Income per year as bars, each year's target as a dark marker."""
    c = Canvas(760, 300, uid, _("Contributions received per year against the target"),
               "; ".join(_("%(y)s: %(r)s of %(t)s")
                         % {"y": r.year, "r": money(r.received, decimals=0),
                            "t": money(r.target, decimals=0)}
                         for r in rows))
    left, top, right, bottom = 52, 34, 750, 270
    peak = max([float(r.received) for r in rows] + [float(r.target) for r in rows] + [1])
    top_value, step = nice_ceiling(peak * 1.05)
    axis(c, left, top, right, bottom, top_value, step)
    slot = (right - left) / max(len(rows), 1)
    for i, r in enumerate(rows):
        x = left + i * slot
        h = (bottom - top) * float(r.received) / top_value
        c.rect(x + slot * 0.18, bottom - h, slot * 0.64, h, REACHED if r.reached else RECEIVED)
        ty = bottom - (bottom - top) * float(r.target) / top_value
        c.line(x + slot * 0.08, ty, x + slot * 0.92, ty, TARGET, 2.5)
        c.text(x + slot / 2, bottom + 16, r.year if len(rows) < 14 or i % 2 == 0 else "",
               size=10, anchor="middle", fill=MUTED)
    c.line(left, bottom, right, bottom, MUTED)
    c.legend(left, 16, [(RECEIVED, _("Received")), (REACHED, _("Target reached")),
                        (TARGET, _("Target"))])
    return c.render()


def pledged_received_chart(rows, *, uid: str = "pledged") -> SafeString:
    """Pledged and received per year, side by side."""
    c = Canvas(760, 280, uid, _("Pledged and received per year (USD)"),
               "; ".join(_("%(y)s: pledged %(p)s, received %(r)s")
                         % {"y": r.year, "p": money(r.pledged, decimals=0),
                            "r": money(r.received, decimals=0)}
                         for r in rows))
    left, top, right, bottom = 52, 34, 750, 250
    peak = max([float(r.received) for r in rows] + [float(r.pledged) for r in rows] + [1])
    top_value, step = nice_ceiling(peak * 1.05)
    axis(c, left, top, right, bottom, top_value, step)
    slot = (right - left) / max(len(rows), 1)
    for i, r in enumerate(rows):
        x = left + i * slot
        for j, (value, colour) in enumerate(((r.pledged, PLEDGED), (r.received, RECEIVED))):
            h = (bottom - top) * float(value) / top_value
            c.rect(x + slot * (0.14 + 0.36 * j), bottom - h, slot * 0.34, h, colour)
        c.text(x + slot / 2, bottom + 16, r.year if len(rows) < 14 or i % 2 == 0 else "",
               size=10, anchor="middle", fill=MUTED)
    c.line(left, bottom, right, bottom, MUTED)
    c.legend(left, 16, [(PLEDGED, _("Pledged")), (RECEIVED, _("Received"))])
    return c.render()
