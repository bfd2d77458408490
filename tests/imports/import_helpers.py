"""Helpers shared by the import tests: CSV files in memory and a guild to import into."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from backend.organisations.operations import create_guild

GUILD = "harz-bode"


def make_guild(slug: str = GUILD) -> None:
    """Create the guild association the imports write into."""
    create_guild(slug, f"Kreishandwerkerschaft {slug}", actor="test")


def csv_bytes(
    rows: Sequence[Sequence[str]] | Sequence[dict[str, str]],
    *,
    header: Sequence[str] | None = None,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """A CSV file as bytes: ``header`` (or the keys of the first dict row), then ``rows``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header is None:
        header = list(rows[0].keys()) if rows and isinstance(rows[0], dict) else BUSINESS_HEADER
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def business(ref: str = "B-1", **overrides: str) -> dict[str, str]:
    """A valid business row (Halberstadt plumber) with ``overrides`` applied."""
    row = {
        "ref": ref,
        "name": "Sanitär Müller GmbH",
        "trades": "installateur-heizungsbauer;klempner",
        "street": "Hauptstraße 1",
        "postcode": "38820",
        "city": "Halberstadt",
        "lat": "51.8957",
        "lon": "11.0471",
        "phone": "03941 12345",
        "emergency_phone": "0171 1234567",
        "mobile": "0171 7654321",
        "email": "info@mueller.example",
        "website": "https://mueller.example",
        "service_radius_km": "30",
        "opening_hours": "Mo-Fr 07:00-17:00; Sa 08:00-12:00; PH off",
        "emergency_hours": "24/7",
        "accepts_new_customers": "ja",
        "callout_price_eur": "89,50",
        "innungsbetrieb": "x",
        "meisterbetrieb": "nein",
    }
    row.update(overrides)
    return row


# The sample row names every column in the documented order (checked against the service's
# COLUMNS by test_export_header_matches_the_documented_columns).
BUSINESS_HEADER = list(business())
