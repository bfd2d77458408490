"""The words a business may text: AN, NOTDIENST AN, AN BIS 22:00, AUS, STATUS, JA.

Case, spaces and trailing punctuation do not matter. None of them is one of the words
Twilio handles itself (STOP, START, HELP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE,
OPTOUT, CANCEL): those never reach this webhook as commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

# Twilio answers these itself (opt-out and help); a command must never be one of them.
TWILIO_RESERVED = frozenset(
    {"STOP", "START", "HELP", "UNSUBSCRIBE", "END", "QUIT", "STOPALL", "REVOKE", "OPTOUT",
     "CANCEL", "UNSTOP", "INFO", "STOPP", "ARRET"}
)  # fmt: skip

_ON = re.compile(
    r"^(?:NOTDIENST )?AN(?: BIS (?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?: UHR)?)?$"
)
_OFF = re.compile(r"^(?:NOTDIENST )?AUS$")


@dataclass(frozen=True)
class Command:
    """A parsed SMS: ``kind`` is on, off, status, confirm or unknown."""

    kind: str
    until: time | None = None


def normalise(text: str) -> str:
    """Upper case, one space between words, no punctuation around them."""
    words = re.sub(r"[^\w:.]+", " ", text.upper()).replace(" .", " ").split()
    return " ".join(word.strip(".") or word for word in words)


def parse_command(text: str) -> Command:
    """What the business asks for; ``unknown`` for anything else."""
    words = normalise(text)
    if words in ("STATUS",):
        return Command("status")
    if words in ("JA", "J"):
        return Command("confirm")
    if _OFF.match(words):
        return Command("off")
    match = _ON.match(words)
    if match:
        if match["hour"] is None:
            return Command("on")
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if hour == 24 and minute == 0:
            hour = 0
        if hour > 23 or minute > 59:
            return Command("unknown")
        return Command("on", time(hour, minute))
    return Command("unknown")
