"""Good DOJ lines land in raw.doj_rows with their line numbers, in every file variant."""

from __future__ import annotations

import hashlib
from pathlib import Path

from doj_test_files import doj_line, write_doj_file

from clearance.loading.doj_files import load_doj_files


def rows(con, *columns: str) -> list[tuple]:
    column_list = ", ".join(["line_number", *(f'"{c}"' for c in columns)])
    return con.execute(f"select {column_list} from raw.doj_rows order by line_number").fetchall()


def test_header_row_is_detected_and_skipped(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1"), doj_line("R2"), doj_line("R3")])

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.has_header is True
    assert loaded.lines_read == 3
    assert loaded.lines_loaded == 3
    assert loaded.lines_quarantined == 0
    assert rows(warehouse, "RECORD_ID") == [(2, "R1"), (3, "R2"), (4, "R3")]


def test_file_without_header_numbers_lines_from_one(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1"), doj_line("R2")], header=False)

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.has_header is False
    assert loaded.lines_read == 2
    assert rows(warehouse, "RECORD_ID") == [(1, "R1"), (2, "R2")]


def test_crlf_file_keeps_line_numbers(warehouse, tmp_path: Path):
    lines = [doj_line("R1"), "", doj_line("R3", END_OF_REC="")]
    path = write_doj_file(tmp_path / "doj.dat", lines, newline="\r\n")

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.line_ending == "CRLF"
    assert rows(warehouse, "RECORD_ID", "END_OF_REC") == [(2, "R1", "END"), (4, "R3", "")]
    assert warehouse.execute("select line_number, reason from raw.doj_quarantine").fetchall() == [
        (3, "blank line")
    ]


def test_lf_file_is_recorded_as_lf(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1"), doj_line("R2")])

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.line_ending == "LF"


def test_single_line_without_newline_is_recorded_as_none(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1")], header=False, final_newline=False)

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.line_ending == "none"
    assert rows(warehouse, "RECORD_ID", "END_OF_REC") == [(1, "R1", "END")]


def test_mixed_line_endings_keep_line_numbers(warehouse, tmp_path: Path):
    text = doj_line("R1") + "\r\n" + doj_line("R2") + "\n" + doj_line("R3") + "\n"
    path = tmp_path / "doj.dat"
    path.write_text(text, encoding="utf-8")

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.line_ending == "mixed"
    assert rows(warehouse, "RECORD_ID", "END_OF_REC") == [
        (1, "R1", "END"),
        (2, "R2", "END"),
        (3, "R3", "END"),
    ]


def test_placeholders_are_kept_as_text(warehouse, tmp_path: Path):
    line = doj_line("R1", COMMENT_TEXT="  -  ", PRI_DOB="", CYC_DATE=" ")
    path = write_doj_file(tmp_path / "doj.dat", [line])

    load_doj_files(warehouse, [path])

    assert rows(warehouse, "COMMENT_TEXT", "PRI_DOB", "CYC_DATE") == [(2, "  -  ", "", " ")]


def test_latin1_file_is_detected_and_decoded(warehouse, tmp_path: Path):
    line = doj_line("R1", PRI_NAME="TESTPERSON,ANDR\u00e9")
    path = write_doj_file(tmp_path / "doj.dat", [line], encoding="latin-1")
    assert b"ANDR\xe9" in path.read_bytes()

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.encoding == "latin-1"
    assert rows(warehouse, "PRI_NAME") == [(2, "TESTPERSON,ANDR\u00e9")]


def test_utf8_file_is_detected_and_decoded(warehouse, tmp_path: Path):
    line = doj_line("R1", PRI_NAME="TESTPERSON,ANDR\u00e9")
    path = write_doj_file(tmp_path / "doj.dat", [line], encoding="utf-8")

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.encoding == "utf-8"
    assert rows(warehouse, "PRI_NAME") == [(2, "TESTPERSON,ANDR\u00e9")]


def test_quoted_fields_keep_commas_and_unescape_quotes(warehouse, tmp_path: Path):
    line = doj_line(
        "R1",
        PRI_NAME="TESTPERSON,ALPHA B",
        COMMENT_TEXT='CHARGE "11357 HS", REDUCED',
        OFN='""',
    )
    # 2 around the name, 2 + 4 in the comment, 6 for the two quotes of OFN.
    assert line.count('"') == 14
    path = write_doj_file(tmp_path / "doj.dat", [line])

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.lines_loaded == 1
    assert rows(warehouse, "PRI_NAME", "COMMENT_TEXT", "OFN", "END_OF_REC") == [
        (2, "TESTPERSON,ALPHA B", 'CHARGE "11357 HS", REDUCED', '""', "END")
    ]


def test_quoted_empty_field_loads_as_empty_text(warehouse, tmp_path: Path):
    line = doj_line("R1").replace(",END", ',""', 1)
    path = write_doj_file(tmp_path / "doj.dat", [line])

    load_doj_files(warehouse, [path])

    assert rows(warehouse, "END_OF_REC") == [(2, "")]


def test_byte_order_mark_is_removed_from_first_field(warehouse, tmp_path: Path):
    path = tmp_path / "doj.dat"
    path.write_bytes(b"\xef\xbb\xbf" + (doj_line("R1") + "\n").encode("utf-8"))

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.has_header is False
    assert rows(warehouse, "RECORD_ID") == [(1, "R1")]


def test_header_after_byte_order_mark_is_detected(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.has_header is True
    assert rows(warehouse, "RECORD_ID") == [(2, "R1")]


def test_line_numbers_follow_file_order_across_many_lines(warehouse, tmp_path: Path):
    # Enough lines to span many DuckDB vectors (2,048 rows) and several read buffers.
    count = 30_000
    lines = [doj_line(str(n), PRI_NAME=f"TESTPERSON{n},ALPHA") for n in range(2, count + 2)]
    path = write_doj_file(tmp_path / "doj.dat", lines)

    [loaded] = load_doj_files(warehouse, [path])

    assert loaded.lines_loaded == count
    (mismatches,) = warehouse.execute(
        'select count(*) from raw.doj_rows where cast("RECORD_ID" as bigint) <> line_number'
    ).fetchone()
    assert mismatches == 0


def test_file_record_holds_hash_size_and_counts(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R1"), "bad,line"])

    [loaded] = load_doj_files(warehouse, [path])

    record = warehouse.execute(
        """
        select file_name, file_path, file_hash, file_bytes, lines_read, lines_loaded,
            lines_quarantined
        from raw.doj_files
        """
    ).fetchall()
    assert record == [
        (
            "doj.dat",
            str(path.resolve()),
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_size,
            2,
            1,
            1,
        )
    ]
    assert loaded.file_hash == record[0][2]
