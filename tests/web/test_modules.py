"""The app's modules: app.js boots, views/, components/ and lib/ hold the rest, and every
import names a file and an export that exist (there is no bundler to catch a bad one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.helpers import PWA, modules

MAX_LINES = 150
FOLDERS = {"lib", "components", "views"}
IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"([^"]+)"', re.S)
EXPORT = re.compile(r"export\s+(?:async\s+)?(?:function|const|let|class)\s+(\w+)")


def app_modules() -> list[Path]:
    """The page's modules (not the service worker, which runs on its own)."""
    return [m for m in modules() if m.name != "sw.js"]


def name(module: Path) -> str:
    return module.relative_to(PWA).as_posix()


def test_only_the_boot_module_and_the_worker_lie_at_the_top():
    assert sorted(m.name for m in PWA.glob("*.js")) == ["app.js", "sw.js"]
    folders = {m.relative_to(PWA).parts[0] for m in app_modules() if m.parent != PWA}
    assert folders == FOLDERS


@pytest.mark.parametrize("module", app_modules(), ids=name)
def test_module_is_small_and_says_what_it_is_for(module):
    text = module.read_text()
    assert text.startswith("/**"), f"{name(module)} starts without a header comment"
    assert len(text.splitlines()) <= MAX_LINES, f"{name(module)} is over {MAX_LINES} lines"


def test_boot_module_renders_nothing_itself():
    """Views draw the screens; app.js only wires them up."""
    text = (PWA / "app.js").read_text()
    assert not re.search(r"\b(h|icon)\(|replaceChildren|textContent", text)
    assert {target for _, target in IMPORT.findall(text) if "/views/" in target}


@pytest.mark.parametrize("module", app_modules(), ids=name)
def test_every_import_names_an_existing_export(module):
    for names, target in IMPORT.findall(module.read_text()):
        path = (module.parent / target.split("?", 1)[0]).resolve()
        assert path.is_file(), f"{name(module)} imports {target}: no such file"
        exported = set(EXPORT.findall(path.read_text()))
        wanted = {n.strip() for n in names.split(",") if n.strip()}
        missing = sorted(wanted - exported)
        assert not missing, f"{name(module)} imports {missing} from {target}"


def test_every_module_is_imported_by_another():
    imported = {
        (m.parent / target.split("?", 1)[0]).resolve()
        for m in app_modules()
        for _, target in IMPORT.findall(m.read_text())
    }
    unused = [name(m) for m in app_modules() if m.name != "app.js" and m.resolve() not in imported]
    assert unused == []


def test_every_module_is_preloaded_by_the_page():
    """Without a bundler, imports would load one level at a time over a weak connection."""
    html = (PWA / "index.html").read_text()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/([^"?]+)\?v=__BUILD__">', html))
    assert preloaded == {name(m) for m in app_modules()} - {"app.js"}
