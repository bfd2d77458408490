"""Derive Germany's simplified outline from the gazetteer's own points (no outside data).

Method, stated as it is: every postcode centroid and every place of the offline gazetteer
(``backend/data/postcodes_de.csv``, ``places_de.csv``; about 8,000 and 40,000 points) marks
its cell of a grid of GRID_LAT x GRID_LON degrees; the marked cells are grown by one cell
in every direction (so the outline runs about 5 to 15 km beyond the outermost German
places, roughly where the border is), holes are filled, and the boundary of each region is
traced and simplified (Douglas-Peucker, TOLERANCE degrees). It is not the legal border: a
point within about 10 km of the border may be judged either way; Prague (90 km from it),
the North Sea off the coast and the Baltic are outside.

Run ``python -m scripts.build_germany_outline`` to write ``backend/data/germany_outline.json``.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "backend" / "data"
GRID_LAT, GRID_LON = 0.1, 0.15
TOLERANCE = 0.06


def gazetteer_points() -> list[tuple[float, float]]:
    """Every (lat, lon) of the postcode and place files."""
    points = []
    for name in ("postcodes_de.csv", "places_de.csv"):
        with (DATA / name).open(encoding="utf-8") as file:
            points += [(float(row["lat"]), float(row["lon"])) for row in csv.DictReader(file)]
    return points


def filled_cells(points: list[tuple[float, float]]) -> set[tuple[int, int]]:
    """Cells with a point, grown by one cell, with every enclosed hole filled."""
    marked = {(math.floor(lat / GRID_LAT), math.floor(lon / GRID_LON)) for lat, lon in points}
    grown = {(i + di, j + dj) for i, j in marked for di in (-1, 0, 1) for dj in (-1, 0, 1)}
    rows = [i for i, _ in grown]
    cols = [j for _, j in grown]
    low_i, high_i, low_j, high_j = min(rows) - 1, max(rows) + 1, min(cols) - 1, max(cols) + 1
    outside, stack = set(), [(low_i, low_j)]
    while stack:  # flood fill of the outside from a corner beyond every region
        cell = stack.pop()
        i, j = cell
        if cell in outside or cell in grown or not (low_i <= i <= high_i and low_j <= j <= high_j):
            continue
        outside.add(cell)
        stack += [(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)]
    return {
        (i, j)
        for i in range(low_i, high_i + 1)
        for j in range(low_j, high_j + 1)
        if (i, j) not in outside
    }


def boundary_rings(cells: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The closed boundaries of the cells, as rings of grid corners (i, j)."""
    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for i, j in cells:  # each cell's sides that face outside, counter-clockwise
        for inside, start, end in (
            ((i - 1, j), (i, j), (i, j + 1)),
            ((i, j + 1), (i, j + 1), (i + 1, j + 1)),
            ((i + 1, j), (i + 1, j + 1), (i + 1, j)),
            ((i, j - 1), (i + 1, j), (i, j)),
        ):
            if inside not in cells:
                edges.setdefault(start, []).append(end)
    rings = []
    while edges:
        start = next(iter(edges))
        ring, corner = [start], start
        while True:
            following = edges[corner].pop()
            if not edges[corner]:
                del edges[corner]
            if following == start:
                break
            ring.append(following)
            corner = following
        rings.append(ring)
    return rings


def simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on an open polyline (the first and last points are kept)."""
    if len(points) < 3:
        return points
    (y1, x1), (y2, x2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1e-12
    distances = [abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length for y, x in points]
    index = max(range(1, len(points) - 1), key=distances.__getitem__)
    if distances[index] <= tolerance:
        return [points[0], points[-1]]
    return simplified(points[: index + 1], tolerance)[:-1] + simplified(points[index:], tolerance)


def outline() -> list[list[list[float]]]:
    """The simplified rings as [[lat, lon], ...] (closed implicitly)."""
    rings = []
    for ring in boundary_rings(filled_cells(gazetteer_points())):
        corners = [(i * GRID_LAT, j * GRID_LON) for i, j in ring]
        # Split the closed ring at its farthest point from the start for Douglas-Peucker.
        far = max(range(len(corners)), key=lambda k: math.dist(corners[0], corners[k]))
        half = simplified(corners[: far + 1], TOLERANCE)
        rest = simplified([*corners[far:], corners[0]], TOLERANCE)
        points = half[:-1] + rest[:-1]
        if len(points) >= 3:
            rings.append([[round(lat, 3), round(lon, 3)] for lat, lon in points])
    return rings


def main() -> None:
    """Write backend/data/germany_outline.json."""
    rings = outline()
    document = {
        "description": "Germany, simplified outline derived from the gazetteer points "
        "(scripts/build_germany_outline.py; see backend/data/LICENSES.md)",
        "grid_degrees": [GRID_LAT, GRID_LON],
        "tolerance_degrees": TOLERANCE,
        "rings": rings,
    }
    path = DATA / "germany_outline.json"
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path}: {len(rings)} rings, {sum(len(r) for r in rings)} points")


if __name__ == "__main__":
    main()
