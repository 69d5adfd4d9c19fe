"""Charts drawn on the server as inline SVG: no JavaScript, no external assets.

The same markup goes into the web pages and the PDF report. Each chart is an ``<svg
role="img">`` with a title and a description naming its figures; the pages also give the
numbers as a table for screen readers and for copying.
"""

import math
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from donors.money import compact_usd
from fundapp.core.formatting import money, percent

INK, MUTED, GRID = "#1b2733", "#5d6b79", "#d5dde5"
RECEIVED, REACHED, PLEDGED, TARGET = "#00689d", "#1d6b3a", "#8fc1de", "#0c2d48"
TYPE_COLOURS = ("#00689d", "#1d6b3a", "#7a4d00", "#6b3fa0", "#b42318", "#5d6b79")
FONT = "system-ui,'DejaVu Sans',Arial,sans-serif"  # an attribute: no inline style (CSP)


class Canvas:
    """A tiny SVG writer: shapes and escaped text, then one accessible ``<svg>``."""

    def __init__(self, width: int, height: int, uid: str, title: str, desc: str):
        self.width, self.height, self.uid = width, height, uid
        self.title, self.desc = title, desc
        self.parts: list[str] = []

    def rect(self, x, y, w, h, fill, **extra) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
                          f'height="{max(h, 0):.1f}" fill="{fill}"{attrs}/>')

    def line(self, x1, y1, x2, y2, stroke, width=1, dash="") -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                          f'stroke="{stroke}" stroke-width="{width}"{dashed}/>')

    def text(self, x, y, content, *, size=11, anchor="start", fill=INK, weight="normal") -> None:
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
                          f'text-anchor="{anchor}" fill="{fill}" font-weight="{weight}" '
                          f'font-family="{FONT}">{escape(str(content))}</text>')

    def legend(self, x, y, items: list[tuple[str, str]]) -> None:
        for colour, label in items:
            self.rect(x, y - 9, 12, 12, colour)
            self.text(x + 17, y + 1, label, size=11)
            x += 30 + 6.5 * len(label)

    def render(self) -> SafeString:
        head = format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'class="chart" role="img" aria-labelledby="{}-t {}-d" '
            'preserveAspectRatio="xMidYMid meet"><title id="{}-t">{}</title>'
            '<desc id="{}-d">{}</desc>', self.width, self.height, self.uid, self.uid,
            self.uid, self.title, self.uid, self.desc)
        return mark_safe(head + "".join(self.parts) + "</svg>")


def nice_ceiling(value: Decimal | float) -> tuple[float, float]:
    """A round top for an axis and its tick step (about four ticks)."""
    value = float(value) or 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


def _axis(c: Canvas, left: float, top: float, right: float, bottom: float, top_value: float,
          step: float) -> None:
    ticks = int(round(top_value / step))
    for i in range(ticks + 1):
        value = step * i
        y = bottom - (bottom - top) * value / top_value
        c.line(left, y, right, y, GRID)
        c.text(left - 6, y + 4, compact_usd(Decimal(str(value))), size=10, anchor="end",
               fill=MUTED)


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
    _axis(c, left, top, right, bottom, top_value, step)
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
    _axis(c, left, top, right, bottom, top_value, step)
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


def bars_chart(items: list[tuple[str, Decimal, str]], *, title: str, uid: str,
               colours: tuple[str, ...] = (RECEIVED,), width: int = 760) -> SafeString:
    """Horizontal bars: (label, value, note) per row, e.g. donor types or top donors.

    Rows worth nothing are left out of the picture (the table beside it lists them).
    """
    shown = [(i, item) for i, item in enumerate(items) if item[1] > 0]
    height = 24 + 30 * max(len(shown), 1)
    c = Canvas(width, height, uid, title,
               "; ".join(f"{label}: {money(value, decimals=0)}" for label, value, _n in items)
               or _("No contributions yet."))
    peak = max([float(v) for _l, v, _n in items] + [1])
    left = int(width * 0.33)
    right = width - 120
    for row, (i, (label, value, note)) in enumerate(shown):
        y = 16 + 30 * row
        limit = 36 if width >= 700 else 22
        short = label if len(label) <= limit else label[:limit - 1] + "…"
        c.text(left - 8, y + 14, short, size=12, anchor="end")
        w = (right - left) * float(value) / peak
        c.rect(left, y + 2, w, 18, colours[i % len(colours)])
        c.text(left + w + 6, y + 15, f"{compact_usd(value)} {note}".strip(), size=11,
               fill=MUTED)
    if not shown:
        c.text(20, 30, _("No contributions yet."), size=12, fill=MUTED)
    return c.render()


def progress_chart(*, year: int, received: Decimal, forecast: Decimal, target: Decimal,
                   uid: str = "progress") -> SafeString:
    """This year's income as a bar towards the target, open pledges as a lighter bar."""
    pct = float(received) * 100 / float(target) if target else 0
    pct_points = received * 100 / target if target else Decimal(0)
    fpct_points = forecast * 100 / target if target else Decimal(0)
    c = Canvas(760, 110, uid, _("%(y)s: progress towards the target") % {"y": year},
               _("Received %(r)s of %(t)s (%(p)s); with open pledges %(f)s (%(fp)s).") % {
                   "r": money(received, decimals=0), "t": money(target, decimals=0),
                   "p": percent(pct_points, 0), "f": money(forecast, decimals=0),
                   "fp": percent(fpct_points, 0)})
    left, right, y, h = 10, 700, 30, 30
    scale = max(float(target), float(forecast), float(received), 1.0)
    span = right - left
    c.rect(left, y, span * float(target) / scale, h, "#e7ecf1", rx="4")
    c.rect(left, y, span * float(forecast) / scale, h, PLEDGED, rx="4")
    c.rect(left, y, span * float(received) / scale, h, REACHED if pct >= 100 else RECEIVED,
           rx="4")
    for share in (50, 75, 100):
        x = left + span * float(target) * share / 100 / scale
        c.line(x, y - 6, x, y + h + 6, TARGET, 2 if share == 100 else 1, "" if share == 100
               else "3 2")
        c.text(x, y - 10, percent(share), size=10, anchor="middle", fill=MUTED)
    c.text(left, y + h + 24, _("Received: %(r)s (%(p)s)")
           % {"r": money(received, decimals=0), "p": percent(pct_points, 0)},
           size=12, weight="bold")
    c.text(right, y + h + 24, _("Forecast with open pledges: %(f)s (%(p)s)")
           % {"f": money(forecast, decimals=0), "p": percent(fpct_points, 0)},
           size=12, anchor="end", fill=MUTED)
    return c.render()
