"""Matrix entries of the business pages, verification, imports, exports and audit log."""

from tests.console.business_helpers import make_business
from tests.console.matrix import route


def business(w) -> str:
    return f"/console/businesses/{make_business(w.guild)}"


def verify(w) -> str:
    return business(w) + "/verify"


def deactivate(w) -> str:
    return business(w) + "/deactivate"


def restore(w) -> str:
    return business(w) + "/restore"


def business_audit(w) -> str:
    return f"/console/audit/businesses/{make_business(w.guild)}"


def own_staff_audit(w) -> str:
    return f"/console/audit/people/{w.accounts['guild_own'].user.id}"


# fmt: off
ENTRIES = [
    #      method url                                         anon admin g.own g.for c.own c.for
    route("GET",   "/console/businesses/?guild={guild.slug}",   "302  200   200   403   200   200"),
    route("GET",   "/console/businesses/static/businesses.css", "200  200   200   200   200   200"),
    route("GET",  "/console/businesses/new?guild={guild.slug}", "302  200   200   403   403   403"),
    route("POST",  "/console/businesses/new?guild={guild.slug}", "302  422   422   403   403   403",
          name="x"),
    route("GET",   business,                                    "302  200   200   403   200   200"),
    route("POST",  business,                                    "302  200   200   403   403   403",
          action="preview", opening_hours="24/7"),
    route("POST",  verify,                                      "302  302   302   403   403   403"),
    route("POST",  deactivate,                                  "302  302   302   403   403   403",
          version="1"),
    route("POST",  restore,                                     "302  302   302   403   403   403",
          version="1"),
    route("GET",   "/console/verification/?guild={guild.slug}", "302  200   200   403   403   403"),
    route("POST",  "/console/verification/?guild={guild.slug}", "302  302   302   403   403   403",
          grace_days="30"),
    route("GET",   "/console/imports/?guild={guild.slug}",      "302  200   200   403   403   403"),
    route("POST",  "/console/imports/?guild={guild.slug}",      "302  422   422   403   403   403"),
    route("POST",  "/console/imports/AAAAAAAAAAAAAAAAAAAAAAAA", "302  404   404   404   403   403"),
    route("GET",  "/console/imports/export?guild={guild.slug}", "302  200   200   403   200   200"),
    route("GET",   business_audit,                              "302  200   200   403   200   200"),
    route("GET",   own_staff_audit,                             "302  200   200   403   403   403"),
]
# fmt: on
