"""A city's colours for its widget, and the WCAG 2.1 contrast rules they must pass.

A theme is stored in ``PartnerCity.theme`` as a few ``#rrggbb`` colours; the widget
turns them into CSS custom properties. Every pair that is shown together must reach
4.5:1 (text, WCAG 1.4.3) or 3:1 (the outline of the call button, WCAG 1.4.11), so a
city can never publish an unreadable widget.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Keys a city may set, with their defaults (the app's own colours).
DEFAULT_THEME: dict[str, str] = {
    "background": "#ffffff",
    "text": "#16181d",
    "primary": "#1d4ed8",
    "on_primary": "#ffffff",
}
# Fixed colours of the widget that a theme does not change (calls and 112 look the same
# everywhere), checked against the city's background too.
CALL_COLOUR = "#0b6b30"
SOS_COLOUR = "#a11212"

# (foreground, background, minimum ratio, what the pair is, in German and English)
CONTRAST_RULES = (
    ("text", "background", 4.5, "Text auf Hintergrund", "text on background"),
    ("primary", "background", 4.5, "Links und Überschriften auf Hintergrund",
     "links and headings on background"),
    ("on_primary", "primary", 4.5, "Schrift auf Schaltflächen", "text on buttons"),
    ("call", "background", 3.0, "Anruf-Schaltfläche auf Hintergrund",
     "call button on background"),
    ("sos", "background", 3.0, "Notruf-Schaltfläche auf Hintergrund",
     "emergency call button on background"),
)  # fmt: skip

_HEX = re.compile(r"^#(?:[0-9a-f]{3}|[0-9a-f]{6})$")


class ThemeError(ValueError):
    """A theme that is refused, with every reason (German and English)."""

    def __init__(self, reasons: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(en for _, en in reasons))
        self.reasons = reasons

    @property
    def message_de(self) -> str:
        """The reasons in German, for the console."""
        return "; ".join(de for de, _ in self.reasons)


def parse_colour(value: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` as an (r, g, b) tuple of 0..255; ValueError otherwise."""
    text = value.strip().lower()
    if not _HEX.fullmatch(text):
        raise ValueError(value)
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance as defined by WCAG 2.1."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1.0 to 21.0)."""
    a, b = (relative_luminance(parse_colour(c)) for c in (first, second))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def effective_theme(stored: Mapping[str, str] | None) -> dict[str, str]:
    """The defaults overlaid with a city's stored colours."""
    return {**DEFAULT_THEME, **{k: v for k, v in (stored or {}).items() if k in DEFAULT_THEME}}


def check_theme(colours: Mapping[str, str]) -> dict[str, str]:
    """Validate ``colours`` (a subset of the theme keys); returns them normalised.

    Raises :class:`ThemeError` naming every unknown key, malformed colour and every
    pair below its minimum contrast, with the measured ratio.
    """
    reasons: list[tuple[str, str]] = []
    cleaned: dict[str, str] = {}
    for key, value in colours.items():
        if key not in DEFAULT_THEME:
            valid = ", ".join(DEFAULT_THEME)
            reasons.append((f"Unbekannte Farbe '{key}' (möglich: {valid})",
                            f"unknown colour '{key}' (valid: {valid})"))  # fmt: skip
            continue
        try:
            parse_colour(str(value))
        except ValueError:
            reasons.append((f"'{value}' ist keine Farbe für {key} (Form #rrggbb)",
                            f"'{value}' is not a colour for {key} (use #rrggbb)"))  # fmt: skip
            continue
        cleaned[key] = str(value).strip().lower()
    if reasons:
        raise ThemeError(reasons)
    theme = {**effective_theme(cleaned), "call": CALL_COLOUR, "sos": SOS_COLOUR}
    for fg, bg, minimum, what_de, what_en in CONTRAST_RULES:
        ratio = contrast_ratio(theme[fg], theme[bg])
        if ratio < minimum:
            shown = f"{ratio:.2f}:1"
            reasons.append((
                f"{what_de}: Kontrast {shown} ({theme[fg]} auf {theme[bg]}), "
                f"nötig sind mindestens {minimum:g}:1".replace(".", ","),
                f"{what_en}: contrast {shown} ({theme[fg]} on {theme[bg]}), "
                f"at least {minimum:g}:1 is needed",
            ))  # fmt: skip
    if reasons:
        raise ThemeError(reasons)
    return cleaned


def css_variables(stored: Mapping[str, str] | None) -> str:
    """The theme as a ``:root`` rule of CSS custom properties (values are validated colours)."""
    theme = dict(DEFAULT_THEME)
    for key, value in effective_theme(stored).items():
        try:  # a theme written past check_theme (raw SQL) must not inject CSS
            parse_colour(value)
            theme[key] = value
        except (ValueError, AttributeError):
            continue
    body = ";".join(f"--w-{key.replace('_', '-')}:{value}" for key, value in theme.items())
    return f":root{{{body}}}"
