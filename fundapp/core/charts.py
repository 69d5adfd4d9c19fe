"""Charts drawn on the server as inline SVG: no JavaScript, no external assets (issue 15).

Pure geometry from numbers and labels, for every app (the donors' reports, the impact
page, the ranking, the dashboards) and for PDFs: nothing here imports ``grants`` or
``donors``. Each chart is an ``<svg role="img">`` with a title and a description that
names its figures; the page beside it also gives the numbers as a table (screen readers,
copying). Figures are worded with ``fundapp.core.formatting`` in the active language
(``USD 1,500,000`` / ``1 500 000 USD``, axis ``1.5m`` / ``1,5 M``); colours are attributes,
never inline styles (CSP).
"""

import math
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fundapp.core.formatting import collation_key, compact, country_name, money, number, percent

INK, MUTED, GRID = "#1b2733", "#5d6b79", "#d5dde5"
RECEIVED, REACHED, PLEDGED, TARGET = "#00689d", "#1d6b3a", "#8fc1de", "#0c2d48"
COMMITTED = "#8fc1de"
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


def short(label: str, limit: int) -> str:
    """A label cut to ``limit`` characters with an ellipsis (the table has it whole)."""
    label = str(label)
    return label if len(label) <= limit else label[:limit - 1] + "…"


def nice_ceiling(value: Decimal | float) -> tuple[float, float]:
    """A round top for an axis and its tick step (about four ticks)."""
    value = float(value) or 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


def axis(c: Canvas, left: float, top: float, right: float, bottom: float, top_value: float,
         step: float) -> None:
    """Horizontal grid lines with short labels (``1.5m`` / ``1,5 M``) on the left."""
    ticks = int(round(top_value / step))
    for i in range(ticks + 1):
        value = step * i
        y = bottom - (bottom - top) * value / top_value
        c.line(left, y, right, y, GRID)
        c.text(left - 6, y + 4, compact(Decimal(str(value))), size=10, anchor="end",
               fill=MUTED)


def bars_chart(items: list[tuple[str, Decimal, str]], *, title: str, uid: str,
               colours: tuple[str, ...] = (RECEIVED,), width: int = 760,
               empty: str | None = None) -> SafeString:
    """Horizontal bars of amounts (USD): (label, value, note) per row, e.g. donor types.

    Rows worth nothing are left out of the picture (the table beside it lists them).
    """
    empty = empty or _("No contributions yet.")
    shown = [(i, item) for i, item in enumerate(items) if item[1] > 0]
    height = 24 + 30 * max(len(shown), 1)
    c = Canvas(width, height, uid, title,
               "; ".join(f"{label}: {money(value, decimals=0)}" for label, value, _n in items)
               or empty)
    peak = max([float(v) for _l, v, _n in items] + [1])
    left = int(width * 0.33)
    right = width - 120
    for row, (i, (label, value, note)) in enumerate(shown):
        y = 16 + 30 * row
        c.text(left - 8, y + 14, short(label, 36 if width >= 700 else 22), size=12,
               anchor="end")
        w = (right - left) * float(value) / peak
        c.rect(left, y + 2, w, 18, colours[i % len(colours)])
        c.text(left + w + 6, y + 15, f"{compact(value)} {note}".strip(), size=11, fill=MUTED)
    if not shown:
        c.text(20, 30, empty, size=12, fill=MUTED)
    return c.render()


