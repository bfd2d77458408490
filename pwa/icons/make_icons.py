"""Draw the app icons as SVG and PNG (192 and 512 px, plain and maskable), stdlib only.

Run ``python pwa/icons/make_icons.py`` after changing the design; the outputs are
committed. The PNGs are rasterised here (4x4 supersampling) from the same shapes the
SVGs describe: a white house with an exclamation mark on a red ground.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
RED = (155, 28, 28)
WHITE = (255, 255, 255)
HOUSE = [(256, 104), (424, 262), (376, 262), (376, 424), (136, 424), (136, 262), (88, 262)]
BAR = (236, 252, 276, 356)  # x0, y0, x1, y1 of the exclamation bar
DOT = (256, 390, 22)  # centre and radius of its dot
CORNER = 104  # corner radius of the plain icon; the maskable one is full-bleed
MASKABLE_SCALE = 0.76  # keeps the drawing inside the 80 % safe zone


def _inside_polygon(x: float, y: float, points: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _inside_rounded_square(x: float, y: float, size: float, radius: float) -> bool:
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def _sample(x: float, y: float, maskable: bool) -> tuple[int, int, int, int]:
    """Colour of the 512-unit design at (x, y)."""
    if not maskable and not _inside_rounded_square(x, y, 512, CORNER):
        return (0, 0, 0, 0)
    if maskable:  # shrink the drawing around the centre
        x = 256 + (x - 256) / MASKABLE_SCALE
        y = 256 + (y - 256) / MASKABLE_SCALE
    bar = BAR[0] <= x <= BAR[2] and BAR[1] <= y <= BAR[3]
    dot = (x - DOT[0]) ** 2 + (y - DOT[1]) ** 2 <= DOT[2] ** 2
    if bar or dot:
        return (*RED, 255)
    if _inside_polygon(x, y, HOUSE):
        return (*WHITE, 255)
    return (*RED, 255)


def rasterise(size: int, maskable: bool, samples: int = 4) -> bytes:
    """RGBA rows with a filter byte each, ready for zlib."""
    scale = 512 / size
    rows = bytearray()
    offsets = [(i + 0.5) / samples for i in range(samples)]
    for py in range(size):
        rows.append(0)
        for px in range(size):
            acc = [0, 0, 0, 0]
            for oy in offsets:
                for ox in offsets:
                    r, g, b, a = _sample((px + ox) * scale, (py + oy) * scale, maskable)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            n = samples * samples
            if alpha:
                rows += bytes((acc[0] // alpha, acc[1] // alpha, acc[2] // alpha, alpha // n))
            else:
                rows += b"\0\0\0\0"
    return bytes(rows)


def png(size: int, rgba_rows: bytes) -> bytes:
    """A minimal RGBA PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rgba_rows, 9))
        + chunk(b"IEND", b"")
    )


def svg(maskable: bool) -> str:
    """The same design as SVG."""
    house = " ".join(f"{x},{y}" for x, y in HOUSE)
    ground = (
        '<rect width="512" height="512" fill="#9b1c1c"/>'
        if maskable
        else f'<rect width="512" height="512" rx="{CORNER}" fill="#9b1c1c"/>'
    )
    transform = (
        f' transform="translate(256 256) scale({MASKABLE_SCALE}) translate(-256 -256)"'
        if maskable
        else ""
    )
    x0, y0, x1, y1 = BAR
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f"{ground}<g{transform}>"
        f'<polygon points="{house}" fill="#fff"/>'
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="#9b1c1c"/>'
        f'<circle cx="{DOT[0]}" cy="{DOT[1]}" r="{DOT[2]}" fill="#9b1c1c"/>'
        "</g></svg>\n"
    )


def main() -> None:
    """Write icon.svg, maskable.svg and the four PNGs next to this script."""
    (HERE / "icon.svg").write_text(svg(maskable=False))
    (HERE / "maskable.svg").write_text(svg(maskable=True))
    for size in (192, 512):
        (HERE / f"icon-{size}.png").write_bytes(png(size, rasterise(size, maskable=False)))
        (HERE / f"maskable-{size}.png").write_bytes(png(size, rasterise(size, maskable=True)))


if __name__ == "__main__":
    main()
