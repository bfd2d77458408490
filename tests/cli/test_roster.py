"""``flask roster import|export`` through the CLI runner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.roster.models import RosterShift
from tests.imports.import_helpers import GUILD, business, csv_bytes, make_guild

HEADER = ["ref", "trade", "start", "end"]
CHRISTMAS = ["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]
NEW_YEAR = ["B-1", "klempner", "2026-12-31T18:00:00+01:00", "2027-01-01T08:00:00+01:00"]


@pytest.fixture
def guild(runner, tmp_path):
    make_guild()
    path = tmp_path / "betriebe.csv"
    path.write_bytes(csv_bytes([business("B-1", trades="klempner")]))
    result = runner.invoke(args=["businesses", "import", str(path), "--guild", GUILD])
    assert result.exit_code == 0, result.output
    return GUILD


def write(tmp_path, rows, name="notdienst.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, header=HEADER, delimiter=";"))
    return str(path)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(RosterShift))


def test_import_and_export(runner, guild, tmp_path):
    path = write(tmp_path, [CHRISTMAS, NEW_YEAR])
    result = runner.invoke(args=["roster", "import", path, "--guild", GUILD])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Written: 2 created, 0 updated, 0 unchanged."

    result = runner.invoke(args=["roster", "export", "--guild", GUILD])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [",".join(HEADER), ",".join(CHRISTMAS), ",".join(NEW_YEAR)]

    result = runner.invoke(args=["roster", "export", "--guild", GUILD, "--from", "2026-12-26"])
    assert result.stdout.splitlines() == [",".join(HEADER), ",".join(NEW_YEAR)]
    assert result.stderr.strip() == "Exported 1 shifts."

    out = tmp_path / "export.csv"
    result = runner.invoke(args=["roster", "export", "--guild", GUILD, "--output", str(out)])
    assert result.exit_code == 0
    result = runner.invoke(args=["roster", "import", str(out), "--guild", GUILD])
    assert result.stdout.strip() == "Written: 0 created, 0 updated, 2 unchanged."


def test_bad_rows_and_keep_valid(runner, guild, tmp_path):
    path = write(tmp_path, [CHRISTMAS, ["B-1", "glaser", *CHRISTMAS[2:]]])
    result = runner.invoke(args=["roster", "import", path, "--guild", GUILD])
    assert result.exit_code == 1
    assert "line 3, column trade: business 'B-1' does not have the trade 'glaser'" in (
        result.stderr
    )
    assert count() == 0
    result = runner.invoke(args=["roster", "import", path, "--guild", GUILD, "--keep-valid"])
    assert result.exit_code == 0
    assert count() == 1


def test_dry_run(runner, guild, tmp_path):
    path = write(tmp_path, [CHRISTMAS])
    result = runner.invoke(args=["roster", "import", path, "--guild", GUILD, "--dry-run"])
    assert result.exit_code == 0
    assert "Dry run" in result.stdout
    assert count() == 0


def test_unknown_guild_and_bad_from(runner, guild, tmp_path):
    result = runner.invoke(args=["roster", "import", write(tmp_path, [CHRISTMAS]), "--guild", "x"])
    assert result.exit_code == 1
    assert "Unknown guild association 'x'" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(args=["roster", "export", "--guild", GUILD, "--from", "morgen"])
    assert result.exit_code == 2
    assert "'morgen' is not an ISO 8601 date or date-time" in result.stderr
