"""Matrix entries of the duty plan pages: plan, shifts, templates, gaps, publishing, swaps."""

from tests.console.matrix import route
from tests.console.roster_helpers import make_shift, make_swap

P = "/console/roster"
G = "?guild={guild.slug}"
GAP = "&city=stadt-a&emergency=wasser&start=2026-12-12T00:00%2B01:00&end=2026-12-12T06:00%2B01:00"
TAKE = {"city": "stadt-a", "emergency": "wasser", "start": "2026-12-12T00:00+01:00",
        "end": "2026-12-12T06:00+01:00"}  # fmt: skip


def shift(w) -> str:
    return f"{P}/shifts/{make_shift(w.guild)}"


def remove(w) -> str:
    return shift(w) + "/remove"


def swap(w) -> str:
    return f"{P}/swaps/{make_swap(w.guild)}"


# fmt: off
ENTRIES = [
    #      method url                              anon admin g.own g.for c.own c.for
    route("GET",  P + "/" + G,                       "302  200   200   403   200   200"),
    route("GET",  P + "/" + G + "&view=month",       "302  200   200   403   200   200"),
    route("GET",  P + "/static/roster.css",          "200  200   200   200   200   200"),
    route("GET",  P + "/shifts/new" + G,             "302  200   200   403   403   403"),
    route("POST", P + "/shifts/new" + G,             "302  422   422   403   403   403"),
    route("GET",  shift,                             "302  200   200   403   403   403"),
    route("POST", shift,                             "302  422   422   403   403   403"),
    route("POST", remove,                            "302  302   302   403   403   403",
          seen="stale"),
    route("GET",  P + "/templates" + G,              "302  200   200   403   403   403"),
    route("POST", P + "/templates" + G,              "302  422   422   403   403   403"),
    route("GET",  P + "/suggestions" + G + GAP,      "302  200   200   403   403   403"),
    route("POST", P + "/suggestions" + G,            "302  422   422   403   403   403", **TAKE),
    route("GET",  P + "/publish" + G,                "302  200   200   403   403   403"),
    route("POST", P + "/publish" + G,                "302  302   302   403   403   403"),
    route("GET",  P + "/swaps" + G,                  "302  200   200   403   403   403"),
    route("POST", swap,                              "302  302   302   403   403   403",
          decision="decline"),
]
# fmt: on
