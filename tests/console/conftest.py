"""Console test fixtures: a local SMTP server, rate limits that start from zero, the world."""

from __future__ import annotations

import pytest

from backend.extensions import limiter
from tests.console.staff_helpers import make_world, sign_in
from tests.mail.smtp import smtp_server  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Every test starts with no failed sign-ins counted (the limits live in Redis).

    The limiter is one object per process, and every ``create_app`` points it at that
    app's storage: other tests' apps (some on a Redis that is down) must not leave it there.
    """
    limiter.init_app(app)
    with app.app_context():
        limiter.reset()
    yield


@pytest.fixture
def world(app_context):
    """The matrix world: two guilds, two cities and an account of each role."""
    return make_world()


@pytest.fixture
def staff_client(app, world):
    """A browser signed in as the own guild's staff."""
    browser = app.test_client()
    sign_in(browser, world.accounts["guild_own"])
    return browser
