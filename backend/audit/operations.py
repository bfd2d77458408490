"""The audit log: every change staff or tools make to the database."""

from __future__ import annotations

from typing import Any

from backend.audit.models import AuditLogEntry
from backend.extensions import db


def record_change(actor: str, action: str, entity: Any, details: dict[str, Any]) -> AuditLogEntry:
    """Add an audit entry for ``entity`` to the session (committed with the change)."""
    entry = AuditLogEntry(
        actor=actor,
        action=action,
        entity_type=type(entity).__name__ if not isinstance(entity, str) else entity,
        entity_id=str(getattr(entity, "id", "")) or None,
        details=details,
    )
    db.session.add(entry)
    return entry
