"""``/console/messaging/``: every outbound SMS and call of a guild's businesses.

With the ``console`` provider (the default of ``make run``) nothing leaves the machine,
and this list is where the sent messages are seen.
"""

from __future__ import annotations

from flask import render_template, request

from backend.console.access import may_edit_guild, requires, staff
from backend.console.blueprint import console_blueprint
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.messaging.message_list import (
    PURPOSES,
    STATUS_FILTERS,
    STATUSES,
    messages_page,
    shown_body,
    shown_number,
)

bp = console_blueprint("console_messages", __name__, url_prefix="/messaging")


def _before() -> int | None:
    raw = request.args.get("before", "")
    return int(raw) if raw.isdigit() else None


@bp.get("/")
@requires()
def index() -> str:
    """The guild's messages, newest first: status, provider, error and attempts."""
    guilds = visible_guilds()
    guild = chosen_guild(guilds)
    status = request.args.get("status", "all")
    status = status if status in STATUS_FILTERS else "all"
    rows, next_before = messages_page(guild.id, status, _before())
    # City editors read every guild's list; numbers only for staff allowed for the guild.
    allowed = may_edit_guild(staff(), guild)
    return render_template(
        "console/messaging/messages.html",
        guild=guild, guilds=guilds, rows=rows, status=status, next_before=next_before,
        number=lambda e164: shown_number(e164, allowed), body=shown_body,
        purposes=PURPOSES, statuses=STATUSES,
    )  # fmt: skip
