"""In-process search latency while guild staff edit, and a fresh process's first searches.

The writer edits one business a second through the console's operation
(:func:`backend.businesses.operations.update_business`: the form's cells with the hours
changed, checked by the business rules, audited), then commits as the console does.
Every edit moves the search data version on, so every search after an edit finds the
process's index one version behind and patches it (``backend.search.index_patch``)
before it answers.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from collections.abc import Callable
from time import perf_counter, perf_counter_ns

from flask import Flask
from sqlalchemy import func, select

from backend.audit.operations import Actor
from backend.businesses.models import Business
from backend.businesses.operations import BusinessInvalid, EditRules, form_cells, update_business
from backend.extensions import db
from benchmarks.timing import Latency

EDIT_INTERVAL_S = 1.0
HOURS = ("Mo-Fr 07:00-17:00; PH off", "24/7", "Mo-Sa 08:00-18:00; PH off")
ACTOR = Actor("benchmark-writer", staff_id=None, grant_id=None)


class Writer:
    """A thread editing one random business every ``EDIT_INTERVAL_S``, until stopped."""

    def __init__(self, app: Flask, seed: int) -> None:
        self.app, self.rng = app, random.Random(seed)
        self.edits = 0
        self.refused = 0  # businesses the rules refused to save as they stood
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with self.app.app_context():
            highest = db.session.scalar(select(func.max(Business.id))) or 0
            rules = EditRules.from_config(self.app.config)
            while not self._stop.wait(EDIT_INTERVAL_S):
                while not self._edit(self.rng.randint(1, highest), rules):
                    pass  # a business the rules refuse as it stands: another one
            db.session.remove()

    def _edit(self, business_id: int, rules: EditRules) -> bool:
        business = db.session.get(Business, business_id)
        if business is None:
            return False
        cells = form_cells(business)
        cells["opening_hours"] = self.rng.choice(
            [hours for hours in HOURS if hours != cells.get("opening_hours")]
        )
        try:
            update_business(business, cells, version=business.version, actor=ACTOR, rules=rules)
        except BusinessInvalid:
            db.session.rollback()
            self.refused += 1
            return False
        db.session.commit()
        self.edits += 1
        return True


def time_under_writes(
    app: Flask, queries: list, search: Callable, seed: int, seconds: float = 10.0
) -> tuple[Latency, int]:
    """Latency of ``search`` over ``queries`` (repeated for ``seconds`` at least) while the
    writer edits; and how many edits it made."""
    durations = []
    until = perf_counter() + seconds
    with Writer(app, seed) as writer:
        while perf_counter() < until or not durations:
            for query in queries:
                started = perf_counter_ns()
                search(query)
                durations.append(perf_counter_ns() - started)
                db.session.remove()
    return Latency.of(durations), writer.edits


def fresh_process(url: str, count: int, seed: int, spread: str = "population") -> dict:
    """Start a new process on the database and time its first ``count`` searches.

    The process serves as a server does (``SEARCH_INDEX = "background"``): its first
    searches may come before its index is built.
    """
    command = [sys.executable, "-m", "benchmarks.fresh", url, str(count), str(seed), spread]
    started = perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    result["wall_seconds"] = perf_counter() - started
    return result
