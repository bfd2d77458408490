"""CSV imports of a guild's data: what the business and roster imports are made of.

The public functions live in :mod:`backend.imports.businesses` and
:mod:`backend.imports.rosters`; this package holds their parts:

- :mod:`.run`: the steps every import shares (read, validate, report, write in one
  transaction, audit);
- :mod:`.row_errors`: ordering errors and naming lines that repeat a key;
- :mod:`.cells`: parsers of single cells (text, numbers, phones, yes/no, ...);
- ``business_*``: columns, row parsing, locating, storing and exporting businesses;
- ``roster*``: parsing and storing the shifts of the emergency-duty roster.
"""
