"""Reading and finding the answer key of generated DOJ files, without running the pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clearance.errors import ClearanceError
from clearance.review.answer_key import find_answer_key, read_answer_key

HEADER = "county,subject_id,cnt_order,policy,determination,reason,scenario,compute_date"
GOOD_ROWS = [
    "SAN FRANCISCO,7,001002001000,sf-2019,Not eligible,Prior super strike,super_strike,2026-07-01",
    "SAN FRANCISCO,7,001002001000,dismiss-all-prop64,Eligible for Dismissal,"
    "Dismiss all Prop 64 charges,,2026-07-01",
    "LOS ANGELES,8,001002001000,la-pilot-2019,Hand Review,Other 11357,other_11357,2026-07-01",
]


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_key_rows_of_county(tmp_path: Path) -> None:
    key = read_answer_key(write(tmp_path / "key.csv", HEADER, *GOOD_ROWS), "SAN FRANCISCO")
    assert key.compute_date == date(2026, 7, 1)
    assert key.rows == 2
    assert key.policies == ("dismiss-all-prop64", "sf-2019")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [HEADER.replace("cnt_order,", ""), *GOOD_ROWS],
            "line 1: missing column cnt_order",
        ),
        ([], "empty; line 1 must be the header"),
        (
            [HEADER, GOOD_ROWS[0], GOOD_ROWS[1].replace(",7,", ",,")],
            "line 3: column subject_id: empty",
        ),
        (
            [HEADER, GOOD_ROWS[0].replace("2026-07-01", "07/01/2026")],
            "line 2: column compute_date: not a date in the form YYYY-MM-DD",
        ),
        (
            [HEADER, GOOD_ROWS[0], GOOD_ROWS[1].replace("2026-07-01", "2026-07-02")],
            "line 3: column compute_date: differs from line 2",
        ),
        (
            [HEADER, GOOD_ROWS[0].replace("Not eligible", "Not Eligible")],
            "line 2: column determination: not one of Eligible for Dismissal;",
        ),
        (
            [HEADER, *GOOD_ROWS, GOOD_ROWS[0]],
            "line 5: repeats an earlier row's county, subject_id, cnt_order and policy",
        ),
        (
            [HEADER, GOOD_ROWS[0], GOOD_ROWS[1] + ",extra"],
            "line 3: 9 fields where the header has 8",
        ),
        ([HEADER, GOOD_ROWS[2]], "no rows for county SAN FRANCISCO; its counties are: LOS ANGELES"),
    ],
)
def test_invalid_key_names_file_and_line(tmp_path: Path, lines: list[str], message: str) -> None:
    path = tmp_path / "key.csv"
    if lines:
        write(path, *lines)
    else:
        path.write_text("", encoding="utf-8")
    with pytest.raises(ClearanceError) as raised:
        read_answer_key(path, "SAN FRANCISCO")
    assert str(raised.value).startswith(f"answer key {path}: ")
    assert message in str(raised.value)


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(ClearanceError, match="answer key .*absent.csv: not found"):
        read_answer_key(tmp_path / "absent.csv", "SAN FRANCISCO")


def test_key_found_only_beside_manifest(tmp_path: Path) -> None:
    doj_file = write(tmp_path / "doj.csv", "")
    write(tmp_path / "answer-key.csv", HEADER)
    assert find_answer_key([doj_file]) is None
    write(tmp_path / "manifest.json", "{}")
    assert find_answer_key([doj_file]) == tmp_path / "answer-key.csv"


def test_keys_in_two_folders_are_ambiguous(tmp_path: Path) -> None:
    doj_files = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        write(folder / "manifest.json", "{}")
        write(folder / "answer-key.csv", HEADER)
        doj_files.append(write(folder / "doj.csv", ""))
    with pytest.raises(ClearanceError, match="2 folders that each hold an answer key"):
        find_answer_key(doj_files)
