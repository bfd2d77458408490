"""The printable Aushang: a city's emergency duty for some days as an A4 PDF.

fpdf2 embeds (a subset of) the TrueType font, so umlauts print on every printer;
DejaVu Sans comes from Debian's fonts-dejavu-core (``PRINT_FONT_DIR`` overrides).
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import segno
from flask import current_app
from fpdf import FPDF

from backend.organisations.models import PartnerCity
from backend.reference.catalogue import get_emergency
from backend.roster.notice import NoticeSection, day_bounds, notice_sections
from backend.roster.wording import EMERGENCY_LINES, km, long_date, span_text

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"


class FontMissing(RuntimeError):
    """The TrueType font for the notice is not installed."""


def font_dir() -> Path:
    """Where DejaVu Sans lies (``PRINT_FONT_DIR`` or Debian's fonts-dejavu-core)."""
    directory = Path(current_app.config.get("PRINT_FONT_DIR") or DEFAULT_FONT_DIR)
    missing = [name for name in FONT_FILES.values() if not (directory / name).is_file()]
    if missing:
        raise FontMissing(
            f"{', '.join(missing)} not found in {directory}: install fonts-dejavu-core "
            "or set PRINT_FONT_DIR."
        )
    return directory


class _Notice(FPDF):
    """A4 portrait with the city in the footer of every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        directory = font_dir()
        for style, name in FONT_FILES.items():
            self.add_font("DejaVu", style, str(directory / name))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(16, 14, 16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 4, f"{self.footer_text} · Seite {self.page_no()}/{{nb}}", align="C")


def aushang_pdf(
    city: PartnerCity, first_day: date, days: int, app_url: str, issued: datetime
) -> bytes:
    """The notice for ``days`` days from ``first_day``, as PDF bytes."""
    last_day = first_day + timedelta(days=days - 1)
    pdf = _Notice(f"Notdienst {city.name} · Stand {issued:%d.%m.%Y %H:%M} · {app_url}")
    pdf.set_title(f"Notdienst {city.name}")
    pdf.set_lang("de")
    pdf.add_page()
    _header(pdf, city, first_day, last_day, app_url)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        start, end = day_bounds(day)
        _day(pdf, day, notice_sections(city, start, end))
    return bytes(pdf.output())


def _header(pdf: FPDF, city: PartnerCity, first: date, last: date, app_url: str) -> None:
    qr = io.BytesIO()
    segno.make(app_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=164, y=12, w=30, h=30)
    pdf.set_font("DejaVu", "B", 20)
    pdf.cell(140, 10, f"Handwerker-Notdienst {city.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(140, 6, f"{long_date(first)} bis {long_date(last)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(140, 5, "Jetzt erreichbare Betriebe: QR-Code scannen", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y() + 3, 44))  # below the QR code
    pdf.set_fill_color(255, 235, 235)
    pdf.set_font("DejaVu", "B", 10)
    for line in EMERGENCY_LINES:
        pdf.multi_cell(0, 5.5, line, fill=True, new_x="LMARGIN", new_y="NEXT")
    gas = get_emergency("gasgeruch")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, f"{gas.label_de}: {gas.advice_de or ''}", fill=True,
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(2)


def _day(pdf: FPDF, day: date, sections: list[NoticeSection]) -> None:
    if pdf.will_page_break(24):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, long_date(day), border="B", new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        pdf.set_font("DejaVu", "B", 8.5)
        pdf.cell(0, 5, section.category.label_de, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8.5)
        if not section.entries:
            pdf.cell(0, 4.5, "   Kein Betrieb erreichbar – bei Gefahr Notruf 112.",
                     new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        for entry in section.entries:
            when = ", ".join(span_text(span) for span in entry.reachable)
            kind = "Notdienst" if entry.on_duty else "erreichbar"
            pdf.cell(78, 4.5, f"   {entry.name}"[:52])
            pdf.set_font("DejaVu", "B", 8.5)
            pdf.cell(32, 4.5, entry.phone_display)
            pdf.set_font("DejaVu", "", 8.5)
            pdf.cell(16, 4.5, km(entry.distance_km), align="R")
            pdf.cell(0, 4.5, f"  {kind} {when}"[:60], new_x="LMARGIN", new_y="NEXT")
