"""Console edits of businesses: create, update, deactivate, restore (never a hard delete).

Input arrives as cells of text named like the CSV import's columns (the console's form
fields), so the import's rules apply unchanged (:mod:`backend.businesses.validation`,
:mod:`backend.businesses.location`), with the same German messages per field. Every
save is checked against the version the editor saw (optimistic locking on the
``version`` column): a stale save raises :class:`EditConflict` and writes nothing.
Each change is audited field by field. Operations flush, never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from backend.audit.operations import Actor, record_change
from backend.businesses.location import BusinessLocator
from backend.businesses.lookup import business_ids_by_ref
from backend.businesses.models import Business
from backend.businesses.validation import TRADE_SEPARATOR, BusinessRules, NumberPolicy
from backend.core.types import utcnow
from backend.extensions import db
from backend.geo.geocoding import Location, locate_address
from backend.imports.business_fields import COLUMNS, FIELDS, defaults
from backend.imports.cells import to_text
from backend.imports.report import RowError
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trade_slugs_by_id, trades_by_slug
from backend.reference.models import Trade


class BusinessInvalid(ValueError):
    """Cells that cannot be saved: every error, by column (English and German)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors

    def by_column(self) -> dict[str, list[RowError]]:
        """The errors grouped by form field (``""`` for errors of the whole record)."""
        grouped: dict[str, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.column or "", []).append(error)
        return grouped


class EditConflict(RuntimeError):
    """Someone saved the business after the editor loaded it; nothing was written.

    ``mine`` are the editor's cells at ``my_version``; ``theirs`` the stored cells at
    ``their_version`` (None when the race was only noticed while writing: reload them).
    """

    def __init__(
        self,
        business_id: int,
        mine: Mapping[str, str],
        my_version: int,
        theirs: dict[str, str] | None,
        their_version: int | None,
    ) -> None:
        super().__init__(
            f"business {business_id} was saved by someone else "
            f"(version {their_version}, edited from version {my_version})"
        )
        self.business_id = business_id
        self.mine, self.my_version = dict(mine), my_version
        self.theirs, self.their_version = theirs, their_version


@dataclass(frozen=True, slots=True)
class EditRules:
    """The limits and geocoder an edit is checked with (the import's, from configuration)."""

    max_radius_km: float
    locate: Callable[..., Location] = field(default=locate_address)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EditRules:
        """The rules of the running app: ``MAX_SERVICE_RADIUS_KM`` and ``GEOCODER_*``."""
        locate = partial(
            locate_address,
            geocoder_url=config.get("GEOCODER_URL") or None,
            user_agent=config.get("GEOCODER_USER_AGENT", "handwerker-schnellruf"),
            timeout=config.get("GEOCODER_TIMEOUT_S", 5),
        )
        return cls(float(config["MAX_SERVICE_RADIUS_KM"]), locate)


def stored_values(business: Business) -> dict[str, Any]:
    """The business's stored fields, as the import compares them."""
    return {name: getattr(business, name) for name in FIELDS}


def form_cells(business: Business) -> dict[str, str]:
    """The business as the cells of its form (and of an export row)."""
    cells = {name: to_text(getattr(business, name)) for name in COLUMNS if name != "trades"}
    cells["trades"] = TRADE_SEPARATOR.join(trade.slug for trade in business.trades)
    return cells


def _checked(
    cells: Mapping[str, str],
    stored: dict[str, Any] | None,
    rules: EditRules,
    guild: GuildAssociation,
) -> tuple[dict[str, Any], frozenset[int]]:
    """Values and trade ids of the cells merged over ``stored``, or :class:`BusinessInvalid`."""
    trades = {slug: ref.id for slug, ref in trades_by_slug().items()}
    row = {name: cells.get(name, "") for name in COLUMNS}
    if stored is not None and _same_position(cells, stored):
        # Coordinates left as they were: found again from the address if that changed.
        del row["lat"], row["lon"]
    parser = BusinessRules(rules.max_radius_km, trades, NumberPolicy.of(guild))
    values, trade_ids, errors = parser.parse(0, row)
    record = {**(stored if stored is not None else defaults()), **values}
    if not errors:
        errors = BusinessLocator(rules.locate).locate(0, row, record, stored)
    if errors:
        raise BusinessInvalid(errors)
    assert trade_ids is not None
    return record, trade_ids


