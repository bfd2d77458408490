"""Console pages: statistics per week (charts, tables, CSV) and hard-to-reach businesses."""

from __future__ import annotations

import io

from flask import Response, flash, redirect, render_template, request, url_for

from backend.calls.models import SEARCH_CHANNELS
from backend.calls.reachability import set_demote_unreachable
from backend.console.access import require_guild, requires, staff
from backend.console.blueprint import console_blueprint
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.grants import managed_guild
from backend.console.i18n import tr
from backend.console.insight import report
from backend.core.types import utcnow
from backend.extensions import db
from backend.hours import BERLIN
from backend.imports.csv_write import write_csv
from backend.reference.catalogue import trades_by_slug
from backend.roster.charts import bar_chart, legend_colours
from backend.roster.coverage import partner_cities
from backend.roster.stats import (
    STAT_COLUMNS,
    reachability_rules,
    unreachable_businesses,
    weekly_totals,
)

# Serves /console/insight/static/insight.css.
bp = console_blueprint("console_insight", __name__, url_prefix="/insight", static_folder="static")


def _guild_and_filters():
    """The guild the person may read and the page's filters."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=False)
    cities = partner_cities()
    today = utcnow().astimezone(BERLIN).date()
    filters = report.read_filters(request.args, today, {city.slug for city in cities})
    return guild, filters, cities


def call_segments() -> tuple[str, str, str]:
    """The parts of a call bar, in the page's language."""
    return (tr("erreicht", "reached"), tr("nicht erreicht", "not reached"),
            tr("ohne Antwort", "no answer"))  # fmt: skip


@bp.get("/")
@requires()
def stats():
    """Calls, "reached?" answers and searches without a business, per week."""
    guild, filters, cities = _guild_and_filters()
    calls = report.call_rows(filters, guild.id)
    searches = report.search_rows(filters)
    segments = call_segments()
    call_bars = report.call_totals(weekly_totals(calls), filters.period)
    search_bars = report.search_totals(searches, filters.period)
    charts = {
        "calls": bar_chart(
            call_bars, segments, key="calls", title=tr("Anrufe je Woche", "Calls per week"),
            desc=tr("Anrufe bei Betrieben des Verbands je Kalenderwoche, gestapelt: erreicht, "
                    "nicht erreicht, ohne Antwort. Die Zahlen stehen in der Tabelle darunter.",
                    "Calls to the association's businesses per calendar week, stacked: reached, "
                    "not reached, no answer. The numbers are in the table below."),
        ),
        "searches": bar_chart(
            search_bars, (tr("Suchen", "searches"),), key="searches",
            title=tr("Suchen ohne verfügbaren Betrieb je Woche",
                     "Searches without an available business per week"),
            desc=tr("Suchen, bei denen kein Betrieb verfügbar war, je Kalenderwoche. "
                    "Die Zahlen stehen in der Tabelle darunter.",
                    "Searches that found no available business, per calendar week. "
                    "The numbers are in the table below."),
        ),
    }  # fmt: skip
    return render_template(
        "console/insight/stats.html",
        guild=guild, guilds=visible_guilds(), filters=filters, cities=cities,
        trades=trades_by_slug(), channels=SEARCH_CHANNELS, charts=charts,
        call_bars=call_bars, search_bars=search_bars, calls=calls, searches=searches,
        legend=legend_colours(segments), args=filters.query_args(guild.slug),
    )  # fmt: skip


@bp.get("/export.csv")
@requires()
def export():
    """The rows of the page as CSV (``what=calls|searches``; ``excel=1``: BOM and ``;``)."""
    guild, filters, _cities = _guild_and_filters()
    what = "searches" if request.args.get("what") == "searches" else "calls"
    excel = request.args.get("excel") == "1"
    out = io.StringIO()
    if what == "searches":
        write_csv(out, report.SEARCH_COLUMNS, report.search_rows(filters), excel=excel)
    else:
        write_csv(out, STAT_COLUMNS, report.call_rows(filters, guild.id), excel=excel)
    name = f"{guild.slug}-{what}-{filters.period.first.isoformat()}{'-excel' if excel else ''}"
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/reachability")
@requires("admin", "guild_staff")
def reachability():
    """The guild's businesses whose recent calls were answered "not reached" too often."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=False)
    return render_template(
        "console/insight/reachability.html",
        guild=guild, guilds=visible_guilds(), flagged=unreachable_businesses(guild.id),
        rules=reachability_rules(),
    )  # fmt: skip


@bp.post("/order/<slug>")
@requires("admin", "guild_staff")
def listing_order(slug: str) -> Response:
    """The guild's choice (on its page): hard-to-reach businesses after the reached ones."""
    guild = managed_guild(slug)
    set_demote_unreachable(guild, request.form.get("demote_unreachable") == "1",
                           actor=staff().email)  # fmt: skip
    db.session.commit()
    flash(tr("Gespeichert.", "Saved."))
    return redirect(url_for("console.guild", slug=guild.slug))
