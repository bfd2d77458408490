"""Fixtures of the duty plan's console tests: the matrix world, its own guild's staff signed in."""

from __future__ import annotations

import pytest

from tests.console.staff_helpers import make_world, sign_in


@pytest.fixture
def world(app_context):
    return make_world()


@pytest.fixture
def staff_client(app, world):
    browser = app.test_client()
    sign_in(browser, world.accounts["guild_own"])
    return browser
