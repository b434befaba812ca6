"""A DOJ file that cannot be loaded fails the whole call, names the file, and loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from doj_test_files import HEADER, doj_line, table_count, write_doj_file

from clearance.errors import ClearanceError
from clearance.loading import doj_files
from clearance.loading.doj_files import load_doj_files
from clearance.loading.errors import InputFileError

RAW_LOAD_TABLES = ("doj_files", "doj_lines", "doj_quarantine")


def assert_nothing_loaded(con) -> None:
    for table in RAW_LOAD_TABLES:
        assert table_count(con, table) == 0, table


def test_input_file_error_is_a_clearance_error():
    assert issubclass(InputFileError, ClearanceError)


def test_missing_file_fails_naming_it(warehouse, tmp_path: Path):
    missing = tmp_path / "absent.dat"

    with pytest.raises(InputFileError, match=f"^DOJ file not found: {missing}$"):
        load_doj_files(warehouse, [missing])

    assert_nothing_loaded(warehouse)


def test_directory_fails_naming_it(warehouse, tmp_path: Path):
    with pytest.raises(InputFileError, match=f"^DOJ file is not a regular file: {tmp_path}$"):
        load_doj_files(warehouse, [tmp_path])

    assert_nothing_loaded(warehouse)


def test_zero_byte_file_fails_as_empty(warehouse, tmp_path: Path):
    path = tmp_path / "doj.dat"
    path.write_bytes(b"")

    with pytest.raises(InputFileError, match=f"^DOJ file is empty: {path}$"):
        load_doj_files(warehouse, [path])

    assert_nothing_loaded(warehouse)


def test_header_only_file_fails_as_empty(warehouse, tmp_path: Path):
    path = tmp_path / "doj.dat"
    path.write_text(HEADER + "\r\n\r\n", encoding="utf-8")

    with pytest.raises(InputFileError, match=r"^DOJ file is empty: .*doj\.dat \(header only\)$"):
        load_doj_files(warehouse, [path])

    assert_nothing_loaded(warehouse)


def test_blank_lines_only_file_fails_as_empty(warehouse, tmp_path: Path):
    path = tmp_path / "doj.dat"
    path.write_text("\n  \n\t\n", encoding="utf-8")

    with pytest.raises(
        InputFileError, match=r"^DOJ file is empty: .*doj\.dat \(blank lines only\)$"
    ):
        load_doj_files(warehouse, [path])

    assert_nothing_loaded(warehouse)


def test_all_bad_lines_file_fails(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", ["a,b,c", doj_line("R3") + ",EXTRA"])

    with pytest.raises(
        InputFileError, match=r"^DOJ file has no valid line: .*doj\.dat \(2 lines quarantined\)$"
    ):
        load_doj_files(warehouse, [path])

    assert_nothing_loaded(warehouse)


def test_bad_second_file_rolls_back_the_first(warehouse, tmp_path: Path):
    good = write_doj_file(tmp_path / "good.dat", [doj_line("R2"), "bad"])
    all_bad = write_doj_file(tmp_path / "bad.dat", ["bad"])

    with pytest.raises(InputFileError, match="bad.dat"):
        load_doj_files(warehouse, [good, all_bad])

    assert_nothing_loaded(warehouse)


def test_missing_second_file_is_found_before_loading(warehouse, tmp_path: Path):
    good = write_doj_file(tmp_path / "good.dat", [doj_line("R2")])

    with pytest.raises(InputFileError, match="absent.dat"):
        load_doj_files(warehouse, [good, tmp_path / "absent.dat"])

    assert_nothing_loaded(warehouse)


def test_error_message_holds_no_line_content(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", ["TESTPERSON,SECRETNAME,999001234"])

    with pytest.raises(InputFileError) as failure:
        load_doj_files(warehouse, [path])

    assert "SECRETNAME" not in str(failure.value)
    assert "999001234" not in str(failure.value)


def test_failed_check_deletes_stored_lines(warehouse, tmp_path: Path):
    # Lines are committed before they are checked, so the check's failure must remove them.
    good = write_doj_file(tmp_path / "good.dat", [doj_line("R2"), doj_line("R3")])
    all_bad = write_doj_file(tmp_path / "bad.dat", ["bad", "worse"])

    with pytest.raises(InputFileError, match="bad.dat"):
        load_doj_files(warehouse, [good, all_bad])

    assert_nothing_loaded(warehouse)
    loaded = load_doj_files(warehouse, [good])
    assert [(file.lines_loaded, file.reused) for file in loaded] == [(2, False)]


def test_next_load_deletes_unrecorded_lines(warehouse, tmp_path: Path):
    # A process killed between storing lines and recording their file leaves lines that no
    # file record names.
    warehouse.execute(
        "insert into raw.doj_lines values ('killed-load', 2, $line)", {"line": doj_line("R9")}
    )
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])

    [loaded] = load_doj_files(warehouse, [path])

    stored = warehouse.execute("select load_id, line_number from raw.doj_lines").fetchall()
    assert stored == [(loaded.load_id, 2)]


def test_failed_call_keeps_earlier_load(warehouse, tmp_path: Path):
    earlier_path = write_doj_file(tmp_path / "earlier.dat", [doj_line("R2"), "bad", doj_line("R4")])
    [earlier] = load_doj_files(warehouse, [earlier_path])
    new = write_doj_file(tmp_path / "new.dat", [doj_line("R7")])
    all_bad = write_doj_file(tmp_path / "bad.dat", ["bad", "worse"])

    with pytest.raises(InputFileError, match="bad.dat"):
        load_doj_files(warehouse, [earlier_path, new, all_bad])

    stored = warehouse.execute("select load_id, line_number from raw.doj_lines").fetchall()
    assert stored == [(earlier.load_id, 2), (earlier.load_id, 4)]
    assert table_count(warehouse, "doj_files") == 1
    assert table_count(warehouse, "doj_quarantine") == 1


def test_interrupted_check_deletes_stored_lines(warehouse, tmp_path: Path, monkeypatch):
    # Ctrl-C reaches the load as KeyboardInterrupt, here while the second file is recorded.
    first = write_doj_file(tmp_path / "a.dat", [doj_line("R2"), "bad"])
    second = write_doj_file(tmp_path / "b.dat", [doj_line("R9")])
    record_file = doj_files._insert_file_record

    def record_then_interrupt(con, loaded, file_bytes):
        if loaded.file_name == "b.dat":
            raise KeyboardInterrupt
        record_file(con, loaded, file_bytes)

    monkeypatch.setattr(doj_files, "_insert_file_record", record_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_doj_files(warehouse, [first, second])

    assert_nothing_loaded(warehouse)


def test_doj_rows_view_skips_unrecorded_lines(warehouse):
    # Lines of a killed load stay until the next load and were never checked.
    warehouse.execute("insert into raw.doj_lines values ('killed-load', 2, 'bad')")

    assert table_count(warehouse, "doj_rows") == 0
