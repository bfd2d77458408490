"""``make audit``: Lighthouse 12 and axe-core against the app served on 127.0.0.1.

Serves the real app on a throwaway SQLite database with the fictional demo region, then
1. measures what a first visit transfers (every response, gzipped as served, including
   what the service worker fetches for the offline shell) against the 60 KB budget;
2. runs axe-core (npm ``axe-core@4``) in Debian's Chromium on every main screen, light and
   dark, German and English (WCAG 2.0/2.1 A and AA rules);
3. runs Lighthouse 12 (``npx lighthouse@12``) with the same Chromium on the main pages.

Prints scores and sizes; writes the Lighthouse reports to tests/artifacts/audit/. Exits 1
when the budget is exceeded, axe finds a violation, or any request leaves 127.0.0.1.
Needs node/npm and /usr/bin/chromium (``make browser``); npm packages are fetched once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from backend import create_app
from backend.core.config import PROJECT_ROOT
from scripts.chromium import CHROMIUM, FLAGS

BUDGET_BYTES = 60 * 1024
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LIGHTHOUSE = "lighthouse@12"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
OUTPUT = PROJECT_ROOT / "tests" / "artifacts" / "audit"
NPM_PREFIX = Path.home() / ".cache" / "schnellruf-audit"


def serve_demo(workdir: Path) -> tuple[object, str]:
    """Start the app with the demo region on a random port; returns (server, base URL)."""
    from flask_migrate import upgrade

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'audit.sqlite'}", "TESTING": True}
    )
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--businesses", "300"])
    if result.exit_code != 0:
        raise SystemExit(f"seed-demo failed: {result.output}")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:", "tel:"))


def first_visit(browser, base: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Bytes each request of a first visit transferred (headers + encoded body)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    rows: list[tuple[str, int]] = []
    foreign: list[str] = []

    def finished(request) -> None:
        if not _is_local(request.url, base):
            foreign.append(request.url)
            return
        response = request.response()
        if response is None or response.from_service_worker:
            return  # answered from the worker's cache: nothing crossed the network
        sizes = request.sizes()
        rows.append(
            (request.url[len(base) :], sizes["responseBodySize"] + sizes["responseHeadersSize"])
        )

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(f"{base}/")
    page.wait_for_selector("html[data-ready]")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    context.close()
    return rows, foreign


SCREENS = [
    ("start", "/", {}),
    ("start-en", "/", {"locale": "en-GB"}),
    ("start-dark", "/", {"color_scheme": "dark"}),
    ("gasgeruch", "/#/notfall/gasgeruch", {}),
    ("wasser-ergebnisse", "/#/notfall/wasser", {"search": True}),
    ("wasser-ergebnisse-dark-en", "/#/notfall/wasser", {"search": True, "locale": "en-GB",
                                                       "color_scheme": "dark"}),
    ("nach-dem-anruf", "/#/notfall/wasser", {"search": True, "call": True}),
    ("notfallkarte", "/#/notfallkarte", {"card": True}),
    ("impressum", "/impressum", {}),
    ("datenschutz", "/datenschutz", {}),
    ("privacy-dark", "/en/privacy", {"color_scheme": "dark"}),
    ("offline-seite", "/offline.html", {}),
]  # fmt: skip


def _prepare(page, options: dict) -> None:
    if options.get("search"):
        page.fill("#search-input", "38820")
        page.click("#picker-search button[type=submit]")
        page.wait_for_selector("#results .result")
    if options.get("card"):
        page.fill("#card-input", "38820")
        page.click("#picker-card button[type=submit]")
        page.wait_for_selector("#card-lists .result")
    if options.get("call"):
        page.evaluate(
            "() => { document.addEventListener('click', (e) => e.preventDefault());"
            " document.querySelector('.btn-call').click();"
            " for (const s of ['hidden', 'visible']) { Object.defineProperty(document,"
            " 'visibilityState', {value: s, configurable: true});"
            " document.dispatchEvent(new Event('visibilitychange')); } }"
        )
        page.wait_for_selector("#call-dialog[open]")


def run_axe(browser, base: str, axe_js: Path) -> dict[str, list[dict]]:
    """axe-core violations per screen (the page's CSP is bypassed only to inject axe)."""
    results = {}
    for name, path, options in SCREENS:
        settings = {k: v for k, v in options.items() if k in ("locale", "color_scheme")}
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            bypass_csp=True,
            locale=settings.get("locale", "de-DE"),
            color_scheme=settings.get("color_scheme", "light"),
        )
        page = context.new_page()
        page.goto(f"{base}{path}")
        page.wait_for_load_state("load")
        if path.startswith("/#") or path == "/":
            page.wait_for_selector("html[data-ready]")
        _prepare(page, options)
        page.add_script_tag(path=str(axe_js))
        report = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        results[name] = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
             "targets": [n["target"] for n in v["nodes"][:3]]}
            for v in report["violations"]
        ]  # fmt: skip
        results[name + " (passes)"] = len(report["passes"])
        context.close()
    return results


