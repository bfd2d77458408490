"""The audit log: every change staff or tools make to the database, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from backend.audit.models import AuditFieldChange, AuditLogEntry
from backend.extensions import db


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: the name the log shows, their staff account, and the grant.

    ``grant_id`` names the grant between guild associations under which a person edits
    another association's data (None: their own data, or no grant involved).
    """

    name: str
    staff_id: int | None = None
    grant_id: int | None = None


def audit_text(value: Any) -> str | None:
    """A stored value as the log keeps it: text, None for empty (dates in ISO 8601)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(str(item) for item in value)
    return str(value)


def record_change(
    actor: str | Actor,
    action: str,
    entity: Any,
    details: dict[str, Any],
    *,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    grant_id: int | None = None,
) -> AuditLogEntry:
    """Add an audit entry for ``entity`` to the session (committed with the change).

    ``changes`` maps each changed field to its (old, new) value; each becomes one
    :class:`AuditFieldChange` row, stored as text (see :func:`audit_text`).
    ``grant_id`` (or ``actor.grant_id``) names the shared-service grant under which
    another guild's staff made the change (``backend.console.access.acting_grant``).
    """
    who = actor if isinstance(actor, Actor) else Actor(actor)
    entry = AuditLogEntry(
        actor=who.name,
        actor_id=who.staff_id,
        action=action,
        entity_type=type(entity).__name__ if not isinstance(entity, str) else entity,
        entity_id=str(getattr(entity, "id", "")) or None,
        details=details,
        grant_id=grant_id if grant_id is not None else who.grant_id,
    )
    for field, (old, new) in (changes or {}).items():
        entry.changes.append(
            AuditFieldChange(field=field, old_value=audit_text(old), new_value=audit_text(new))
        )
    db.session.add(entry)
    return entry
