"""The console's language: German first, English complete, chosen per request.

``?lang=de|en`` chooses (and is remembered in the signed session cookie the console
needs anyway); otherwise the browser's Accept-Language decides. Texts are written as
pairs where they are used: ``tr("Speichern", "Save")`` in Python and templates.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request, session
from markupsafe import escape

LANGUAGES = ("de", "en")


def current_lang() -> str:
    """``de`` or ``en`` for this request."""
    if "console_lang" not in g:
        g.console_lang = _choose()
    return g.console_lang


def _choose() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES, default="de")


def tr(de: str, en: str) -> str:
    """The text in the request's language."""
    return en if current_lang() == "en" else de


def other_lang() -> str:
    """The language the switch in the header offers."""
    return "de" if current_lang() == "en" else "en"


def switch_url() -> str:
    """This page in the other language."""
    args = request.args.to_dict()
    args["lang"] = other_lang()
    return f"{request.path}?{urlencode(args)}"


class LazyText:
    """A German/English pair chosen when shown: for form labels and validator messages."""

    def __init__(self, de: str, en: str) -> None:
        self.de = de
        self.en = en

    def __str__(self) -> str:
        return tr(self.de, self.en)

    def __html__(self) -> str:
        return str(escape(str(self)))
