"""The console's business form as a browser submits it: read from the page, one change made."""

from __future__ import annotations

from html.parser import HTMLParser

PRICES = ("49", "59")  # the edit alternates the call-out price between these


class _FormReader(HTMLParser):
    """The fields of the first form on a page that holds a ``version`` field."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = []
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "file", "reset"):
                self._form.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select:
            self._form.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._form.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def edit_form_fields(html: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the business form would post, as the page shows them."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if any(name == "version" for name, _ in form):
            return form
    raise ValueError("no business form (with a version field) on the page")


def price_changed(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same fields with the call-out price switched, and the save button pressed."""
    changed = []
    for name, value in fields:
        if name == "callout_price_eur":
            value = PRICES[1] if value.split(",")[0].split(".")[0] == PRICES[0] else PRICES[0]
        changed.append((name, value))
    if not any(name == "callout_price_eur" for name, _ in fields):
        changed.append(("callout_price_eur", PRICES[0]))
    return [*changed, ("action", "save")]
