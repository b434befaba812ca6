"""A DOJ file whose content was loaded before is reused, never loaded twice."""

from __future__ import annotations

import shutil
from pathlib import Path

from doj_test_files import doj_line, table_count, write_doj_file

from clearance.loading.doj_files import load_doj_files


def test_same_file_again_reuses_its_load(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2"), doj_line("R3"), "bad"])
    [first] = load_doj_files(warehouse, [path])

    [second] = load_doj_files(warehouse, [path])

    assert first.reused is False
    assert second.reused is True
    assert second.load_id == first.load_id
    assert second.lines_loaded == 2
    assert second.lines_quarantined == 1
    assert table_count(warehouse, "doj_files") == 1
    assert table_count(warehouse, "doj_lines") == 2
    assert table_count(warehouse, "doj_quarantine") == 1


def test_same_content_under_another_name_is_reused(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    copy = tmp_path / "copy.csv"
    shutil.copyfile(path, copy)
    [first] = load_doj_files(warehouse, [path])

    [second] = load_doj_files(warehouse, [copy])

    assert second.reused is True
    assert second.load_id == first.load_id
    assert second.file_name == "doj.dat"
    assert table_count(warehouse, "doj_lines") == 1


def test_same_file_twice_in_one_call_loads_once(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])

    first, second = load_doj_files(warehouse, [path, path])

    assert first.reused is False
    assert second.reused is True
    assert second.load_id == first.load_id
    assert table_count(warehouse, "doj_lines") == 1


def test_changed_content_is_a_new_load(warehouse, tmp_path: Path):
    path = write_doj_file(tmp_path / "doj.dat", [doj_line("R2")])
    [first] = load_doj_files(warehouse, [path])
    write_doj_file(path, [doj_line("R2"), doj_line("R3")])

    [second] = load_doj_files(warehouse, [path])

    assert second.reused is False
    assert second.load_id != first.load_id
    assert table_count(warehouse, "doj_lines") == 3
