"""Run folders and the atomic switch of a county's `latest` link."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from clearance.publishing.folders import (
    create_run_folder,
    latest_publication,
    publish_latest,
    run_folder,
)

STARTED = dt.datetime(2026, 12, 1, 14, 5, 9, tzinfo=dt.UTC)


def test_run_folder_names_county_time_and_run(tmp_path: Path) -> None:
    folder = run_folder(tmp_path, "SAN LUIS OBISPO", STARTED, "abc123")
    assert folder == tmp_path / "san_luis_obispo" / "20261201T140509Z-abc123"


def test_run_folder_time_is_utc(tmp_path: Path) -> None:
    # 06:05:09 at UTC-8 is 14:05:09 UTC.
    pacific = dt.datetime(2026, 12, 1, 6, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert run_folder(tmp_path, "YOLO", pacific, "r").name == "20261201T140509Z-r"


def test_publish_switches_latest_to_new_run(tmp_path: Path) -> None:
    first = create_run_folder(run_folder(tmp_path, "YOLO", STARTED, "first"))
    (first / "summary.json").write_text("{}")
    publish_latest(first)
    assert latest_publication(tmp_path, "YOLO") == first.resolve()

    second = create_run_folder(run_folder(tmp_path, "YOLO", STARTED, "second"))
    link = publish_latest(second)
    assert os.readlink(link) == second.name
    assert latest_publication(tmp_path, "YOLO") == second.resolve()
    # The earlier run stays complete beside it.
    assert (first / "summary.json").read_text() == "{}"
    # No temporary link is left behind.
    assert sorted(path.name for path in (tmp_path / "yolo").iterdir()) == sorted(
        [first.name, second.name, "latest"]
    )


def test_unpublished_run_leaves_latest_in_place(tmp_path: Path) -> None:
    first = create_run_folder(run_folder(tmp_path, "YOLO", STARTED, "first"))
    publish_latest(first)
    # A second run wrote its folder but failed before publishing.
    create_run_folder(run_folder(tmp_path, "YOLO", STARTED, "failed"))
    assert latest_publication(tmp_path, "YOLO") == first.resolve()


def test_publishing_a_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        publish_latest(tmp_path / "yolo" / "absent")
    assert latest_publication(tmp_path, "YOLO") is None


def test_run_folders_are_owner_only(tmp_path: Path) -> None:
    folder = create_run_folder(run_folder(tmp_path / "root", "YOLO", STARTED, "r"))
    for path in (tmp_path / "root", folder.parent, folder):
        assert path.stat().st_mode & 0o777 == 0o700, path
