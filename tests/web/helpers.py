"""What the web tests read from pwa/: the shell list of the service worker, i18n keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

from backend.core.config import PROJECT_ROOT

PWA = PROJECT_ROOT / "pwa"
TEMPLATES = PROJECT_ROOT / "backend" / "templates" / "web"


def shell_list() -> list[str]:
    """The URLs in the SHELL array of sw.js, as written (with ``?v=__BUILD__``)."""
    source = (PWA / "sw.js").read_text()
    block = re.search(r"const SHELL = \[(.*?)\];", source, re.S)
    assert block, "sw.js must declare const SHELL = [...]"
    return re.findall(r'"([^"]+)"', block.group(1))


def strings(lang: str) -> dict[str, str]:
    """The UI strings of one language."""
    return json.loads((PWA / "i18n" / f"{lang}.json").read_text())


def modules() -> list[Path]:
    """Every JavaScript file of the app, in every folder (the service worker included)."""
    return sorted(PWA.rglob("*.js"))


def used_keys() -> set[str]:
    """Every string key the page and the modules use."""
    keys: set[str] = set()
    html = (PWA / "index.html").read_text()
    keys |= set(re.findall(r'data-i18n="([^"]+)"', html))
    for pairs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        keys |= {pair.split(":", 1)[1].strip() for pair in pairs.split(";")}
    for module in modules():
        keys |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", module.read_text()))
        # t(cond ? "a" : "b") and similar: every quoted key inside a t( ... ) call
        for call in re.findall(r"\bt\(([^()]*\?[^()]*)\)", module.read_text()):
            keys |= set(re.findall(r"""["']([a-z_]+\.[\w.]+)["']""", call))
    return keys


def text_files(root: Path = PWA) -> list[Path]:
    """The text files of the app (and the legal templates)."""
    suffixes = {".html", ".js", ".css", ".json", ".webmanifest", ".svg"}
    files = [p for p in root.rglob("*") if p.suffix in suffixes]
    return files + list(TEMPLATES.glob("*.html"))
