"""The reading guessed from a DOJ file's first chunk, and loads whose full scan overturns it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from doj_test_files import doj_line, table_count, write_doj_file

from clearance.errors import ClearanceError
from clearance.loading import doj_files, doj_line_store, line_reading
from clearance.loading.doj_files import load_doj_files
from clearance.loading.errors import InputFileError
from clearance.loading.file_scan import scan_doj_file
from clearance.loading.line_reading import LineReading, guess_line_reading

# A chunk this small contains only the start of the header, so later lines can overturn a guess.
SMALL_CHUNK = 64


@pytest.mark.parametrize(
    ("newline", "bom", "direct_new_line"),
    [("\n", b"", "\\n"), ("\r\n", b"\xef\xbb\xbf", "\\r\\n")],
    ids=["lf", "crlf-with-bom"],
)
def test_guess_matches_scan(tmp_path: Path, newline: str, bom: bytes, direct_new_line: str):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")], newline=newline)
    path.write_bytes(bom + path.read_bytes())

    guess = guess_line_reading(path)

    assert guess == LineReading.of(scan_doj_file(path))
    assert guess.direct_new_line == direct_new_line
    assert guess.has_header is True
    assert guess.has_bom is bool(bom)
    assert guess.bom_text == ("\ufeff" if bom else "")
    assert guess.encoding == "utf-8"


def test_guess_reads_latin1_from_first_chunk(tmp_path: Path):
    line = doj_line("R2", PRI_NAME="MU\u00d1OZ,ALPHA")
    path = write_doj_file(tmp_path / "doj.dat", [line], encoding="latin-1")

    guess = guess_line_reading(path)

    assert guess.encoding == "latin-1"
    assert guess == LineReading.of(scan_doj_file(path))


def test_guess_skips_delimiter_found_in_chunk(tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2", COMMENT_TEXT="A\x1eB")])

    guess = guess_line_reading(path)

    assert guess.delimiter == "\x1f"


def test_no_guess_for_lone_carriage_return(tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2", COMMENT_TEXT="A\rB")])

    assert guess_line_reading(path) is None


def test_no_guess_without_free_delimiter(tmp_path: Path):
    line = doj_line("R2", COMMENT_TEXT="\x1e\x1f\x1d")
    path = write_doj_file(tmp_path / "doj.dat", [line])

    assert guess_line_reading(path) is None


def test_later_latin1_line_overturns_utf8_guess(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(line_reading, "CHUNK_BYTES", SMALL_CHUNK)
    name = "MU\u00d1OZ,ALPHA"
    path = write_doj_file(
        tmp_path / "doj.dat", [doj_line("R2"), doj_line("R3", PRI_NAME=name)], encoding="latin-1"
    )

    with caplog.at_level(logging.INFO, logger=doj_files.__name__):
        [loaded] = load_doj_files(warehouse, [path])

    assert loaded.encoding == "latin-1"
    assert loaded.lines_loaded == 2
    assert "changed how it is read" in caplog.text
    (line,) = warehouse.execute("select line from raw.doj_lines where line_number = 3").fetchone()
    assert '"MU\u00d1OZ,ALPHA"' in line


def test_later_marker_byte_overturns_delimiter_guess(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(line_reading, "CHUNK_BYTES", SMALL_CHUNK)
    line = doj_line("R3", COMMENT_TEXT="A\x1eB")
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2"), line])

    with caplog.at_level(logging.INFO, logger=doj_files.__name__):
        [loaded] = load_doj_files(warehouse, [path])

    assert "changed how it is read" in caplog.text
    assert loaded.lines_loaded == 2
    assert table_count(warehouse, "doj_lines") == 2
    (stored,) = warehouse.execute("select line from raw.doj_lines where line_number = 3").fetchone()
    assert stored == line


def test_duplicate_content_in_one_call(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())

    first, second = load_doj_files(warehouse, [path, copy])

    assert first.reused is False
    assert second.reused is True
    assert second.load_id == first.load_id
    assert table_count(warehouse, "doj_lines") == 1


def test_rerun_scanned_before_storing(warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    load_doj_files(warehouse, [path])
    guesses: list[Path] = []
    monkeypatch.setattr(doj_line_store, "guess_line_reading", guesses.append)

    [again] = load_doj_files(warehouse, [path])

    assert again.reused is True
    assert guesses == []


def test_header_only_file_fails_while_scanned(warehouse, tmp_path: Path):
    good = write_doj_file(tmp_path / "good.dat", [doj_line("R2")])
    header_only = write_doj_file(tmp_path / "header.dat", [])

    with pytest.raises(InputFileError, match="header only"):
        load_doj_files(warehouse, [good, header_only])

    assert table_count(warehouse, "doj_files") == 0
    assert table_count(warehouse, "doj_lines") == 0


def test_hash_finds_loaded_content(warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    [first] = load_doj_files(warehouse, [path])
    # As if the earlier load's size had not matched: the hash alone must still find it.
    monkeypatch.setattr(doj_line_store, "_may_be_loaded", lambda con, file_bytes: False)

    [again] = load_doj_files(warehouse, [path])

    assert again.reused is True
    assert again.load_id == first.load_id
    assert table_count(warehouse, "doj_lines") == 1


def test_unreadable_file_raises_loader_error(warehouse, tmp_path: Path):
    # One line longer than the loader's 8 MiB line limit, which DuckDB refuses to read.
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2", COMMENT_TEXT="X" * 9 * 2**20)])

    with pytest.raises(ClearanceError, match="longer than 8 MiB") as raised:
        load_doj_files(warehouse, [path])

    assert str(path) in str(raised.value)
    assert table_count(warehouse, "doj_lines") == 0


def test_second_file_overturned_keeps_both(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(line_reading, "CHUNK_BYTES", SMALL_CHUNK)
    first = write_doj_file(tmp_path / "first.dat", [doj_line("R2")])
    later = doj_line("R4", COMMENT_TEXT="A\x1eB")
    second = write_doj_file(tmp_path / "second.dat", [doj_line("R3"), later])

    loaded = load_doj_files(warehouse, [first, second])

    assert [file.lines_loaded for file in loaded] == [1, 2]
    assert table_count(warehouse, "doj_files") == 2
    assert table_count(warehouse, "doj_lines") == 3
