"""Matrix entries of the console core (sign-in, account, start page, guild page)."""

from tests.console.matrix import route

# fmt: off
ENTRIES = [
    #      method  url                                    anon admin g.own g.for c.own c.for
    route("GET",  "/console/",                             "302  200   200   200   200   200"),
    route("GET",  "/console/static/console.css",           "200  200   200   200   200   200"),
    route("GET",  "/console/login",                        "200  302   302   302   302   302"),
    route("POST", "/console/login",                        "200  302   302   302   302   302"),
    route("GET",  "/console/login/code",                   "302  302   302   302   302   302"),
    route("POST", "/console/login/code",                   "302  302   302   302   302   302"),
    route("POST", "/console/logout",                       "302  302   302   302   302   302"),
    route("GET",  "/console/account",                      "302  200   200   200   200   200"),
    route("GET",  "/console/account/password",             "302  200   200   200   200   200"),
    route("POST", "/console/account/password",             "302  200   200   200   200   200"),
    route("GET",  "/console/account/totp",                 "302  302   302   302   302   302"),
    route("POST", "/console/account/totp",                 "302  302   302   302   302   302"),
    route("POST", "/console/account/recovery-codes",       "302  200   200   200   200   200"),
    route("GET",  "/console/account/sessions",             "302  200   200   200   200   200"),
    route("POST", "/console/account/sessions/end-all",     "302  302   302   302   302   302"),
    route("GET",  "/console/guilds/{guild.slug}",          "302  200   200   403   403   403"),
]
# fmt: on
