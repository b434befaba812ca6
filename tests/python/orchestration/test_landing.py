"""Landing folders: which DOJ extract is ready, and which is the newest."""

from __future__ import annotations

import os
from pathlib import Path

from clearance.landing import landed_extracts, newest_ready_extract

# Modification times used below, in seconds since the epoch.
T0 = 1_800_000_000


def write(path: Path, text: str, mtime: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def test_file_unchanged_for_settle_seconds_is_ready(tmp_path: Path) -> None:
    write(tmp_path / "doj" / "extract.dat", "x", T0)
    # 119 s after the last write, with 120 s to settle: still possibly being copied.
    assert newest_ready_extract(tmp_path, 120, now=T0 + 119) is None
    ready = newest_ready_extract(tmp_path, 120, now=T0 + 120)
    assert ready is not None
    assert ready.name == "extract.dat"


def test_done_marker_makes_extract_ready_at_once(tmp_path: Path) -> None:
    write(tmp_path / "doj" / "extract.dat", "x", T0)
    write(tmp_path / "doj" / "extract.dat.done", "", T0)
    ready = newest_ready_extract(tmp_path, 120, now=T0 + 1)
    assert ready is not None
    assert ready.has_done_marker


def test_newest_ready_extract_wins(tmp_path: Path) -> None:
    write(tmp_path / "doj" / "march.dat", "x", T0)
    write(tmp_path / "doj" / "april.dat", "x", T0 + 1000)
    # Still being written: newer, but not ready.
    write(tmp_path / "doj" / "may.dat", "x", T0 + 2000)
    ready = newest_ready_extract(tmp_path, 120, now=T0 + 2060)
    assert ready is not None
    assert ready.name == "april.dat"


def test_folder_extract_reads_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path / "doj" / "june" / "part2.dat", "b", T0)
    write(tmp_path / "doj" / "june" / "part1.dat", "a", T0 + 5)
    write(tmp_path / "doj" / "june" / "notes.pdf", "n", T0)
    extracts = landed_extracts(tmp_path)
    assert len(extracts) == 1
    assert [path.name for path in extracts[0].paths] == ["part1.dat", "part2.dat"]
    assert extracts[0].modified == T0 + 5


def test_hidden_and_other_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path / "doj" / ".extract.dat", "x", T0)
    write(tmp_path / "doj" / "extract.dat.part", "x", T0)
    write(tmp_path / "extract.dat", "x", T0)  # outside doj/
    assert landed_extracts(tmp_path) == []


def test_missing_landing_folder_has_no_extract(tmp_path: Path) -> None:
    assert newest_ready_extract(tmp_path / "absent", 0) is None


def test_fingerprint_changes_when_file_is_rewritten(tmp_path: Path) -> None:
    path = write(tmp_path / "doj" / "extract.dat", "x", T0)
    first = landed_extracts(tmp_path)[0].fingerprint
    assert landed_extracts(tmp_path)[0].fingerprint == first
    write(path, "xy", T0)
    assert landed_extracts(tmp_path)[0].fingerprint != first
