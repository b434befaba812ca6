"""Malformed DOJ lines go to raw.doj_quarantine with their line number and reason; the rest load."""

from __future__ import annotations

from pathlib import Path

from doj_test_files import HEADER, doj_line, write_doj_file

from clearance.loading.doj_files import load_doj_files


def quarantine(con) -> list[tuple]:
    return con.execute(
        "select file_name, line_number, reason from raw.doj_quarantine order by line_number"
    ).fetchall()


def loaded_line_numbers(con) -> list[int]:
    result = con.execute("select line_number from raw.doj_rows order by line_number").fetchall()
    return [line_number for (line_number,) in result]


def test_each_malformed_kind_is_quarantined_with_its_line(warehouse, tmp_path: Path):
    good = doj_line("GOOD", PRI_NAME="TESTPERSON,ALPHA")
    ninety_four_fields = good.rsplit(",", 1)[0]
    lines = [
        good,  # line 2
        ninety_four_fields,  # line 3
        "",  # line 4
        good,  # line 5
        good.replace("TESTPERSON,ALPHA", 'TESTPERSON,ALPHA"', 1),  # line 6: opens, never closes
        good,  # line 7
        good.replace("MALE", "MA\x00LE", 1),  # line 8
        good + ",EXTRA",  # line 9
        good.replace("MALE", 'MA"L"E', 1),  # line 10: quotes inside an unquoted field
        HEADER,  # line 11
        "   ",  # line 12
        good,  # line 13
        good[:30],  # line 14: truncated after CII_NUMBER, the 12th field, with no newline
    ]
    path = write_doj_file(tmp_path / "doj.dat", lines, final_newline=False)

    [loaded] = load_doj_files(warehouse, [path])

    assert quarantine(warehouse) == [
        ("doj.dat", 3, "expected 95 fields, found 94"),
        ("doj.dat", 4, "blank line"),
        ("doj.dat", 6, "unbalanced double quote"),
        ("doj.dat", 8, "NUL byte in line"),
        ("doj.dat", 9, "expected 95 fields, found 96"),
        ("doj.dat", 10, "double quote inside an unquoted field"),
        ("doj.dat", 11, "header row repeated inside the file"),
        ("doj.dat", 12, "blank line"),
        ("doj.dat", 14, "expected 95 fields, found 12"),
    ]
    assert loaded_line_numbers(warehouse) == [2, 5, 7, 13]
    assert loaded.lines_read == 13
    assert loaded.lines_loaded == 4
    assert loaded.lines_quarantined == 9


def test_unterminated_quote_does_not_swallow_following_lines(warehouse, tmp_path: Path):
    lines = [
        doj_line("R1").replace("TESTPERSON,ALPHA", '"TESTPERSON', 1),
        doj_line("R2"),
        doj_line("R3"),
    ]
    path = write_doj_file(tmp_path / "doj.dat", lines, header=False)

    [loaded] = load_doj_files(warehouse, [path])

    assert quarantine(warehouse) == [("doj.dat", 1, "unbalanced double quote")]
    assert loaded_line_numbers(warehouse) == [2, 3]
    assert loaded.lines_read == 3


def test_blank_lines_keep_the_numbering_of_later_lines(warehouse, tmp_path: Path):
    lines = ["", doj_line("R3"), "", "", doj_line("R6"), ""]
    path = write_doj_file(tmp_path / "doj.dat", lines)

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded_line_numbers(warehouse) == [3, 6]
    assert [line for _, line, _ in quarantine(warehouse)] == [2, 4, 5, 7]
    assert loaded.lines_read == 6


def test_carriage_return_inside_a_line_is_quarantined(warehouse, tmp_path: Path):
    lines = [doj_line("R2"), doj_line("R3", COMMENT_TEXT="PART\rTWO"), doj_line("R4")]
    path = write_doj_file(tmp_path / "doj.dat", lines, newline="\r\n")

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.line_ending == "CRLF"
    assert quarantine(warehouse) == [("doj.dat", 3, "carriage return inside line")]
    assert warehouse.execute(
        'select line_number, "RECORD_ID", "END_OF_REC" from raw.doj_rows order by 1'
    ).fetchall() == [(2, "R2", "END"), (4, "R4", "END")]


def test_line_longer_than_duckdb_default_limit_is_quarantined(warehouse, tmp_path: Path):
    lines = [doj_line("R2"), doj_line("R3", COMMENT_TEXT="X" * 2_500_000), "A" * 2_100_000]
    path = write_doj_file(tmp_path / "doj.dat", lines)

    [loaded] = load_doj_files(warehouse, [path])

    assert quarantine(warehouse) == [("doj.dat", 4, "expected 95 fields, found 1")]
    assert loaded_line_numbers(warehouse) == [2, 3]
    assert loaded.lines_read == 3


def test_quarantine_holds_no_line_content(warehouse, tmp_path: Path):
    bad = doj_line("R2", PRI_NAME="TESTPERSON,SECRETNAME", PRI_SSN="999001234") + ",EXTRA"
    path = write_doj_file(tmp_path / "doj.dat", [bad, doj_line("R3")])

    load_doj_files(warehouse, [path])

    stored = " ".join(str(value) for row in quarantine(warehouse) for value in row)
    assert "SECRETNAME" not in stored
    assert "999001234" not in stored
