"""Debian's Chromium and the flags it needs here, shared by `make audit` and the browser tests.

Without the background-networking flags Chromium tries to reach Google's hosts at
every start, which this machine's closed network refuses.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
