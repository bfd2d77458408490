"""Planning the Notdienstplan: add, move and remove shifts, templates, publishing a period.

Operations flush and audit; the view or command that called them commits once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from backend.audit.operations import Actor, record_change
from backend.businesses.models import Business
from backend.extensions import db
from backend.hours import BERLIN, merge_intervals
from backend.hours.availability import Interval
from backend.hours.holidays import public_holidays
from backend.organisations.models import GuildAssociation
from backend.reference.catalogue import get_trade, trade_slugs_by_id
from backend.roster.coverage import Gap, find_gaps, period_bounds
from backend.roster.models import RosterPublication, RosterShift

TEMPLATES = ("weekends", "holidays", "nights")


class PlanningError(ValueError):
    """A shift or plan that cannot be made, with a message for staff.

    ``str()`` is the English message (the CLI prints it); ``de`` the German one the
    console shows (the English one where no German was given).
    """

    def __init__(self, en: str, de: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.de = de or en


@dataclass(frozen=True)
class Publication:
    """A published period and the gaps that remained when it was published."""

    record: RosterPublication
    gaps: list[Gap]


def add_shift(
    business: Business, trade_slug: str, start: datetime, end: datetime, *, actor: str | Actor
) -> RosterShift:
    """Put ``business`` on duty for ``trade_slug`` during [start, end)."""
    trade = check_shift(business, trade_slug, start, end)
    shift = RosterShift(business=business, trade_id=trade.id, starts_at=start, ends_at=end)
    db.session.add(shift)
    db.session.flush()
    record_change(actor, "create", shift, _details(shift))
    return shift


def move_shift(
    shift: RosterShift, start: datetime, end: datetime, *, actor: str | Actor
) -> RosterShift:
    """Give ``shift`` a new span (same business and trade)."""
    business = db.session.get(Business, shift.business_id)
    check_shift(business, trade_slug_of(shift), start, end, ignore=shift.id)
    before = _details(shift)
    shift.starts_at, shift.ends_at = start, end
    db.session.flush()
    record_change(actor, "update", shift, {"before": before, "after": _details(shift)})
    return shift


def remove_shift(shift: RosterShift, *, actor: str | Actor) -> None:
    """Take ``shift`` out of the plan."""
    record_change(actor, "delete", shift, _details(shift))
    db.session.delete(shift)
    db.session.flush()


def template_spans(
    template: str, first_day: date, last_day: date, land: str = "ST"
) -> list[Interval]:
    """The spans of a template within the days, merged, as Berlin datetimes.

    ``weekends``: Friday 18:00 to Monday 07:00; ``holidays``: the eve of each public
    holiday of ``land`` 18:00 to the next day 07:00; ``nights``: Monday to Thursday
    18:00 to 07:00 the next morning.
    """
    if template not in TEMPLATES:
        raise PlanningError(
            f"Unknown template '{template}' (valid: {', '.join(TEMPLATES)}).",
            f"Unbekannte Vorlage „{template}“ (möglich: {', '.join(TEMPLATES)}).",
        )
    period_bounds(first_day, last_day)  # checks the period
    spans = list(_template_days(template, first_day, last_day, land))
    return merge_intervals(spans)


def _template_days(template: str, first: date, last: date, land: str) -> Iterator[Interval]:
    day = first
    holidays: set[date] = set()
    for year in range(first.year, last.year + 2):
        holidays |= public_holidays(land, year)
    while day <= last:
        weekday = day.weekday()
        if template == "weekends" and weekday == 4:
            yield _span(day, time(18), day + timedelta(days=3), time(7))
        elif template == "holidays" and day in holidays:
            yield _span(day - timedelta(days=1), time(18), day + timedelta(days=1), time(7))
        elif template == "nights" and weekday <= 3:
            yield _span(day, time(18), day + timedelta(days=1), time(7))
        day += timedelta(days=1)


def _span(first: date, start: time, last: date, end: time) -> Interval:
    return datetime.combine(first, start, BERLIN), datetime.combine(last, end, BERLIN)


def publish_plan(
    guild: GuildAssociation, first_day: date, last_day: date, *, actor: str | Actor
) -> Publication:
    """Publish the plan of ``guild`` for the days; returns every gap that remains.

    Gaps are those of all active partner cities: a resident does not care which
    guild left them open.
    """
    gaps = find_gaps(first_day, last_day)
    record = RosterPublication(
        guild_id=guild.id, first_day=first_day, last_day=last_day,
        published_by=actor_name(actor), gap_count=len(gaps),
    )  # fmt: skip
    db.session.add(record)
    db.session.flush()
    record_change(actor, "publish", record, {
        "first_day": first_day.isoformat(), "last_day": last_day.isoformat(), "gaps": len(gaps),
    })  # fmt: skip
    return Publication(record, gaps)


def check_shift(
    business: Business | None,
    trade_slug: str,
    start: datetime,
    end: datetime,
    ignore: int | None = None,
):
    """The trade of a valid shift; raises :class:`PlanningError` with the reason."""
    if business is None or not business.active:
        raise PlanningError(
            "Only an active business can be put on duty.",
            "Nur ein aktiver Betrieb kann Notdienst haben.",
        )
    trade = get_trade(trade_slug)
    if trade.id not in {link.trade_id for link in business.trade_links}:
        raise PlanningError(
            f"{business.name} does not have the trade '{trade_slug}'.",
            f"{business.name} hat das Gewerk „{trade_slug}“ nicht.",
        )
    if start.utcoffset() is None or end.utcoffset() is None:
        raise PlanningError(
            "Times need a time zone (Europe/Berlin).",
            "Zeiten brauchen eine Zeitzone (Europe/Berlin).",
        )
    if end.astimezone(UTC) <= start.astimezone(UTC):
        raise PlanningError(
            "A shift must end after it starts.", "Eine Schicht muss nach ihrem Beginn enden."
        )
    overlap = db.session.scalar(
        select(RosterShift.id).where(
            RosterShift.business_id == business.id,
            RosterShift.trade_id == trade.id,
            RosterShift.starts_at < end,
            RosterShift.ends_at > start,
            RosterShift.id != (ignore or -1),
        )
    )
    if overlap is not None:
        raise PlanningError(
            f"{business.name} is already on duty for '{trade_slug}' then.",
            f"{business.name} hat in dieser Zeit schon Notdienst für „{trade_slug}“.",
        )
    return trade


def actor_name(actor: str | Actor) -> str:
    """The name an actor is stored under (a console actor also carries its account and grant)."""
    return actor.name if isinstance(actor, Actor) else actor


def trade_slug_of(shift: RosterShift) -> str:
    return trade_slugs_by_id()[shift.trade_id]


def _details(shift: RosterShift) -> dict[str, object]:
    return {
        "business_id": shift.business_id,
        "trade": trade_slug_of(shift),
        "start": shift.starts_at.astimezone(BERLIN).isoformat(),
        "end": shift.ends_at.astimezone(BERLIN).isoformat(),
    }
