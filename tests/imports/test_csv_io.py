"""CSV reading as spreadsheets write it, and the import report."""

from __future__ import annotations

import io

import pytest

from backend.imports.cells import cell_text
from backend.imports.csv_read import check_header, read_csv, sniff_delimiter
from backend.imports.csv_write import neutralise, unneutralise, write_csv
from backend.imports.report import ImportReport, RowError


def read(text: str, encoding: str = "utf-8"):
    table = read_csv(io.BytesIO(text.encode(encoding)))
    rows = list(table.rows)
    return table, rows


@pytest.mark.parametrize(
    ("header", "expected"),
    [("ref,name", ","), ("ref;name", ";"), ('"ref";"name,x"', ";"), ("ref", ","), ("", ",")],
)
def test_sniff_delimiter(header, expected):
    assert sniff_delimiter(header) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_read_with_and_without_bom_and_either_delimiter(encoding, delimiter):
    text = f"Ref{delimiter}Name\r\nB-1{delimiter}Müller\r\n"
    table, rows = read(text, encoding)
    assert (table.header, table.delimiter, table.errors) == (["ref", "name"], delimiter, [])
    assert rows == [(2, {"ref": "B-1", "name": "Müller"})]


def test_quoted_delimiters_and_newlines_keep_physical_line_numbers():
    text = 'a;b\n1;"x;y"\n\n2;"two\nlines"\n3;z\n'
    _, rows = read(text)
    assert rows == [
        (2, {"a": "1", "b": "x;y"}),
        (4, {"a": "2", "b": "two\nlines"}),
        (6, {"a": "3", "b": "z"}),
    ]


def test_lines_of_empty_cells_are_skipped():
    table, rows = read("a;b;c\n1;2;3\n;;\n ; ;\n;;;;\n")
    assert (rows, table.errors) == ([(2, {"a": "1", "b": "2", "c": "3"})], [])


def test_rows_with_the_wrong_number_of_fields_are_reported_and_skipped():
    table, rows = read("a,b\n1,2\n1,2,3\n4\n5,6\n")
    assert [line for line, _ in rows] == [2, 5]
    assert [(e.line, e.column) for e in table.errors] == [(3, None), (4, None)]
    assert "double quotes" in table.errors[0].message


def test_not_utf8_names_every_bad_line():
    data = "a,b\nä,1\nok,2\nö,3\n".encode("cp1252")
    table = read_csv(io.BytesIO(data))
    assert [e.line for e in table.errors] == [2, 4]
    assert table.header == []


def test_empty_file():
    table, rows = read("\n\n")
    assert rows == []
    assert [e.message for e in table.errors] == ["the file is empty"]


def test_check_header():
    errors = check_header(["a", "b", "b", "x", ""], ["a", "b", "c"], ["a", "c"])
    assert [(e.line, e.column, e.message) for e in errors] == [
        (1, "b", "column 'b' appears more than once"),
        (1, "x", "unknown column 'x' (known: a, b, c)"),
        (1, "c", "required column 'c' is missing"),
    ]


def test_write_csv_quotes_what_needs_quoting():
    out = io.StringIO()
    count = write_csv(out, ["a", "b"], [{"a": "x,y", "b": 'say "hi"'}, ["1", "2"]])
    assert count == 2
    assert out.getvalue() == 'a,b\n"x,y","say ""hi"""\n1,2\n'


@pytest.mark.parametrize("cell", ["=1+1", "+49394112345", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_start_a_formula_are_neutralised_and_read_back(cell):
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["Müller", "'quoted", "0171 1234567", "", "1-2"])
def test_other_cells_stay_as_they_are(cell):
    assert neutralise(cell) == cell
    assert unneutralise(cell) == cell


def test_write_csv_neutralises_every_cell():
    out = io.StringIO()
    write_csv(out, ["a", "b"], [["=cmd|' /C calc'!A0", "-1"]])
    assert out.getvalue() == "a,b\n'=cmd|' /C calc'!A0,'-1\n"
    rows = list(read_csv(io.BytesIO(out.getvalue().encode())).rows)
    assert [cell_text(cell) for cell in rows[0][1].values()] == ["=cmd|' /C calc'!A0", "-1"]


def test_write_csv_for_excel_has_a_bom_and_semicolons():
    out = io.StringIO()
    write_csv(out, ["a", "b"], [["x;y", "Straße"]], excel=True)
    data = out.getvalue().encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert out.getvalue() == '\ufeffa;b\r\n"x;y";Straße\r\n'
    table = read_csv(io.BytesIO(data))
    assert (table.delimiter, list(table.rows)) == (";", [(2, {"a": "x;y", "b": "Straße"})])


def test_report_summary():
    error = RowError(3, "phone", "x", "bad", "schlecht")
    assert str(error) == "line 3, column phone: bad"
    assert str(RowError(4, None, None, "broken", "kaputt")) == "line 4: broken"
    report = ImportReport(created=1, updated=2, unchanged=3, written=True)
    assert report.summary() == "Written: 1 created, 2 updated, 3 unchanged."
    report = ImportReport(created=1, errors=[error, error], dry_run=True)
    assert report.bad_lines == [3]
    assert report.summary() == (
        "Dry run, nothing written; would be 1 created, 0 updated, 0 unchanged; 1 bad row."
    )
