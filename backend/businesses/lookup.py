"""Finding a guild's business by the ref that staff type (see :mod:`backend.businesses.refs`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from backend.businesses.models import Business
from backend.businesses.refs import ref_key, ref_key_of
from backend.extensions import db


def ref_matches(ref: str) -> ColumnElement[bool]:
    """SQL: the business's ref is ``ref``, whatever the case of its letters (indexed)."""
    return ref_key_of(Business.ref) == ref_key(ref)


def business_ids_by_ref(guild_id: int, ref: str) -> Select:
    """SQL: the id of the business of guild ``guild_id`` whose ref matches ``ref``."""
    return select(Business.id).where(Business.guild_id == guild_id, ref_matches(ref))


def find_business_by_ref(guild_id: int, ref: str) -> Business | None:
    """The business of guild ``guild_id`` whose ref matches ``ref``, or None."""
    return db.session.scalar(
        select(Business).where(Business.guild_id == guild_id, ref_matches(ref))
    )
