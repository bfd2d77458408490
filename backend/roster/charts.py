"""Stacked bar charts drawn on the server as SVG: no script, no library in the browser.

A chart names itself (``<title>``) and says what it shows (``<desc>``), so a screen reader
announces it as one image; the page shows the same numbers as a table next to it. The
colours keep a contrast of at least 3:1 against white (WCAG 1.4.11), and each bar has a
``<title>`` with its numbers for a pointer hovering over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Dark blue, orange-brown, grey: distinguishable without colour vision, 3:1 on white.
PALETTE = ("#1f4e79", "#a0522d", "#6b7380")
HEIGHT, BASE, PLOT, STEP, BAR = 230, 190, 160, 48, 32


@dataclass(frozen=True)
class Bar:
    """One bar (a week): its label and one value per segment, bottom to top."""

    label: str
    values: Sequence[int]


def bar_chart(
    bars: Sequence[Bar], segments: Sequence[str], *, title: str, desc: str, key: str = "chart"
) -> str:
    """An SVG of stacked bars; ``segments`` name the parts, ``key`` makes the ids unique."""
    width = 40 + STEP * max(len(bars), 1)
    top = max((sum(bar.values) for bar in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)}</desc>',
        f'<line x1="24" y1="{BASE}" x2="{width - 8}" y2="{BASE}" stroke="#4a4f57"/>',
        f'<text x="4" y="{BASE - PLOT + 4}" font-size="10" fill="#1a1c20">{top}</text>',
    ]
    for index, bar in enumerate(bars):
        parts += _bar(30 + STEP * index, bar, segments, top)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _bar(x: int, bar: Bar, segments: Sequence[str], top: int) -> list[str]:
    """The rectangles of one stacked bar and its label below the axis."""
    out, bottom = [], float(BASE)
    summary = ", ".join(f"{name} {value}" for name, value in zip(segments, bar.values, strict=True))
    for index, value in enumerate(bar.values):
        height = PLOT * value / top
        bottom -= height
        if value:
            out.append(
                f'<rect x="{x}" y="{bottom:.1f}" width="{BAR}" height="{height:.1f}" '
                f'fill="{PALETTE[index % len(PALETTE)]}">'
                f"<title>{escape(bar.label)}: {escape(summary)}</title></rect>"
            )
    out.append(
        f'<text x="{x + BAR / 2}" y="{BASE + 16}" font-size="10" fill="#1a1c20" '
        f'text-anchor="middle">{escape(bar.label[-3:])}</text>'
    )
    return out


def legend_colours(segments: Sequence[str]) -> list[tuple[str, str]]:
    """(segment name, colour) for a legend written in HTML beside the chart."""
    return [(name, PALETTE[index % len(PALETTE)]) for index, name in enumerate(segments)]
