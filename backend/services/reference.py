"""Reference data look-ups (trades, emergency categories), cached per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from backend.extensions import db
from backend.models import EmergencyCategory, Trade


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


def list_trades() -> list[Trade]:
    """All trades in display order."""
    return list(db.session.scalars(select(Trade).order_by(Trade.sort_order, Trade.id)))


def list_emergencies() -> list[dict[str, Any]]:
    """All emergency categories with their trades and safety advice."""
    rows = db.session.scalars(
        select(EmergencyCategory).order_by(EmergencyCategory.sort_order, EmergencyCategory.id)
    )
    return [emergency_as_dict(category) for category in rows]


def emergency_as_dict(category: EmergencyCategory) -> dict[str, Any]:
    """Serialisable view of a category, with ``safety`` set only where advice applies."""
    safety = None
    if category.safety_level != "none":
        safety = {
            "level": category.safety_level,
            "advice_de": category.advice_de,
            "advice_en": category.advice_en,
            "call_first": category.first_call,
        }
    return {
        "slug": category.slug,
        "label_de": category.label_de,
        "label_en": category.label_en,
        "icon": category.icon,
        "trades": category.trades,
        "safety": safety,
    }


def trades_by_slug() -> dict[str, TradeRef]:
    """Map of trade slug to an immutable trade snapshot."""
    return {t.slug: TradeRef(t.id, t.slug, t.name_de, t.name_en) for t in list_trades()}


def get_trade(slug: str) -> Trade:
    """The trade with this slug, or :class:`UnknownSlug` listing the valid ones."""
    trade = db.session.scalar(select(Trade).where(Trade.slug == slug))
    if trade is None:
        raise UnknownSlug("trade", slug, sorted(trades_by_slug()))
    return trade


def get_emergency(slug: str) -> EmergencyCategory:
    """The emergency category with this slug, or :class:`UnknownSlug`."""
    category = db.session.scalar(select(EmergencyCategory).where(EmergencyCategory.slug == slug))
    if category is None:
        valid = sorted(db.session.scalars(select(EmergencyCategory.slug)))
        raise UnknownSlug("emergency", slug, valid)
    return category
