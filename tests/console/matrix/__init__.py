"""The console's authorization matrix: every route x every role -> the expected status.

Each area keeps its entries in a module of its own in this package (``core.py``,
``businesses.py``, ...), as a list named ``ENTRIES``; the test collects every module.
One line per route and method; the columns of ``expect`` are, in this order:

    anonymous  admin  guild_own  guild_foreign  city_own  city_foreign

"own" accounts belong to ``world.guild`` / ``world.city``, "foreign" ones to
``world.foreign_guild`` / ``world.foreign_city``; URLs name the own objects, e.g.
``"/console/guilds/{guild.slug}"``. A URL can also be a function of the world that
creates the data it needs (``lambda w: f"/console/businesses/{make_business(w.guild)}"``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "admin", "guild_own", "guild_foreign", "city_own", "city_foreign")


@dataclass(frozen=True)
class Route:
    """One route and method with the status each role gets."""

    method: str
    url: str | Callable[[Any], str]
    expect: dict[str, int]
    data: dict[str, Any] = field(default_factory=dict)
    area: str = ""

    def build_url(self, world: Any) -> str:
        """The URL for this world."""
        if callable(self.url):
            return self.url(world)
        return self.url.format(guild=world.guild, city=world.city, world=world)

    @property
    def label(self) -> str:
        url = self.url if isinstance(self.url, str) else getattr(self.url, "__name__", "url")
        return f"{self.method} {url}"


def route(method: str, url: str | Callable, expect: str, **data: Any) -> Route:
    """An entry: ``expect`` is six statuses, e.g. ``"302 200 200 403 403 403"``."""
    statuses = [int(s) for s in expect.split()]
    if len(statuses) != len(ROLES):
        raise ValueError(f"{method} {url}: expected {len(ROLES)} statuses, got {expect!r}")
    return Route(method.upper(), url, dict(zip(ROLES, statuses, strict=True)), data)


def all_entries() -> list[Route]:
    """Every entry of every module in this package."""
    entries = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for entry in module.ENTRIES:
            entries.append(Route(entry.method, entry.url, entry.expect, entry.data, info.name))
    return entries