def ensure_axe() -> Path:
    """axe-core from npm, installed once under ~/.cache."""
    axe = NPM_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
             str(NPM_PREFIX), "axe-core@4"],
            check=True,
        )  # fmt: skip
    return axe


def run_lighthouse(url: str, name: str, base: str) -> dict:
    """One Lighthouse run (mobile, simulated throttling); returns scores and byte weight."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report_path = OUTPUT / f"lighthouse-{name}.json"
    command = [
        "npx", "--yes", LIGHTHOUSE, url,
        "--output=json", f"--output-path={report_path}", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(FLAGS)}",
    ]  # fmt: skip
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    report = json.loads(report_path.read_text())
    requests = report["audits"]["network-requests"]["details"]["items"]
    return {
        "version": report["lighthouseVersion"],
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "total_bytes": int(report["audits"]["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "foreign": [r["url"] for r in requests if not _is_local(r["url"], base)],
        "fcp_ms": round(report["audits"]["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(report["audits"]["largest-contentful-paint"]["numericValue"]),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the audit; 0 when every check passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-axe", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        server, base = serve_demo(Path(tmp))
        print(f"Serving the demo region at {base}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            rows, foreign = first_visit(browser, base)
            total = sum(size for _, size in rows)
            print(f"\n== First visit: {len(rows)} responses, {total} bytes "
                  f"({total / 1024:.1f} KB; budget {BUDGET_BYTES // 1024} KB)")  # fmt: skip
            for url, size in sorted(rows, key=lambda r: -r[1]):
                print(f"  {size:7d}  {url}")
            if total > BUDGET_BYTES:
                failures.append(f"first visit {total} bytes > {BUDGET_BYTES}")
            if foreign:
                failures.append(f"requests to other hosts: {foreign}")
            if not args.skip_axe:
                axe = run_axe(browser, base, ensure_axe())
                print(f"\n== axe-core ({', '.join(AXE_TAGS)})")
                for screen, violations in axe.items():
                    if screen.endswith("(passes)"):
                        continue
                    passes = axe[screen + " (passes)"]
                    print(f"  {screen:28} violations: {len(violations)}  rules passed: {passes}")
                    for v in violations:
                        print(f"      {v['impact']}: {v['id']} ({v['nodes']}x) {v['help']} "
                              f"{v['targets']}")  # fmt: skip
                        failures.append(f"axe {screen}: {v['id']}")
            browser.close()
        if not args.skip_lighthouse:
            print(f"\n== Lighthouse ({LIGHTHOUSE}, mobile, {CHROMIUM})")
            for name, path in [("start", "/"), ("wasser", "/#/notfall/wasser"),
                               ("impressum", "/impressum")]:  # fmt: skip
                result = run_lighthouse(f"{base}{path}", name, base)
                scores = "  ".join(f"{k} {v}" for k, v in result["scores"].items())
                print(f"  {path:22} {scores}  | {result['total_bytes']} bytes in "
                      f"{result['requests']} requests, FCP {result['fcp_ms']} ms, "
                      f"LCP {result['lcp_ms']} ms (v{result['version']})")  # fmt: skip
                if result["foreign"]:
                    failures.append(f"Lighthouse saw requests to other hosts: {result['foreign']}")
        server.shutdown()
        server.server_close()
    print("\n== Result: " + ("all checks passed" if not failures else "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
