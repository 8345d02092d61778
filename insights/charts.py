"""Bar charts drawn on the server as SVG: no JavaScript, nothing from a CDN.

Each chart is an image with a title and a one-line description for screen readers; the page
shows the same figures in a table next to it, which is the accessible alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH = 640
HEIGHT = 220
LEFT = 40  # room for the value axis
BOTTOM = 40  # room for the week labels
TOP = 10
COLOURS = ("#1d70b8", "#d4351c")  # GOV.UK blue and red: 4.5:1 or better on white


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


def weekly_bars(chart_id: str, title: str, weeks: list[date], series: list[Series]) -> str:
    """An SVG of one or two series of weekly counts, side by side, with a legend."""
    peak = max([1, *(v for s in series for v in s.values)])
    plot_width = WIDTH - LEFT - 10
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(weeks))
    bar = max(2.0, (slot - 6) / max(1, len(series)))
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{w.strftime('%-d %b')} {v}" for w, v in zip(weeks, s.values, strict=True))
        for s in series
    )
    parts = [
        f'<svg class="insights-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(series)}" width="100%" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - 10}" y2="{TOP + plot_height}" stroke="#0b0c0c"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="12" fill="#0b0c0c">{peak}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" font-size="12" fill="#0b0c0c">0</text>',
    ]
    for position, week in enumerate(weeks):
        x0 = LEFT + position * slot + 3
        for number, s in enumerate(series):
            value = s.values[position]
            height = plot_height * value / peak
            parts.append(
                f'<rect x="{x0 + number * bar:.1f}" y="{TOP + plot_height - height:.1f}" width="{bar - 1:.1f}" '
                f'height="{height:.1f}" fill="{COLOURS[number % len(COLOURS)]}"/>'
            )
        parts.append(
            f'<text x="{x0 + (slot - 6) / 2:.1f}" y="{TOP + plot_height + 16}" text-anchor="middle" font-size="11" '
            f'fill="#0b0c0c">{week.strftime("%-d %b")}</text>'
        )
    for number, s in enumerate(series):
        y = HEIGHT + 20 * number
        parts.append(f'<rect x="{LEFT}" y="{y - 10}" width="12" height="12" fill="{COLOURS[number % len(COLOURS)]}"/>')
        parts.append(f'<text x="{LEFT + 18}" y="{y}" font-size="12" fill="#0b0c0c">{escape(s.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: tuple[int, ...], label: str) -> str:
    """A small trend line of weekly counts for a table row (the row's numbers say the same)."""
    width, height = 120, 28
    peak = max([1, *values])
    step = width / max(1, len(values) - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * v / peak:.1f}" for i, v in enumerate(values))
    return (
        f'<svg class="insights-spark" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/></svg>'
    )
