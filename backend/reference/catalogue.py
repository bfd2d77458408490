"""Reference data look-ups (trades, emergency categories), served from memory.

Reference data is published by migrations and never changes while the application
runs (slugs are part of URLs that city portals link to). So it is read once per
application (that is, per process and database) into a frozen :class:`Catalogue`
and every look-up is a dictionary access. :func:`clear_catalogue` forgets it, for a
process that changes reference data (a migration in the same process, tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from backend.extensions import db
from backend.reference.models import EmergencyCategory, Trade, emergency_trades

EXTENSION_KEY = "reference_catalogue"


class UnknownSlug(ValueError):
    """A trade or emergency slug that does not exist; carries the valid ones."""

    def __init__(self, kind: str, slug: str, valid: list[str]) -> None:
        super().__init__(f"Unknown {kind} '{slug}'. Valid: {', '.join(valid)}")
        self.kind = kind
        self.slug = slug
        self.valid = valid


@dataclass(frozen=True)
class TradeRef:
    """Immutable snapshot of a trade row, safe to cache across requests."""

    id: int
    slug: str
    name_de: str
    name_en: str


@dataclass(frozen=True)
class EmergencyRef:
    """Immutable snapshot of an emergency category with its trades (ordered by id)."""

    id: int
    slug: str
    label_de: str
    label_en: str
    icon: str
    safety_level: str
    advice_de: str | None
    advice_en: str | None
    first_call: str | None
    trades: tuple[TradeRef, ...]

    @property
    def safety(self) -> dict[str, Any] | None:
        """The advice shown before tradespeople, or None where none applies."""
        if self.safety_level == "none":
            return None
        return {
            "level": self.safety_level,
            "advice_de": self.advice_de,
            "advice_en": self.advice_en,
            "call_first": self.first_call,
        }


@dataclass(frozen=True)
class Catalogue:
    """All reference data of one database, in display order, with look-up maps."""

    trades: tuple[TradeRef, ...]
    emergencies: tuple[EmergencyRef, ...]
    trade_by_slug: Mapping[str, TradeRef] = field(init=False, repr=False, compare=False)
    trade_slug_by_id: Mapping[int, str] = field(init=False, repr=False, compare=False)
    emergency_by_slug: Mapping[str, EmergencyRef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived read-only maps; object.__setattr__ because the dataclass is frozen.
        maps = {
            "trade_by_slug": {t.slug: t for t in self.trades},
            "trade_slug_by_id": {t.id: t.slug for t in self.trades},
            "emergency_by_slug": {e.slug: e for e in self.emergencies},
        }
        for name, mapping in maps.items():
            object.__setattr__(self, name, MappingProxyType(mapping))


def load_catalogue() -> Catalogue:
    """Read the reference tables (three small queries)."""
    trades = tuple(
        TradeRef(row.id, row.slug, row.name_de, row.name_en)
        for row in db.session.execute(
            select(Trade.id, Trade.slug, Trade.name_de, Trade.name_en).order_by(
                Trade.sort_order, Trade.id
            )
        )
    )
    by_id = {trade.id: trade for trade in trades}
    links: dict[int, list[TradeRef]] = {}
    for emergency_id, trade_id in db.session.execute(
        select(emergency_trades.c.emergency_id, emergency_trades.c.trade_id).order_by(
            emergency_trades.c.trade_id
        )
    ):
        links.setdefault(emergency_id, []).append(by_id[trade_id])
    columns = EmergencyCategory.__table__.c
    emergencies = tuple(
        EmergencyRef(
            id=row.id, slug=row.slug, label_de=row.label_de, label_en=row.label_en,
            icon=row.icon, safety_level=row.safety_level, advice_de=row.advice_de,
            advice_en=row.advice_en, first_call=row.first_call,
            trades=tuple(links.get(row.id, ())),
        )
        for row in db.session.execute(
            select(*columns).order_by(columns.sort_order, columns.id)
        )
    )  # fmt: skip
    return Catalogue(trades, emergencies)


def catalogue() -> Catalogue:
    """The reference data of the current application, read on first use."""
    extensions = current_app.extensions
    found = extensions.get(EXTENSION_KEY)
    if found is None:
        found = load_catalogue()
        # An empty catalogue means the migrations have not run yet: read again next time.
        if found.trades:
            extensions[EXTENSION_KEY] = found
    return found


def clear_catalogue(app: Flask | None = None) -> None:
    """Forget the cached reference data of ``app`` (default: the current application)."""
    (app or current_app).extensions.pop(EXTENSION_KEY, None)


def list_trades() -> list[TradeRef]:
    """All trades in display order."""
    return list(catalogue().trades)


def list_emergencies() -> list[dict[str, Any]]:
    """All emergency categories with their trades and safety advice."""
    return [emergency_as_dict(category) for category in catalogue().emergencies]


def emergency_as_dict(category: EmergencyRef) -> dict[str, Any]:
    """Serialisable view of a category, with ``safety`` set only where advice applies."""
    return {
        "slug": category.slug,
        "label_de": category.label_de,
        "label_en": category.label_en,
        "icon": category.icon,
        "trades": list(category.trades),
        "safety": category.safety,
    }


def trades_by_slug() -> dict[str, TradeRef]:
    """Map of trade slug to an immutable trade snapshot."""
    return dict(catalogue().trade_by_slug)


def trade_slugs_by_id() -> Mapping[int, str]:
    """Map of trade id to slug (read-only view, no copy)."""
    return catalogue().trade_slug_by_id


def get_trade(slug: str) -> TradeRef:
    """The trade with this slug, or :class:`UnknownSlug` listing the valid ones."""
    found = catalogue().trade_by_slug.get(slug)
    if found is None:
        raise UnknownSlug("trade", slug, sorted(catalogue().trade_by_slug))
    return found


def get_emergency(slug: str) -> EmergencyRef:
    """The emergency category with this slug, or :class:`UnknownSlug`."""
    found = catalogue().emergency_by_slug.get(slug)
    if found is None:
        raise UnknownSlug("emergency", slug, sorted(catalogue().emergency_by_slug))
    return found
