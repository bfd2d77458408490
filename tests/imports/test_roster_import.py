"""Roster (Notdienstplan) CSV import and export against the real database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend.audit.models import AuditLogEntry
from backend.extensions import db
from backend.imports.businesses import import_businesses_csv
from backend.imports.rosters import export_roster_csv, import_roster, import_roster_csv
from backend.organisations.operations import OrganisationError
from backend.roster.models import RosterShift
from tests.imports.import_helpers import GUILD, business, csv_bytes, make_guild

HEADER = ["ref", "trade", "start", "end"]


@pytest.fixture
def guild(app_context):
    """A guild with a plumber-and-heating business B-1 and a glazier B-2."""
    make_guild()
    rows = [business("B-1", trades="installateur-heizungsbauer;klempner"),
            business("B-2", trades="glaser")]  # fmt: skip
    report = import_businesses_csv(
        io.BytesIO(csv_bytes(rows)), GUILD, actor="test", max_radius_km=150
    )
    assert report.written
    return GUILD


def run(rows, **options):
    data = csv_bytes(rows, header=options.pop("header", HEADER), **options.pop("csv", {}))
    report = import_roster_csv(io.BytesIO(data), GUILD, **{"actor": "test", **options})
    db.session.commit()  # the caller commits, as the command does
    return report


def shifts() -> list[tuple[str, str, datetime, datetime]]:
    db.session.expire_all()
    return sorted(
        (s.business.ref, s.trade.slug, s.starts_at, s.ends_at)
        for s in db.session.scalars(select(RosterShift))
    )


def export_text(**options) -> str:
    out = io.StringIO()
    export_roster_csv(GUILD, out, **options)
    return out.getvalue()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_import_shifts_including_one_across_midnight(guild):
    report = run([
        ["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"],
        ["B-2", "glaser", "2026-12-26T08:00:00+01:00", "2026-12-26T20:00:00+01:00"],
    ])  # fmt: skip
    assert (report.created, report.errors, report.written) == (2, [], True)
    assert shifts() == [
        ("B-1", "klempner", utc(2026, 12, 24, 17), utc(2026, 12, 25, 7)),
        ("B-2", "glaser", utc(2026, 12, 26, 7), utc(2026, 12, 26, 19)),
    ]


def test_shifts_across_both_daylight_saving_switches(guild):
    report = run([
        # Spring: 02:00 CET jumps to 03:00 CEST; the night is one hour shorter.
        ["B-1", "klempner", "2026-03-28T20:00:00+01:00", "2026-03-29T08:00:00+02:00"],
        # Autumn: 02:30 happens twice, told apart by the offset.
        ["B-1", "klempner", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"],
        ["B-2", "glaser", "2026-10-25T02:30:00+01:00", "2026-10-25T09:00:00+01:00"],
    ])  # fmt: skip
    assert report.errors == []
    stored = shifts()
    assert stored[0][3] - stored[0][2] == timedelta(hours=11)
    assert stored[1][3] - stored[1][2] == timedelta(hours=1)
    assert stored[1][2] == utc(2026, 10, 25, 0, 30)
    assert stored[2][2] == utc(2026, 10, 25, 1, 30)
    lines = export_text().splitlines()
    assert lines[1:] == [
        "B-1,klempner,2026-03-28T20:00:00+01:00,2026-03-29T08:00:00+02:00",
        "B-1,klempner,2026-10-25T02:30:00+02:00,2026-10-25T02:30:00+01:00",
        "B-2,glaser,2026-10-25T02:30:00+01:00,2026-10-25T09:00:00+01:00",
    ]


def test_other_offsets_and_utc_are_accepted_and_exported_in_berlin_time(guild):
    run([["B-1", "klempner", "2026-07-01T16:00:00Z", "2026-07-01T20:00:00+00:00"]])
    assert export_text().splitlines()[1] == (
        "B-1,klempner,2026-07-01T18:00:00+02:00,2026-07-01T22:00:00+02:00"
    )


def test_reimport_of_the_same_shift_updates_its_end(guild):
    run([["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]])
    report = run([
        # Same instant written in UTC: the same shift.
        ["B-1", "klempner", "2026-12-24T17:00:00+00:00", "2026-12-25T10:00:00+01:00"],
        ["B-1", "installateur-heizungsbauer", "2026-12-24T18:00:00+01:00",
         "2026-12-25T08:00:00+01:00"],
    ])  # fmt: skip
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert shifts() == [
        ("B-1", "installateur-heizungsbauer", utc(2026, 12, 24, 17), utc(2026, 12, 25, 7)),
        ("B-1", "klempner", utc(2026, 12, 24, 17), utc(2026, 12, 25, 9)),
    ]


def test_reimporting_the_same_file_changes_nothing(guild):
    rows = [["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]]
    run(rows)
    report = run(rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_semicolon_file_with_bom(guild):
    report = run(
        [["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]],
        csv={"delimiter": ";", "bom": True},
    )
    assert (report.created, report.errors) == (1, [])


BAD = [
    ("ref", "B-9", "no business with ref 'B-9'"),
    ("ref", "", "must not be empty"),
    ("trade", "glaser", "does not have the trade 'glaser'"),
    ("trade", "baecker", "unknown trade 'baecker'"),
    ("start", "24.12.2026 18:00", "not an ISO 8601 date-time"),
    ("start", "2026-12-24T18:00:00", "no UTC offset"),
    ("end", "2026-12-24T18:00:00+01:00", "must be after start"),
    ("end", "2026-12-24T17:00:00+01:00", "must be after start"),
    ("end", "2027-12-25T08:00:00+01:00", "longer than 14 days"),
    ("end", "", "must not be empty"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD)
def test_each_kind_of_bad_value_is_reported_with_line_and_column(guild, column, value, reason):
    good = {"ref": "B-1", "trade": "klempner",
            "start": "2026-12-24T18:00:00+01:00", "end": "2026-12-25T08:00:00+01:00"}  # fmt: skip
    later = {**good, "start": "2026-12-31T18:00:00+01:00", "end": "2027-01-01T08:00:00+01:00"}
    rows = [good, later, {**good, column: value}]
    report = run(rows)
    assert [(e.line, e.column) for e in report.errors] == [(4, column)]
    assert reason in report.errors[0].message
    assert report.errors[0].message_de
    assert report.written is False
    assert shifts() == []


def test_fourteen_days_exactly_is_allowed(guild):
    report = run([["B-1", "klempner", "2026-12-20T00:00:00+01:00", "2027-01-03T00:00:00+01:00"]])
    assert report.errors == []


def test_duplicate_shifts_name_both_lines(guild):
    row = ["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]
    other = ["B-2", "glaser", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]
    report = run([row, other, [*row[:3], "2026-12-25T09:00:00+01:00"]], keep_valid=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "start"), (4, "start")]
    assert "also on line 4" in report.errors[0].message
    assert [s[0] for s in shifts()] == ["B-2"]


def test_keep_valid_and_dry_run(guild):
    good = ["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]
    bad = ["B-2", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]
    report = run([good, bad], dry_run=True)
    assert (report.created, report.written, len(report.errors)) == (1, False, 1)
    assert shifts() == []
    report = run([good, bad])
    assert (report.written, shifts()) == (False, [])
    report = run([good, bad], keep_valid=True)
    assert report.written is True
    assert [s[0] for s in shifts()] == ["B-1"]


def test_one_audit_entry_per_import(guild):
    run([["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"]],
        source="notdienst.csv")  # fmt: skip
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "import_roster"))
    assert entry.details == {"file": "notdienst.csv", "created": 1, "updated": 0,
                             "unchanged": 0, "bad_rows": 0, "keep_valid": False}  # fmt: skip


def test_missing_columns_are_reported_on_line_1(guild):
    report = run([["B-1", "klempner", "2026-12-24T18:00:00+01:00"]], header=HEADER[:3])
    assert [(e.line, e.column) for e in report.errors] == [(1, "end")]


def test_unknown_guild(app_context):
    with pytest.raises(OrganisationError, match="nirgendwo"):
        import_roster([], "nirgendwo", actor="test")


def test_mapping_api(guild):
    rows = [{"ref": "B-1", "trade": "klempner", "start": "2026-12-24T18:00:00+01:00",
             "end": "2026-12-25T08:00:00+01:00"}]  # fmt: skip
    report = import_roster(rows, GUILD, actor="test", first_line=7)
    assert (report.created, report.written) == (1, True)
    report = import_roster([{**rows[0], "end": "kaputt"}], GUILD, actor="test", first_line=7)
    assert [(e.line, e.column) for e in report.errors] == [(7, "end")]


def test_export_from_filters_by_end(guild):
    run([
        ["B-1", "klempner", "2026-12-24T18:00:00+01:00", "2026-12-25T08:00:00+01:00"],
        ["B-2", "glaser", "2026-12-31T18:00:00+01:00", "2027-01-01T08:00:00+01:00"],
    ])  # fmt: skip
    text = export_text(since=datetime(2026, 12, 25, 8, tzinfo=UTC))
    assert [row["ref"] for row in csv.DictReader(io.StringIO(text))] == ["B-2"]


def test_export_then_import_gives_back_the_same_data(guild):
    rows = []
    start = datetime(2026, 3, 20, 18, tzinfo=UTC)
    for day in range(0, 240, 3):  # spans both daylight-saving switches
        begin = start + timedelta(days=day, minutes=7 * day)
        for ref, trade in (("B-1", "klempner"), ("B-1", "installateur-heizungsbauer"),
                           ("B-2", "glaser")):  # fmt: skip
            end = begin + timedelta(hours=13 + day % 5)
            rows.append([ref, trade, begin.isoformat(), end.isoformat()])
    assert run(rows).errors == []
    before = shifts()
    first = export_text()

    db.session.execute(RosterShift.__table__.delete())
    db.session.commit()
    report = import_roster_csv(io.BytesIO(first.encode()), GUILD, actor="test")
    assert (report.created, report.errors) == (len(rows), [])
    assert shifts() == before
    assert export_text() == first
    report = import_roster_csv(io.BytesIO(first.encode()), GUILD, actor="test")
    assert report.unchanged == len(rows)
    assert db.session.scalar(select(func.count()).select_from(RosterShift)) == len(rows)
