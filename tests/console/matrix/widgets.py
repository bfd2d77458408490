"""Matrix entries of the widget pages: the embed kit and a city's widget settings."""

from tests.console.matrix import route

ORIGIN = "https://www.stadt-a.de"
KIT = "/console/widgets/{city.slug}"
PRESET = "?mode=fixed&limit=3&language=en&emergency=wasser"

# fmt: off
ENTRIES = [
    #      method url                              anon admin g.own g.for c.own c.for
    route("GET",  "/console/widgets/",               "302  200   403   403   302   302"),
    route("GET",  "/console/widgets/static/kit.js",  "200  200   200   200   200   200"),
    route("GET",  KIT,                               "302  200   403   403   200   403"),
    route("GET",  KIT + PRESET,                      "302  200   403   403   200   403"),
    route("GET",  KIT + "/settings",                 "302  200   200   200   200   200"),
    route("POST", KIT + "/origins",                  "302  302   403   403   302   403",
          origin=ORIGIN),
    route("POST", KIT + "/origins/remove",           "302  302   403   403   302   403",
          origin=ORIGIN),
    route("POST", KIT + "/theme",                    "302  302   403   403   302   403",
          text="#000000"),
]
# fmt: on
