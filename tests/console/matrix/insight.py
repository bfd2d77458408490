"""Matrix entries of the statistics and reachability pages (``/console/insight``)."""

from tests.console.matrix import route

STATS = "/console/insight/?guild={guild.slug}"
CSV = "/console/insight/export.csv?guild={guild.slug}"

# fmt: off
ENTRIES = [
    #      method url                                   anon admin g.own g.for c.own c.for
    route("GET", STATS,                                  "302  200   200   403   200   200"),
    route("GET", CSV,                                    "302  200   200   403   200   200"),
    route("GET", CSV + "&what=searches",                 "302  200   200   403   200   200"),
    route("GET", "/console/insight/reachability?guild={guild.slug}",
          "302  200   200   403   403   403"),
    route("GET", "/console/insight/static/insight.css",  "200  200   200   200   200   200"),
    route("POST", "/console/insight/order/{guild.slug}", "302  302   302   403   403   403",
          demote_unreachable="1"),
]
# fmt: on
