"""The console's list of a guild's businesses: filters, search by name or ref, keyset paging.

Pages follow (name, id) from the index ``ix_businesses_guild_name``: page n costs what
page 1 costs, at 100,000 businesses too (no OFFSET).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, request
from sqlalchemy import Select, exists, func, or_, select, tuple_

from backend.businesses.lookup import business_ids_by_ref
from backend.businesses.models import Business, BusinessTrade
from backend.businesses.verification import due_clause
from backend.console.access import staff, writable_guild_ids
from backend.extensions import db
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import trades_by_slug
from backend.roster.stats import unreachable_businesses

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list shows: a guild's businesses matching all given filters."""

    guild_id: int
    q: str = ""
    trade: str = ""
    town: str = ""
    active: str = "yes"  # yes | no | all
    due: bool = False
    unreachable: bool = False  # reachability problems, by the rule of backend.roster.stats

    def query_args(self, guild_slug: str) -> dict[str, str]:
        """The filters as query arguments (for links to further pages and exports)."""
        args = {"guild": guild_slug, "q": self.q, "trade": self.trade, "town": self.town,
                "active": self.active, "due": "1" if self.due else "",
                "unreachable": "1" if self.unreachable else ""}  # fmt: skip
        return {key: value for key, value in args.items() if value}


def visible_guilds() -> list[GuildAssociation]:
    """Guilds whose businesses the signed-in person may see, by name."""
    user = staff()
    ids = None if user.role == "city_editor" else writable_guild_ids(user)
    query = select(GuildAssociation).order_by(GuildAssociation.name)
    if ids is not None:
        query = query.where(GuildAssociation.id.in_(ids or [-1]))
    return list(db.session.scalars(query))


def chosen_guild(guilds: list[GuildAssociation]) -> GuildAssociation:
    """The guild of ``?guild=slug``, else the person's own, else the first they may see."""
    slug = request.args.get("guild") or request.form.get("guild")
    if slug:
        found = next((guild for guild in guilds if guild.slug == slug), None)
        if found is None:
            abort(403 if db.session.scalar(select(GuildAssociation.id).where(
                GuildAssociation.slug == slug)) else 404)  # fmt: skip
        return found
    own = staff().guild_id
    found = next((guild for guild in guilds if guild.id == own), None)
    if found is None and not guilds:
        abort(403)
    return found or guilds[0]


def read_filters(guild: GuildAssociation) -> Filters:
    """The filters of the request's query arguments (unknown values are ignored)."""
    args = request.args
    active = args.get("active", "yes")
    trade = args.get("trade", "")
    return Filters(
        guild_id=guild.id,
        q=args.get("q", "").strip()[:200],
        trade=trade if trade in trades_by_slug() else "",
        town=args.get("town", "").strip()[:120],
        active=active if active in ("yes", "no", "all") else "yes",
        due=args.get("due") == "1",
        unreachable=args.get("unreachable") == "1",
    )


def _escaped_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(filters: Filters, now: datetime) -> Select:
    """The businesses matching ``filters``, in (name, id) order."""
    query = select(Business).where(Business.guild_id == filters.guild_id)
    if filters.q:
        # The ref match is one indexed lookup; the name is read from the list's index, so
        # no business row is fetched for the ones that do not match.
        by_ref = business_ids_by_ref(filters.guild_id, filters.q)
        query = query.where(
            or_(
                Business.name.ilike(f"%{_escaped_like(filters.q)}%", escape="\\"),
                Business.id.in_(by_ref.scalar_subquery()),
            )
        )
    if filters.trade:
        trade_id = trades_by_slug()[filters.trade].id
        query = query.where(
            exists().where(
                BusinessTrade.business_id == Business.id, BusinessTrade.trade_id == trade_id
            )
        )
    if filters.town:
        query = query.where(func.lower(Business.city) == filters.town.lower())
    if filters.active != "all":
        query = query.where(Business.active.is_(filters.active == "yes"))
    if filters.due:
        query = query.where(due_clause(now, current_app.config["VERIFICATION_DUE_MONTHS"]))
    if filters.unreachable:
        flagged = [found.business_id for found in unreachable_businesses(filters.guild_id)]
        query = query.where(Business.id.in_(flagged or [-1]))
    return query.order_by(Business.name, Business.id)


def encode_cursor(business: Business) -> str:
    """The position after ``business`` in (name, id) order, for the next page's link."""
    raw = json.dumps([business.name, business.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int] | None:
    """The (name, id) of a cursor, or None for a damaged one (then page 1 is shown)."""
    try:
        name, business_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(name, str) or not isinstance(business_id, int):
        return None
    return name, business_id


def page(filters: Filters, now: datetime, after: str | None) -> tuple[list[Business], str | None]:
    """One page of businesses after the cursor ``after``, and the next page's cursor."""
    query = filtered(filters, now)
    position = decode_cursor(after) if after else None
    if position is not None:
        name, business_id = position
        # A row-value comparison: one range of the index (name, id), at any depth.
        query = query.where(tuple_(Business.name, Business.id) > tuple_(name, business_id))
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, encode_cursor(rows[-1]) if more else None
