"""Small charts drawn on the server as inline SVG: no script, no CDN, readable by
screen readers through <title>/<desc>, and each page also shows the numbers as a table."""

import math
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BAR = "#a4161a"
TRACK = "#eceff2"
GRID = "#d0d7de"
INK = "#1f2328"
MUTED = "#57606a"

_ids = count(1)


def _n(number: float) -> str:
    """A coordinate with at most one decimal (format_html turns numbers into text first)."""
    return f"{number:.1f}".removesuffix(".0")


def _svg(*, width: int, height: int, title: str, desc: str, body: list[SafeString]) -> SafeString:
    # Ids only need to be unique within the page; a counter is enough.
    uid = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="chart-{u}-t chart-{u}-d"'
        ' xmlns="http://www.w3.org/2000/svg" font-size="13" preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-{u}-t">{title}</title><desc id="chart-{u}-d">{desc}</desc>{body}</svg>',
        w=width, h=height, u=uid, title=title, desc=desc, body=mark_safe("".join(body)),
    )


def horizontal_bars(rows: list[tuple[str, int | None]], *, title: str, suffix: str = "%", maximum: int = 100) -> SafeString:
    """One bar per row (label, value 0…maximum); None draws an empty track marked "—"."""
    label_width, bar_width, row_height, top = 230, 330, 34, 8
    width, height = label_width + bar_width + 70, top * 2 + row_height * len(rows)
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        filled = 0 if value is None else bar_width * max(0, min(value, maximum)) / maximum
        body.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end" fill="{ink}">{label}</text>'
                '<rect x="{bx}" y="{by}" width="{bw}" height="18" rx="3" fill="{track}"/>'
                '<rect x="{bx}" y="{by}" width="{fw}" height="18" rx="3" fill="{bar}"/>'
                '<text x="{vx}" y="{ty}" fill="{ink}">{value}</text>',
                lx=label_width - 10, ty=y + 18, ink=INK, label=label, bx=label_width, by=y + 4, bw=bar_width,
                track=TRACK, fw=_n(filled), bar=BAR, vx=label_width + bar_width + 8,
                value="—" if value is None else f"{value}{suffix}",
            )
        )
    desc = "；".join(f"{label}：{'—' if value is None else f'{value}{suffix}'}" for label, value in rows)
    return _svg(width=width, height=height, title=title, desc=desc, body=body)


def _nice_ceiling(value: int) -> int:
    """1, 2, 5 × 10ⁿ at or above `value`, so the axis has round numbers."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def columns(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """Vertical bars (label, count) on an axis from 0 to a round maximum."""
    left, bottom, top, plot_height, slot = 40, 28, 20, 180, 50
    width, height = left + slot * len(rows) + 10, top + plot_height + bottom
    maximum = _nice_ceiling(max((value for _label, value in rows), default=0))
    body = [_grid(left, width, top, plot_height, maximum)]
    for index, (label, value) in enumerate(rows):
        bar_height = plot_height * value / maximum
        x = left + index * slot + 8
        body.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{bar}"/>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" fill="{ink}">{value}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" fill="{muted}">{label}</text>',
                x=x, y=_n(top + plot_height - bar_height), w=slot - 16, h=_n(bar_height), bar=BAR, cx=_n(x + (slot - 16) / 2),
                vy=_n(top + plot_height - bar_height - 4), ink=INK, value=value, ly=top + plot_height + 18,
                muted=MUTED, label=label,
            )
        )
    desc = "；".join(f"{label}：{value}" for label, value in rows)
    return _svg(width=width, height=height, title=title, desc=desc, body=body)


def _grid(left: int, width: int, top: int, plot_height: int, maximum: int) -> SafeString:
    lines = []
    # A middle line only where it falls on a whole number.
    for tick in (0, maximum // 2, maximum) if maximum % 2 == 0 else (0, maximum):
        y = top + plot_height - plot_height * tick / maximum
        lines.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left, width - 10, _n(y), _n(y), GRID, left - 6, _n(y + 4), MUTED, tick,
            )
        )
    return mark_safe("".join(lines))


PREVIOUS = "#57606a"


def paired_bars(
    rows: list[tuple[str, int | None, int | None]], *, title: str, series: tuple[str, str], suffix: str = "%"
) -> SafeString:
    """Two bars per row (label, this value, the other value), 0…100, with a legend: this
    year in the chart colour, the year compared with in grey. None draws no bar, "—"."""
    label_width, bar_width, row_height, top = 230, 330, 40, 30
    width, height = label_width + bar_width + 70, top + 8 + row_height * len(rows)
    body = [
        format_html(
            '<rect x="{x}" y="6" width="12" height="12" fill="{bar}"/><text x="{tx}" y="16" fill="{ink}">{now}</text>'
            '<rect x="{x2}" y="6" width="12" height="12" fill="{prev}"/><text x="{tx2}" y="16" fill="{ink}">{then}</text>',
            x=label_width, bar=BAR, tx=label_width + 16, ink=INK, now=series[0],
            x2=label_width + 120, prev=PREVIOUS, tx2=label_width + 136, then=series[1],
        )
    ]
    for index, (label, value, other) in enumerate(rows):
        y = top + index * row_height
        body.append(format_html('<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>', label_width - 10, y + 20, INK, label))
        for offset, number, colour in ((2, value, BAR), (19, other, PREVIOUS)):
            filled = 0 if number is None else bar_width * max(0, min(number, 100)) / 100
            body.append(
                format_html(
                    '<rect x="{bx}" y="{by}" width="{bw}" height="14" rx="2" fill="{track}"/>'
                    '<rect x="{bx}" y="{by}" width="{fw}" height="14" rx="2" fill="{colour}"/>'
                    '<text x="{vx}" y="{ty}" font-size="11" fill="{ink}">{text}</text>',
                    bx=label_width, by=y + offset, bw=bar_width, track=TRACK, fw=_n(filled), colour=colour,
                    vx=label_width + bar_width + 6, ty=y + offset + 12, ink=INK,
                    text="—" if number is None else f"{number}{suffix}",
                )
            )

    def shown(number):
        return "—" if number is None else f"{number}{suffix}"

    desc = "；".join(f"{label}：{series[0]} {shown(value)}，{series[1]} {shown(other)}" for label, value, other in rows)
    return _svg(width=width, height=height, title=title, desc=desc, body=body)
