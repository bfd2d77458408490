"""Reading the audit log: field-by-field rows of a business or a person, filtered, as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO

from sqlalchemy import Select, select

from backend.audit.models import AuditFieldChange, AuditLogEntry
from backend.extensions import db
from backend.hours import BERLIN
from backend.imports.csv_write import write_csv

CSV_COLUMNS = ("at", "actor", "grant_id", "action", "entity_type", "entity_id", "field",
               "old_value", "new_value")  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """Which rows: by field, action and actor text, and Berlin dates from/until (inclusive)."""

    field: str = ""
    action: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One changed field of one entry (entries without field changes give one empty row)."""

    at: datetime
    actor: str
    grant_id: int | None
    action: str
    entity_type: str
    entity_id: str | None
    field: str | None
    old_value: str | None
    new_value: str | None


def _query(filters: AuditFilters) -> Select:
    query = (
        select(
            AuditLogEntry.at, AuditLogEntry.actor, AuditLogEntry.grant_id,
            AuditLogEntry.action, AuditLogEntry.entity_type, AuditLogEntry.entity_id,
            AuditFieldChange.field, AuditFieldChange.old_value, AuditFieldChange.new_value,
        )
        .outerjoin(AuditFieldChange, AuditFieldChange.entry_id == AuditLogEntry.id)
        .order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc(), AuditFieldChange.id)
    )  # fmt: skip
    if filters.field:
        query = query.where(AuditFieldChange.field == filters.field)
    if filters.action:
        query = query.where(AuditLogEntry.action == filters.action)
    if filters.actor:
        query = query.where(AuditLogEntry.actor.ilike(f"%{filters.actor}%"))
    if filters.since:
        query = query.where(AuditLogEntry.at >= datetime.combine(filters.since, time(), BERLIN))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), BERLIN)
        query = query.where(AuditLogEntry.at < end)
    return query


def _rows(query: Select, limit: int | None) -> Iterator[AuditRow]:
    if limit is not None:
        query = query.limit(limit)
    for values in db.session.execute(query):
        yield AuditRow(*values)


def business_rows(business_id: int, filters: AuditFilters, limit: int | None = 500) -> list:
    """The audit rows of one business, newest first."""
    query = _query(filters).where(
        AuditLogEntry.entity_type == "Business", AuditLogEntry.entity_id == str(business_id)
    )
    return list(_rows(query, limit))


def person_rows(staff_id: int, filters: AuditFilters, limit: int | None = 500) -> list:
    """What one staff account changed, newest first."""
    return list(_rows(_query(filters).where(AuditLogEntry.actor_id == staff_id), limit))


def write_audit_csv(rows: list[AuditRow], stream: IO[str], *, excel: bool = False) -> int:
    """The rows as CSV (times in Berlin, ISO 8601), neutralised against formulas."""

    def cells() -> Iterator[list[str]]:
        for row in rows:
            yield [
                row.at.astimezone(BERLIN).isoformat(timespec="seconds"), row.actor,
                "" if row.grant_id is None else str(row.grant_id), row.action, row.entity_type,
                row.entity_id or "", row.field or "", row.old_value or "", row.new_value or "",
            ]  # fmt: skip

    return write_csv(stream, CSV_COLUMNS, cells(), excel=excel)
