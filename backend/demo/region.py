"""A fictional demo region: the Kreishandwerkerschaft Harz-Bode, three towns, a few hundred
businesses and a weekend roster. Every business is marked "(Demo)" and every phone
number lies in the ranges the Bundesnetzagentur keeps for film and TV, so a demo
call can never ring a real business.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from backend.geo.gazetteer import find_places_by_name
from backend.hours import BERLIN

GUILD_SLUG = "harz-bode"
GUILD_NAME = "Kreishandwerkerschaft Harz-Bode"
# Console accounts of the demo (one-time passwords printed by seed-demo).
ADMIN_EMAIL = "admin@schnellruf.example"
STAFF_EMAIL = "innung@schnellruf.example"

# Partner cities: slug, name, centre, default radius, portal origin.
CITIES = [
    ("halberstadt", "Halberstadt", 51.8958, 11.0467, 25.0, "https://www.halberstadt.de"),
    ("quedlinburg", "Quedlinburg", 51.7917, 11.1472, 25.0, "https://www.quedlinburg.de"),
    ("stassfurt", "Staßfurt", 51.8511, 11.5850, 25.0, "https://www.stassfurt.de"),
]

# Inhabitants (rounded): the coverage distance follows the size class (16 km here).
CITY_POPULATION = {"halberstadt": 39_000, "quedlinburg": 23_000, "stassfurt": 25_000}
# The duty the demo plan leaves open on the first coming weekend, so that a newcomer
# sees a gap (``flask roster gaps``) and can close it: no electrician on duty then.
OPEN_DUTY = ("elektrotechniker", 0)

# Towns and villages of the district with a weight ~ how many businesses they have.
# Bad Harzburg lies across the border in Lower Saxony: its holidays differ.
TOWNS = {
    "Halberstadt": 40, "Wernigerode": 34, "Quedlinburg": 26, "Staßfurt": 22,
    "Aschersleben": 22, "Blankenburg (Harz)": 16, "Thale": 14, "Bernburg (Saale)": 26,
    "Schönebeck (Elbe)": 24, "Oschersleben (Bode)": 14, "Osterwieck": 8, "Ilsenburg": 8,
    "Harzgerode": 6, "Ballenstedt": 7, "Egeln": 5, "Hecklingen": 4, "Calbe (Saale)": 7,
    "Wegeleben": 3, "Schwanebeck": 2, "Huy": 3, "Falkenstein/Harz": 3, "Gröningen": 3,
    "Seeland": 3, "Nienburg (Saale)": 3, "Könnern": 4, "Bad Harzburg": 8, "Derenburg": 2,
}  # fmt: skip

SURNAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Vogel",
]
TRADE_WORDS = {
    "installateur-heizungsbauer": ("Sanitär & Heizung", "Haustechnik"),
    "klempner": ("Klempnerei", "Bauklempnerei"),
    "elektrotechniker": ("Elektro", "Elektrotechnik"),
    "dachdecker": ("Bedachungen", "Dachdeckerei"),
    "zimmerer": ("Zimmerei", "Holzbau"),
    "glaser": ("Glaserei", "Glas & Spiegel"),
    "tischler": ("Tischlerei", "Bau- und Möbeltischlerei"),
    "metallbauer": ("Metallbau & Schlüsseldienst", "Schlosserei"),
    "kfz-techniker": ("Kfz-Werkstatt", "Autoservice"),
    "schornsteinfeger": ("Schornsteinfegermeister", "Kaminservice"),
    "kaelteanlagenbauer": ("Kälte- und Klimatechnik", "Kältetechnik"),
    "rollladen-sonnenschutztechniker": ("Rollladen & Sonnenschutz", "Rollladenbau"),
}
# Trades that often come together in one business.
TRADE_COMBINATIONS = {"installateur-heizungsbauer": "klempner", "tischler": "glaser"}
OPENING_HOURS = (
    "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
    "Mo-Fr 07:30-16:30; PH off",
    "Mo-Th 07:00-16:00; Fr 07:00-13:00; PH off",
    "Mo-Fr 08:00-18:00; Sa 09:00-13:00; PH off",
)
EMERGENCY_HOURS = ("24/7", "Mo-Fr 17:00-22:00; Sa,Su,PH 08:00-20:00", "Mo-Su 06:00-22:00")
# Bundesnetzagentur "Drama-Nummern": reserved for fiction, never assigned to anyone.
FICTIONAL_NUMBER_BLOCKS = ("+493023125", "+494066969", "+496990009", "+498999998")


def demo_businesses(count: int = 300, seed: int = 2011) -> Iterator[dict[str, str]]:
    """Rows in the business CSV format, spread over the district like real businesses."""
    rng = random.Random(seed)
    towns = [(find_places_by_name(name)[0], weight) for name, weight in TOWNS.items()]
    trades = list(TRADE_WORDS)
    for index in range(count):
        place = rng.choices([p for p, _ in towns], weights=[w for _, w in towns])[0]
        trade = trades[index % len(trades)]  # every trade well represented
        business_trades = [trade]
        if trade in TRADE_COMBINATIONS and rng.random() < 0.5:
            business_trades.append(TRADE_COMBINATIONS[trade])
        surname = rng.choice(SURNAMES)
        phone = f"{FICTIONAL_NUMBER_BLOCKS[index % 4]}{index // 4:03d}"
        emergency = rng.random() < 0.35
        yield {
            "ref": f"HB-{index + 1:04d}",
            "name": f"{rng.choice(TRADE_WORDS[trade])} {surname} (Demo)",
            "trades": ";".join(business_trades),
            "street": f"{rng.choice(('Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Am Markt'))} "
            f"{rng.randint(1, 80)}",
            "postcode": place.postcode or "",
            "city": place.name,
            # Spread around the town centre: a few hundred metres in town, more for villages.
            "lat": f"{place.lat + rng.gauss(0, 0.012):.5f}",
            "lon": f"{place.lon + rng.gauss(0, 0.018):.5f}",
            "phone": phone,
            "emergency_phone": phone if emergency else "",
            "email": f"kontakt{index + 1}@example.org",
            "website": "",
            "service_radius_km": str(rng.choice((15, 20, 25, 30, 40, 50))),
            "opening_hours": rng.choice(OPENING_HOURS),
            "emergency_hours": rng.choice(EMERGENCY_HOURS) if emergency else "",
            "accepts_new_customers": "ja" if rng.random() < 0.85 else "nein",
            "callout_price_eur": f"{rng.choice((39, 49, 59, 69, 79, 89, 99, 119))},00",
            "innungsbetrieb": "ja" if rng.random() < 0.8 else "nein",
            "meisterbetrieb": "ja" if rng.random() < 0.7 else "nein",
        }


def demo_roster(
    businesses: list[dict[str, str]], start: datetime, weekends: int = 4
) -> Iterator[dict[str, str]]:
    """Weekend shifts Friday 18:00 to Monday 07:00 (Berlin time) for every trade.

    One duty stays open on purpose (:data:`OPEN_DUTY`): the demo plan shows a gap.
    """
    by_trade: dict[str, list[str]] = {}
    for row in businesses:
        for trade in row["trades"].split(";"):
            by_trade.setdefault(trade, []).append(row["ref"])
    local = start.astimezone(BERLIN).date()
    friday = local + timedelta(days=(4 - local.weekday()) % 7)
    for week in range(weekends):
        begin = datetime.combine(friday + timedelta(weeks=week), time(18), BERLIN)
        end = datetime.combine(friday + timedelta(weeks=week, days=3), time(7), BERLIN)
        for trade, refs in sorted(by_trade.items()):
            if (trade, week) == OPEN_DUTY:
                continue
            for ref in refs[week % len(refs) :: max(1, len(refs) // 2)][:2]:
                yield {
                    "ref": ref, "trade": trade,
                    "start": begin.isoformat(), "end": end.isoformat(),
                }  # fmt: skip
