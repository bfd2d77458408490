"""Matrix entries of the admin pages, the shared-service grants and the password links."""

from datetime import timedelta

from backend.core.types import utcnow
from backend.extensions import db
from backend.organisations.grants import create_grant
from tests.console.matrix import route
from tests.console.staff_helpers import make_account


def a_target_account(world) -> str:
    """An account of its own to (de)activate, so the matrix accounts stay signed in."""
    target = make_account("city_editor", city=world.foreign_city, email="ziel@example.org")
    return f"/console/admin/staff/{target.user.id}/active"


def a_grant(world) -> str:
    """A grant from the own guild to the foreign one, to be revoked."""
    now = utcnow()
    grant = create_grant(world.guild, world.foreign_guild, now, now + timedelta(days=1),
                         actor="test")  # fmt: skip
    db.session.commit()
    return f"/console/guilds/{world.guild.slug}/grants/{grant.id}/revoke"


# fmt: off
ENTRIES = [
    #      method  url                                    anon admin g.own g.for c.own c.for
    route("GET",  "/console/admin/guilds",                 "302  200   403   403   403   403"),
    route("POST", "/console/admin/guilds",                 "302  200   403   403   403   403"),
    route("GET",  "/console/admin/guilds/{guild.slug}",    "302  200   403   403   403   403"),
    route("POST", "/console/admin/guilds/{guild.slug}",    "302  200   403   403   403   403"),
    route("GET",  "/console/admin/cities",                 "302  200   403   403   403   403"),
    route("GET",  "/console/admin/cities/new",             "302  200   403   403   403   403"),
    route("POST", "/console/admin/cities/new",             "302  200   403   403   403   403"),
    route("GET",  "/console/admin/cities/{city.slug}",     "302  200   403   403   403   403"),
    route("POST", "/console/admin/cities/{city.slug}",     "302  200   403   403   403   403"),
    route("GET",  "/console/admin/staff",                  "302  200   403   403   403   403"),
    route("POST", "/console/admin/staff",                  "302  200   403   403   403   403"),
    route("POST", a_target_account,                        "302  302   403   403   403   403"),
    route("POST", "/console/guilds/{guild.slug}/grants",   "302  200   200   403   403   403"),
    route("POST", a_grant,                                 "302  302   302   403   403   403"),
    route("GET",  "/console/reset",                        "200  200   200   200   200   200"),
    route("POST", "/console/reset",                        "200  200   200   200   200   200"),
    route("GET",  "/console/reset/not-a-token",            "410  410   410   410   410   410"),
    route("POST", "/console/reset/not-a-token",            "410  410   410   410   410   410"),
    route("GET",  "/console/invitation/not-a-token",       "410  410   410   410   410   410"),
    route("POST", "/console/invitation/not-a-token",       "410  410   410   410   410   410"),
]
# fmt: on
