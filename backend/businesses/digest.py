"""The weekly digest of businesses due for verification, one message per guild association.

Sent to the guild's active staff (``flask businesses verification digest``, weekly from
cron); a guild with nothing due gets no message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from backend.businesses.verification import due_businesses
from backend.extensions import db
from backend.hours import BERLIN
from backend.organisations.models import GuildAssociation, StaffUser

LISTED_IN_MAIL = 200  # more are counted, and found in the console's list


@dataclass(frozen=True, slots=True)
class Digest:
    """One guild's message: to whom, subject and plain-text body (German, then English)."""

    guild: GuildAssociation
    recipients: list[str]
    subject: str
    body: str
    due_count: int


def guild_recipients(guild: GuildAssociation) -> list[str]:
    """The e-mail addresses of the guild's active staff."""
    return list(
        db.session.scalars(
            select(StaffUser.email)
            .where(
                StaffUser.guild_id == guild.id,
                StaffUser.role == "guild_staff",
                StaffUser.active.is_(True),
            )
            .order_by(StaffUser.email)
        )
    )


def build_digest(
    guild: GuildAssociation, now: datetime, due_months: int, console_url: str
) -> Digest | None:
    """The digest of ``guild`` at ``now``; None when nothing is due or nobody would read it."""
    due = due_businesses(guild.id, now, due_months, limit=LISTED_IN_MAIL + 1)
    recipients = guild_recipients(guild)
    if not due or not recipients:
        return None
    shown = due[:LISTED_IN_MAIL]
    more = "" if len(due) <= LISTED_IN_MAIL else f"\n… und weitere / and more: {console_url}\n"
    lines = []
    for row in shown:
        checked = (
            row.verified_at.astimezone(BERLIN).strftime("%d.%m.%Y") if row.verified_at else "nie"
        )
        lines.append(f"- {row.name} ({row.ref}, {row.city or '–'}), geprüft: {checked}")
    count = f"{len(shown)}+" if more else str(len(shown))
    body = (
        f"Guten Tag,\n\nbei {guild.name} sind {count} Betriebe zur Prüfung fällig "
        f"(nicht geprüft seit {due_months} Monaten):\n\n" + "\n".join(lines) + "\n" + more +
        f"\nPrüfen und „Heute geprüft“ vermerken: {console_url}\n\n"
        f"--\n{count} businesses of {guild.name} are due for verification "
        f"(not checked for {due_months} months). Check them in the console: {console_url}\n"
    )  # fmt: skip
    subject = f"{count} Betriebe zur Prüfung fällig – {guild.name}"
    return Digest(guild, recipients, subject, body, len(shown))


def all_digests(now: datetime, due_months: int, console_url: str) -> list[Digest]:
    """The digest of every guild with something due, by guild name."""
    guilds = db.session.scalars(select(GuildAssociation).order_by(GuildAssociation.name))
    found = (build_digest(guild, now, due_months, console_url) for guild in guilds)
    return [digest for digest in found if digest is not None]
