"""Helpers of the console's duty plan tests: shifts and swaps of a guild, committed."""

from __future__ import annotations

from datetime import datetime

from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import GuildAssociation
from backend.roster.swaps import ask_swap
from tests import factories
from tests.console.business_helpers import make_business


def berlin(text: str) -> datetime:
    """``2026-12-11 18:00`` as a Berlin time."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def make_shift(guild: GuildAssociation, start="2026-12-11 18:00", end="2026-12-14 07:00",
               **business) -> int:  # fmt: skip
    """A committed plumber's shift (a new business of ``guild``); returns its id."""
    owner = db.session.get(Business, make_business(guild, **business))
    shift = factories.shift(owner, "klempner", berlin(start), berlin(end))
    db.session.commit()
    return shift.id


def make_swap(guild: GuildAssociation) -> int:
    """A committed swap asked between two plumbers of ``guild``; returns its id."""
    giver = db.session.get(Business, make_business(guild, name="Gibt ab"))
    shift = factories.shift(giver, "klempner", berlin("2026-12-11 18:00"),
                            berlin("2026-12-14 07:00"))  # fmt: skip
    taker = db.session.get(Business, make_business(guild, name="Übernimmt"))
    swap, _ = ask_swap(shift, taker, actor="test")
    db.session.commit()
    return swap.id