def count_bars(items: list[tuple[str, int]], *, title: str, uid: str, mark: int | None = None,
               width: int = 640, empty: str | None = None, label_width: int = 70) -> SafeString:
    """Horizontal bars of counts (victims per year, applications per country), with a
    dashed line at ``mark`` when there is one; bars at or over it are green."""
    empty = empty or _("No report yet.")
    height = 40 + 26 * max(len(items), 1)
    desc = "; ".join(f"{label}: {number(value)}" for label, value in items) or empty
    c = Canvas(width, height, uid, title, desc)
    peak = max([v for _l, v in items] + [mark or 0, 1])
    left, right = label_width, width - 90
    for row, (label, value) in enumerate(items):
        y = 12 + 26 * row
        w = (right - left) * value / peak
        colour = REACHED if mark is not None and value >= mark else RECEIVED
        c.text(left - 8, y + 14, short(label, max(8, label_width // 7)), size=12, anchor="end")
        c.rect(left, y + 2, w, 18, colour)
        c.text(left + w + 6, y + 15, number(value), size=11, fill=MUTED)
    if not items:
        c.text(20, 30, empty, size=12, fill=MUTED)
    if mark is not None:
        x = left + (right - left) * mark / peak
        c.line(x, 4, x, height - 20, TARGET, width=2, dash="4 3")
        c.text(x, height - 6, number(mark), size=11, anchor="middle", fill=TARGET)
    return c.render()


def paired_bars_chart(items: list[tuple[str, Decimal, Decimal]], *, title: str, uid: str,
                      labels: tuple[str, str], colours: tuple[str, str] = (COMMITTED, RECEIVED),
                      width: int = 760, empty: str | None = None) -> SafeString:
    """Two amounts per category side by side, e.g. committed and disbursed per call."""
    empty = empty or _("Nothing to show yet.")
    first, second = labels
    c = Canvas(width, 280, uid, title,
               "; ".join(f"{label}: {first} {money(a, decimals=0)}, {second} "
                         f"{money(b, decimals=0)}" for label, a, b in items) or empty)
    left, top, right, bottom = 52, 34, width - 10, 250
    peak = max([float(a) for _l, a, _b in items] + [float(b) for _l, _a, b in items] + [1])
    top_value, step = nice_ceiling(peak * 1.05)
    axis(c, left, top, right, bottom, top_value, step)
    slot = (right - left) / max(len(items), 1)
    for i, (label, a, b) in enumerate(items):
        x = left + i * slot
        for j, (value, colour) in enumerate(((a, colours[0]), (b, colours[1]))):
            h = (bottom - top) * float(value) / top_value
            c.rect(x + slot * (0.14 + 0.36 * j), bottom - h, slot * 0.34, h, colour)
        c.text(x + slot / 2, bottom + 16,
               short(label, 12) if len(items) < 14 or i % 2 == 0 else "",
               size=10, anchor="middle", fill=MUTED)
    if not items:
        c.text(left + 10, (top + bottom) / 2, empty, size=12, fill=MUTED)
    c.line(left, bottom, right, bottom, MUTED)
    c.legend(left, 16, [(colours[0], first), (colours[1], second)])
    return c.render()


def progress_chart(*, year: int, received: Decimal, forecast: Decimal, target: Decimal,
                   uid: str = "progress") -> SafeString:
    """This year's income as a bar towards the target, open pledges as a lighter bar.
    Shares are shown with one decimal (``66.7%`` / ``66,7 %``)."""
    pct_points = received * 100 / target if target else Decimal(0)
    fpct_points = forecast * 100 / target if target else Decimal(0)
    c = Canvas(760, 110, uid, _("%(y)s: progress towards the target") % {"y": year},
               _("Received %(r)s of %(t)s (%(p)s); with open pledges %(f)s (%(fp)s).") % {
                   "r": money(received, decimals=0), "t": money(target, decimals=0),
                   "p": percent(pct_points, 1), "f": money(forecast, decimals=0),
                   "fp": percent(fpct_points, 1)})
    left, right, y, h = 10, 700, 30, 30
    scale = max(float(target), float(forecast), float(received), 1.0)
    span = right - left
    c.rect(left, y, span * float(target) / scale, h, "#e7ecf1", rx="4")
    c.rect(left, y, span * float(forecast) / scale, h, PLEDGED, rx="4")
    c.rect(left, y, span * float(received) / scale, h,
           REACHED if pct_points >= 100 else RECEIVED, rx="4")
    for share in (50, 75, 100):
        x = left + span * float(target) * share / 100 / scale
        c.line(x, y - 6, x, y + h + 6, TARGET, 2 if share == 100 else 1, "" if share == 100
               else "3 2")
        c.text(x, y - 10, percent(share), size=10, anchor="middle", fill=MUTED)
    c.text(left, y + h + 24, _("Received: %(r)s (%(p)s)")
           % {"r": money(received, decimals=0), "p": percent(pct_points, 1)},
           size=12, weight="bold")
    c.text(right, y + h + 24, _("Forecast with open pledges: %(f)s (%(p)s)")
           % {"f": money(forecast, decimals=0), "p": percent(fpct_points, 1)},
           size=12, anchor="end", fill=MUTED)
    return c.render()


def countries_chart(code_lists, *, title: str, uid: str, top: int = 15,
                    width: int = 640) -> SafeString:
    """How many of the items (applications, projects) name each country: one list of ISO
    codes per item, bars by country name in the reader's language, the most named first
    (ties by name); beyond ``top`` countries, the rest is one bar "Other countries"."""
    counts: dict[str, int] = {}
    for codes in code_lists:
        for code in {str(getattr(c, "code", c)) for c in codes or () if c}:
            counts[code] = counts.get(code, 0) + 1
    named = sorted(((country_name(code), n) for code, n in counts.items()),
                   key=lambda pair: (-pair[1], collation_key(pair[0])))
    if len(named) > top:
        rest = sum(n for _name, n in named[top - 1:])
        named = named[:top - 1] + [(_("Other countries"), rest)]
    return count_bars(named, title=title, uid=uid, width=width, label_width=200,
                      empty=_("No application yet."))
