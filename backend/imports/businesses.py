"""Import and export of a guild's businesses as CSV.

Columns: see :data:`COLUMNS`. Only ``ref``, ``name``, ``trades``, ``phone`` and either a
``postcode`` or ``lat``/``lon`` are required. A column missing from the file keeps the
stored value (or the model default for a new business); a present but empty cell clears an
optional field. Fields that cannot be empty (``service_radius_km``) treat an empty cell like
a missing column; yes/no fields read an empty cell as "no".

Empty ``lat``/``lon`` are found from the address (street-level with a configured geocoder,
else the postcode from the offline gazetteer). The Land always comes from the postcode, or
from the gazetteer postcode nearest the coordinates when a business has none. A four-digit
postcode is a spreadsheet's doing (leading zero dropped) and gets its zero back.

Re-importing updates businesses by ``ref`` (unique per guild); a row equal to the stored
business is counted as unchanged and not written, so neither its ``version`` nor its
``updated_at`` moves. Businesses not in the file are left alone.

The whole file is validated in Python first; then everything is written with a few bulk
Core statements in one transaction, or nothing is written at all (see
:mod:`backend.imports.run`, which also says who owns the transaction). The parts
live in :mod:`backend.imports`; this module is their public face.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO

from backend.audit.operations import Actor
from backend.imports.business import business_steps
from backend.imports.business_export import export_businesses_csv
from backend.imports.business_fields import COLUMNS, header_errors
from backend.imports.business_store import ImportConflict
from backend.imports.report import ImportReport, RowError
from backend.imports.run import ImportOptions, import_csv, import_mappings

__all__ = [
    "COLUMNS",
    "ImportConflict",
    "ImportReport",
    "RowError",
    "export_businesses_csv",
    "import_businesses",
    "import_businesses_csv",
]


def import_businesses(
    rows: Iterable[Mapping[str, str]],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str | Actor,
    max_radius_km: float,
    geocoder_url: str | None = None,
    geocoder_user_agent: str = "handwerker-schnellruf",
    geocoder_timeout: float | None = None,
    first_line: int = 2,
    source: str | None = None,
) -> ImportReport:
    """Import businesses from mappings of column name to cell text (see :data:`COLUMNS`).

    Row ``i`` (from 0) is reported as line ``first_line + i``. The columns are those of the
    first row. Empty coordinates are found with the geocoder at ``geocoder_url`` (Nominatim
    API; ``None``: offline gazetteer only), asked with ``geocoder_user_agent``. Nothing is
    written when ``dry_run`` is set, or when any row is bad unless ``keep_valid`` is set;
    otherwise the valid rows are written and committed in one transaction with one audit
    entry (``source`` names the file). Raises
    :class:`~backend.organisations.operations.OrganisationError` for an unknown guild and
    :class:`ImportConflict` when businesses changed underneath the import.
    """
    return import_mappings(
        rows,
        guild_slug,
        business_steps(max_radius_km, geocoder_url, geocoder_user_agent, geocoder_timeout),
        ImportOptions(actor, dry_run, keep_valid, source),
        first_line=first_line,
        header_errors=header_errors,
    )


def import_businesses_csv(
    stream: IO[bytes],
    guild_slug: str,
    *,
    dry_run: bool = False,
    keep_valid: bool = False,
    actor: str | Actor,
    max_radius_km: float,
    geocoder_url: str | None = None,
    geocoder_user_agent: str = "handwerker-schnellruf",
    geocoder_timeout: float | None = None,
    source: str | None = None,
) -> ImportReport:
    """Import a CSV file (UTF-8 with or without BOM, ``,`` or ``;``); see :func:`import_businesses`.

    Errors carry physical line numbers (header = line 1). A damaged file (not UTF-8, bad
    header, rows with the wrong number of fields) is reported like bad rows.
    """
    return import_csv(
        stream,
        guild_slug,
        business_steps(max_radius_km, geocoder_url, geocoder_user_agent, geocoder_timeout),
        ImportOptions(actor, dry_run, keep_valid, source),
        header_errors=header_errors,
    )
