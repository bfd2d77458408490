"""Console imports and exports: upload a CSV, preview its report, confirm to write; download.

The preview is the CLI's dry run (the same :mod:`backend.imports` report, every bad row
by line and column); the uploaded file waits in the instance folder until the same person
confirms it. Confirming runs the import for real: nothing is written when a row is bad,
unless the person chose to keep the valid rows. Exports are neutralised against formulas.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import Response, abort, current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from backend.console.access import require_guild, requires, staff
from backend.console.blueprint import console_blueprint
from backend.console.businesses.fields import actor_for
from backend.console.businesses.listing import chosen_guild, visible_guilds
from backend.console.i18n import tr
from backend.extensions import db
from backend.imports.businesses import ImportConflict, export_businesses_csv, import_businesses_csv
from backend.imports.report import ImportReport
from backend.imports.rosters import export_roster_csv, import_roster_csv
from backend.organisations.models import GuildAssociation

bp = console_blueprint("console_imports", __name__, url_prefix="/imports")
KINDS = ("businesses", "roster")
MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # 100,000 businesses are about 25 MB
UPLOAD_TTL_S = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "console-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    """Uploads nobody confirmed within the hour are deleted (they hold personal data)."""
    limit = time.time() - UPLOAD_TTL_S
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _run(kind: str, data: bytes, guild: GuildAssociation, grant, *, dry_run: bool,
         keep_valid: bool, source: str) -> ImportReport:  # fmt: skip
    """The CLI's import of ``kind``, as the signed-in person."""
    actor = actor_for(guild.id, grant)
    options = {"dry_run": dry_run, "keep_valid": keep_valid, "actor": actor, "source": source}
    if kind == "roster":
        return import_roster_csv(io.BytesIO(data), guild.slug, **options)
    config = current_app.config
    return import_businesses_csv(
        io.BytesIO(data), guild.slug, max_radius_km=float(config["MAX_SERVICE_RADIUS_KM"]),
        geocoder_url=config.get("GEOCODER_URL") or None,
        geocoder_user_agent=config.get("GEOCODER_USER_AGENT", "handwerker-schnellruf"),
        geocoder_timeout=config.get("GEOCODER_TIMEOUT_S"), **options,
    )  # fmt: skip


def _report_page(report: ImportReport, *, guild, kind, filename, token=None, status=200):
    html = render_template(
        "console/businesses/import_report.html",
        report=report, guild=guild, kind=kind, filename=filename, token=token,
        bad_lines=len(report.bad_lines),
    )  # fmt: skip
    return html, status


@bp.route("/", methods=["GET", "POST"])
@requires("admin", "guild_staff")
def upload():
    """The upload form; a posted file is checked (dry run) and shown as a preview."""
    guild = chosen_guild(visible_guilds())
    grant = require_guild(guild, write=True)
    kind = request.values.get("kind", "businesses")
    if kind not in KINDS:
        kind = "businesses"
    if request.method == "GET":
        return render_template("console/businesses/import.html", guild=guild, kind=kind)
    if (request.content_length or 0) > MAX_UPLOAD_BYTES:
        abort(413)
    file = request.files.get("file")
    if file is None or not file.filename:
        error = tr("Bitte eine CSV-Datei auswählen.", "Please choose a CSV file.")
        html = render_template("console/businesses/import.html", guild=guild, kind=kind,
                               error=error)  # fmt: skip
        return html, 422
    data = file.read()
    filename = os.path.basename(file.filename)[:200]
    report = _run(kind, data, guild, grant, dry_run=True, keep_valid=False, source=filename)
    folder = _uploads()
    _forget_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_bytes(data)
    meta = {"guild_id": guild.id, "kind": kind, "staff_id": staff().id, "filename": filename}
    (folder / f"{token}.json").write_text(json.dumps(meta))
    return _report_page(report, guild=guild, kind=kind, filename=filename, token=token,
                        status=422 if report.errors else 200)  # fmt: skip


@bp.post("/<token>")
@requires("admin", "guild_staff")
def confirm(token: str):
    """Write the previewed file (only its uploader may), keeping valid rows if chosen."""
    if not _TOKEN.fullmatch(token):
        abort(404)
    folder = _uploads()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.csv"
    if not meta_path.exists() or not data_path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text())
    if meta["staff_id"] != staff().id:
        abort(403)
    guild = db.session.get(GuildAssociation, meta["guild_id"])
    if guild is None:
        abort(404)
    grant = require_guild(guild, write=True)
    keep_valid = request.form.get("keep_valid") == "1"
    try:
        report = _run(meta["kind"], data_path.read_bytes(), guild, grant, dry_run=False,
                      keep_valid=keep_valid, source=meta["filename"])  # fmt: skip
        db.session.commit()  # the request's one unit of work
    except (ImportConflict, SQLAlchemyError):
        db.session.rollback()
        html = render_template("console/businesses/import.html", guild=guild, kind=meta["kind"],
                               error=tr("Betriebe wurden während des Imports geändert; nichts "
                                        "wurde geschrieben. Bitte erneut hochladen.",
                                        "Businesses changed during the import; nothing was "
                                        "written. Please upload again."))  # fmt: skip
        return html, 409
    if report.written:
        meta_path.unlink(missing_ok=True)
        data_path.unlink(missing_ok=True)
    return _report_page(report, guild=guild, kind=meta["kind"], filename=meta["filename"],
                        token=None if report.written else token,
                        status=200 if report.written or not report.errors else 422)  # fmt: skip


@bp.get("/export")
@requires()
def export():
    """The guild's businesses or roster as CSV (``excel=1``: BOM and ``;``)."""
    guild = chosen_guild(visible_guilds())
    require_guild(guild, write=False)
    kind = request.args.get("kind", "businesses")
    if kind not in KINDS:
        abort(404)
    excel = request.args.get("excel") == "1"
    out = io.StringIO()
    if kind == "roster":
        export_roster_csv(guild.slug, out, excel=excel)
    else:
        export_businesses_csv(guild.slug, out, excel=excel)
    suffix = "-excel" if excel else ""
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{guild.slug}-{kind}{suffix}.csv"',
        },
    )