def _same_position(cells: Mapping[str, str], stored: dict[str, Any]) -> bool:
    return (cells.get("lat", "").strip(), cells.get("lon", "").strip()) == (
        to_text(stored["lat"]),
        to_text(stored["lon"]),
    )


def _ref_taken(guild_id: int, ref: str, business_id: int | None) -> bool:
    found = db.session.scalar(business_ids_by_ref(guild_id, ref))
    return found is not None and found != business_id


def _ref_error(ref: str) -> BusinessInvalid:
    return BusinessInvalid(
        [
            RowError(
                0,
                "ref",
                ref,
                f"another business of this guild has ref '{ref}'",
                f"ein anderer Betrieb dieser Innung hat bereits die ref „{ref}“",
            )
        ]
    )


def _trade_objects(trade_ids: frozenset[int]) -> list[Trade]:
    return list(db.session.scalars(select(Trade).where(Trade.id.in_(trade_ids))))


def create_business(
    guild: GuildAssociation, cells: Mapping[str, str], *, actor: Actor, rules: EditRules
) -> Business:
    """A new business of ``guild`` from form cells; :class:`BusinessInvalid` if bad."""
    record, trade_ids = _checked(cells, None, rules, guild)
    if _ref_taken(guild.id, record["ref"], None):
        raise _ref_error(record["ref"])
    business = Business(guild=guild, **record)
    business.set_trades(_trade_objects(trade_ids))
    db.session.add(business)
    db.session.flush()
    slugs = trade_slugs_by_id()
    changes = {name: (None, value) for name, value in record.items() if value is not None}
    changes["trades"] = (None, sorted(slugs[i] for i in trade_ids))
    record_change(actor, "create", business, {"guild": guild.slug}, changes=changes)
    return business


def _check_version(business: Business, version: int, mine: Mapping[str, str]) -> None:
    if business.version != version:
        raise EditConflict(business.id, mine, version, form_cells(business), business.version)


def _flush(business: Business, mine: Mapping[str, str], version: int) -> None:
    """Flush; a save that raced past the version check becomes an :class:`EditConflict`."""
    business_id = business.id  # unreadable once the failed flush has rolled back
    try:
        db.session.flush()
    except StaleDataError:
        raise EditConflict(business_id, mine, version, None, None) from None


def update_business(
    business: Business,
    cells: Mapping[str, str],
    *,
    version: int,
    actor: Actor,
    rules: EditRules,
) -> dict[str, tuple[Any, Any]]:
    """Save form cells over ``business`` as seen at ``version``; returns what changed.

    Raises :class:`EditConflict` when the business is no longer at ``version`` and
    :class:`BusinessInvalid` for bad cells; nothing is written then. An unchanged form
    writes nothing (the version stays).
    """
    _check_version(business, version, cells)
    stored = stored_values(business)
    record, trade_ids = _checked(cells, stored, rules, business.guild)
    if record["ref"] != stored["ref"] and _ref_taken(business.guild_id, record["ref"], business.id):
        raise _ref_error(record["ref"])
    changes: dict[str, tuple[Any, Any]] = {
        name: (stored[name], record[name]) for name in FIELDS if record[name] != stored[name]
    }
    old_trades = frozenset(link.trade_id for link in business.trade_links)
    if trade_ids != old_trades:
        slugs = trade_slugs_by_id()
        changes["trades"] = (
            sorted(slugs[i] for i in old_trades),
            sorted(slugs[i] for i in trade_ids),
        )
    if not changes:
        return changes
    new_trades = _trade_objects(trade_ids) if "trades" in changes else None  # before any change
    with db.session.no_autoflush:
        for name in FIELDS:
            setattr(business, name, record[name])
        if new_trades is not None:
            business.set_trades(new_trades)
        # The row itself is written (its version moves on) even when only trades changed.
        business.updated_at = utcnow()
    _flush(business, cells, version)
    record_change(actor, "update", business, {"version": business.version}, changes=changes)
    return changes


def set_active(business: Business, active: bool, *, version: int, actor: Actor) -> None:
    """Deactivate (out of every listing, kept with its history) or restore a business."""
    _check_version(business, version, form_cells(business))
    if business.active == active:
        return
    business.active = active
    _flush(business, form_cells(business), version)
    record_change(
        actor,
        "restore" if active else "deactivate",
        business,
        {"version": business.version},
        changes={"active": (not active, active)},
    )
