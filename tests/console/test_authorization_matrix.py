"""Every console route x every role (own and foreign data) -> the expected status.

The entries live in tests/console/matrix/<area>.py; a console route without an entry
fails ``test_every_console_route_has_a_matrix_entry``.
"""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.console.matrix import ROLES, all_entries
from tests.console.staff_helpers import make_world, sign_in

ENTRIES = all_entries()
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _endpoint(app, url: str, method: str) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(url.split("?")[0], method=method)
    except (NotFound, MethodNotAllowed) as exc:
        raise AssertionError(f"{method} {url} matches no route") from exc
    return endpoint


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.area}:{e.label}")
def test_route_answers_each_role_as_the_matrix_says(app, client, monkeypatch, entry):
    # Authorization is tested here; CSRF has tests of its own.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    world = make_world()
    url = entry.build_url(world)
    got = {}
    for number, role in enumerate(ROLES, start=1):
        browser = app.test_client()
        # Each role from an address of its own: rate limits per address stay out of it.
        browser.environ_base["REMOTE_ADDR"] = f"192.0.2.{number}"
        if role != "anonymous":
            sign_in(browser, world.accounts[role])
        with browser.open(url, method=entry.method, data=entry.data) as response:
            got[role] = response.status_code
    assert got == entry.expect, f"{entry.method} {url}"


def test_every_console_route_has_a_matrix_entry(app, app_context):
    world = make_world()
    covered = {(_endpoint(app, e.build_url(world), e.method), e.method) for e in ENTRIES}
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/console")
        for method in rule.methods - IGNORED_METHODS
        if (rule.endpoint, method) not in covered
    )
    assert missing == [], "add these routes to tests/console/matrix/<area>.py: " + ", ".join(
        missing
    )


def test_matrix_entries_have_six_columns():
    from tests.console.matrix import route

    with pytest.raises(ValueError, match="expected 6 statuses"):
        route("GET", "/console/x", "302 200")
