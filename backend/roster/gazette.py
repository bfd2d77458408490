"""Plain texts for the local paper, the town's official gazette and the planning rules."""

from __future__ import annotations

from datetime import date, timedelta

from backend.organisations.models import PartnerCity
from backend.reference.catalogue import get_emergency
from backend.roster.coverage import city_coverage, period_bounds
from backend.roster.notice import coming_weekend, notice_sections
from backend.roster.scores import balance_scores
from backend.roster.wording import EMERGENCY_LINES, km, long_date, percent, span_text

# How far ahead the published scores look.
SCORE_WEEKS = 4


def weekend_text(city: PartnerCity, today: date) -> str:
    """The coming weekend's duty (Friday 18:00 to Monday 07:00) of ``city`` as plain text."""
    start, end = coming_weekend(today)
    lines = [
        f"Handwerker-Notdienst {city.name} am Wochenende",
        f"{long_date(start.date())}, 18:00 Uhr, bis {long_date(end.date())}, 7:00 Uhr",
        "",
        *EMERGENCY_LINES,
        f"Gasgeruch: {get_emergency('gasgeruch').advice_de or ''}",
    ]
    for section in notice_sections(city, start, end):
        lines += ["", f"{section.category.label_de}:"]
        if not section.entries:
            lines.append("  kein Betrieb erreichbar – bei Gefahr Notruf 112")
        for entry in section.entries:
            when = ", ".join(span_text(span, with_day=True) for span in entry.reachable)
            kind = "Notdienst" if entry.on_duty else "erreichbar"
            phone = f"Tel. {entry.phone_display} ({km(entry.distance_km)})"
            lines.append(f"  {entry.name}, {phone}, {kind} {when}")
    return "\n".join(lines) + "\n"


def rules_text(city: PartnerCity, today: date) -> str:
    """The planning rules with the coverage and balance scores of the coming weeks."""
    first, last = today, today + timedelta(weeks=SCORE_WEEKS, days=-1)
    start, end = period_bounds(first, last)
    coverage = city_coverage(city, start, end)
    lines = [
        f"Planungsregeln des Handwerker-Notdienstes für {city.name}",
        "",
        "Versorgt ist die Stadt für einen Notfall in jeder Minute, in der mindestens ein",
        "aktiver Betrieb eines passenden Gewerks erreichbar ist (Öffnungszeiten,",
        "Notdienstzeiten oder eingetragener Notdienst) und der Stadtmittelpunkt sowohl im",
        f"Einsatzgebiet des Betriebs als auch höchstens {km(city.coverage_km)} entfernt liegt",
        "(Luftlinie). Betriebe aller Innungen zählen. Eine Lücke ist eine Zeitspanne ohne",
        "Versorgung. Abstand nach Ortsgröße wie bei Apothekenkammern: 10 km ab 80.000,",
        "16 km ab 20.000 Einwohnern, sonst 25 km. Aushänge nennen alle Betriebe im",
        "Notdienst, immer aber die zwei nächsten erreichbaren.",
        "",
        f"Versorgung {long_date(first)} bis {long_date(last)} (Anteil der Zeit, Lücken):",
    ]
    for emergency, gaps in coverage.gaps.items():
        if get_emergency(emergency).trades:
            label = get_emergency(emergency).label_de
            lines.append(f"  {label}: {percent(coverage.score(emergency))} ({len(gaps)} Lücken)")
    lines += ["", "Verteilung der Notdienststunden je Gewerk (Betriebe im Notdienst):"]
    for balance in balance_scores(start, end):
        lines.append(
            f"  {balance.trade}: {balance.businesses} Betriebe, {balance.total_hours:g} h, "
            f"min/max {balance.min_hours:g}/{balance.max_hours:g} h, "
            f"Gini {balance.gini:.2f}, Variationskoeffizient {balance.coefficient_of_variation:.2f}"
        )
    return "\n".join(lines) + "\n"
