"""A business's ref, compared without regard to case: ``pr-d1`` and ``PR-D1`` are one business.

Guild staff type refs by hand (into the console's search, the CLI, a CSV made in a
spreadsheet that capitalises), so a ref matches whatever its letters' case. Only the
ASCII letters fold: that is what SQLite's ``lower()`` does, and PostgreSQL's
``lower()`` under the "C" collation, so Python, both databases and the unique index
(``uq_businesses_guild_ref_key``, migration 0016) agree on which refs are the same.
Other characters compare exactly. The stored ref keeps the case it was written in.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ref_key(ref: str) -> str:
    """The form of ``ref`` that refs are compared by (ASCII letters lowered)."""
    return ref.translate(_ASCII_LOWER)


class ref_key_of(FunctionElement[str]):
    """SQL: :func:`ref_key` of a ref column, spelled as the unique index spells it."""

    type = String()
    inherit_cache = True
    name = "ref_key_of"


@compiles(ref_key_of)
def _ref_key_sql(element: ref_key_of, compiler: SQLCompiler, **kw) -> str:
    (column,) = element.clauses
    return f"lower({compiler.process(column, **kw)})"


@compiles(ref_key_of, "postgresql")
def _ref_key_postgresql(element: ref_key_of, compiler: SQLCompiler, **kw) -> str:
    # Under a locale collation PostgreSQL would fold Ä to ä too, and disagree with SQLite.
    # Spelled as PostgreSQL reflects it, so that alembic sees the index as declared.
    (column,) = element.clauses
    return f'lower({compiler.process(column, **kw)} COLLATE "C")'
