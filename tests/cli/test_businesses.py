"""``flask businesses import|export`` through the CLI runner."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from backend.audit.models import AuditLogEntry
from backend.businesses.models import Business
from backend.extensions import db
from tests.imports.import_helpers import GUILD, business, csv_bytes, make_guild


@pytest.fixture
def guild(app_context):
    make_guild()
    return GUILD


def refs() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Business.ref)))


def write(tmp_path, rows, name="betriebe.csv", **options):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **options))
    return str(path)


def test_import_prints_a_summary(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1"), business("B-2")], delimiter=";", bom=True)
    result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Written: 2 created, 0 updated, 0 unchanged."
    assert refs() == ["B-1", "B-2"]
    entry = db.session.scalar(
        select(AuditLogEntry).where(AuditLogEntry.action == "import_businesses")
    )
    assert entry.actor.startswith("cli")
    assert entry.details["file"] == path


def test_bad_rows_are_listed_and_nothing_is_written(runner, guild, tmp_path):
    rows = [business("B-1"), business("B-2", phone="abc"), business("B-3", website="x.de")]
    path = write(tmp_path, rows)
    result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD])
    assert result.exit_code == 1
    assert "line 3, column phone: 'abc' is not a phone number" in result.stderr
    assert "line 4, column website: 'x.de' is not a web address" in result.stderr
    assert "--keep-valid" in result.stderr
    assert "Nothing written: 2 bad rows" in result.stdout
    assert "Traceback" not in result.output
    assert refs() == []


def test_keep_valid_writes_the_good_rows(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1"), business("B-2", email="kaputt")])
    result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD, "--keep-valid"])
    assert result.exit_code == 0
    assert "line 3, column email" in result.stderr
    assert "Written: 1 created, 0 updated, 0 unchanged; 1 bad row skipped." in result.stdout
    assert refs() == ["B-1"]


def test_dry_run_writes_nothing(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1")])
    result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD, "--dry-run"])
    assert result.exit_code == 0
    assert "Dry run, nothing written; would be 1 created" in result.stdout
    assert refs() == []
    bad = write(tmp_path, [business("B-1", phone="")], name="bad.csv")
    result = runner.invoke(args=["businesses", "import", bad, "--guild", GUILD, "--dry-run"])
    assert result.exit_code == 1
    assert "line 2, column phone: must not be empty" in result.stderr


def test_unknown_guild_is_a_clear_message(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1")])
    result = runner.invoke(args=["businesses", "import", path, "--guild", "nirgendwo"])
    assert result.exit_code == 1
    assert "Unknown guild association 'nirgendwo' (known: harz-bode)" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(args=["businesses", "export", "--guild", "nirgendwo"])
    assert result.exit_code == 1
    assert "Unknown guild association 'nirgendwo'" in result.stderr


def test_radius_limit_comes_from_the_app_config(runner, app, guild, tmp_path):
    path = write(tmp_path, [business("B-1", service_radius_km="80")])
    old = app.config["MAX_SERVICE_RADIUS_KM"]
    app.config["MAX_SERVICE_RADIUS_KM"] = 50
    try:
        result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD])
    finally:
        app.config["MAX_SERVICE_RADIUS_KM"] = old
    assert result.exit_code == 1
    assert "at most 50 km" in result.stderr


def test_export_to_stdout_and_file_round_trips(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-2"), business("B-1", lat="", lon="", trades="glaser")])
    runner.invoke(args=["businesses", "import", path, "--guild", GUILD])

    result = runner.invoke(args=["businesses", "export", "--guild", GUILD])
    assert result.exit_code == 0
    assert [row["ref"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["B-1", "B-2"]
    assert result.stderr.strip() == "Exported 2 businesses."

    out = tmp_path / "export.csv"
    result = runner.invoke(args=["businesses", "export", "--guild", GUILD, "--output", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == result_stdout_of_export(runner)
    assert list(tmp_path.glob("*.part")) == []

    result = runner.invoke(args=["businesses", "import", str(out), "--guild", GUILD])
    assert result.stdout.strip() == "Written: 0 created, 0 updated, 2 unchanged."


def test_export_for_excel_neutralises_and_imports_back(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1", name="@Notdienst Müller")])
    runner.invoke(args=["businesses", "import", path, "--guild", GUILD])
    out = tmp_path / "excel.csv"
    args = ["businesses", "export", "--guild", GUILD, "--excel", "--output", str(out)]
    assert runner.invoke(args=args).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfref;name;trades;")
    assert ";'@Notdienst Müller;" in data.decode("utf-8")
    assert ";'+49394112345;" in data.decode("utf-8")
    result = runner.invoke(args=["businesses", "import", str(out), "--guild", GUILD])
    assert result.stdout.strip() == "Written: 0 created, 0 updated, 1 unchanged."


def result_stdout_of_export(runner) -> str:
    return runner.invoke(args=["businesses", "export", "--guild", GUILD]).stdout


def test_export_to_a_file_of_an_unknown_guild_leaves_no_file(runner, guild, tmp_path):
    out = tmp_path / "export.csv"
    result = runner.invoke(args=["businesses", "export", "--guild", "x", "--output", str(out)])
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_missing_file(runner, guild, tmp_path):
    result = runner.invoke(
        args=["businesses", "import", str(tmp_path / "no.csv"), "--guild", GUILD]
    )
    assert result.exit_code == 2
    assert "No such file or directory" in result.stderr


def test_keep_valid_with_only_bad_rows_fails(runner, guild, tmp_path):
    path = write(tmp_path, [business("B-1", phone="")])
    result = runner.invoke(args=["businesses", "import", path, "--guild", GUILD, "--keep-valid"])
    assert result.exit_code == 1
    assert "Nothing written: 1 bad row" in result.stdout
