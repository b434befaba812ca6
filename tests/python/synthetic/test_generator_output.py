"""Generated DOJ files: same seed same bytes, sane histories, and a load through the loader."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
from generated_extract import GeneratedExtract
from quirk_measures import counting_offense, is_prop64_text

from clearance.loading.doj_files import load_doj_files
from clearance.synthetic.generator import MANIFEST_NAME, generate

PROP64_CONVICTION_BEFORE = date(2016, 11, 9)


def _file_bytes(out_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out_dir.iterdir())}


def test_same_seed_writes_same_bytes(tmp_path: Path) -> None:
    for run in ("first", "second"):
        generate(["SAN FRANCISCO", "LOS ANGELES"], 5, tmp_path / run, scale=0.005, files=2)
    first = _file_bytes(tmp_path / "first")
    second = _file_bytes(tmp_path / "second")
    assert sorted(first) == sorted(second)
    for name, content in first.items():
        assert content == second[name], name


def test_other_seed_writes_other_rows(tmp_path: Path) -> None:
    generate(["SAN FRANCISCO"], 5, tmp_path / "five", scale=0.005)
    generate(["SAN FRANCISCO"], 6, tmp_path / "six", scale=0.005)
    name = "san_francisco_doj.csv"
    assert (tmp_path / "five" / name).read_bytes() != (tmp_path / "six" / name).read_bytes()


def test_counties_get_distinct_subject_ids(tmp_path: Path) -> None:
    manifest = generate(["SAN FRANCISCO", "LOS ANGELES"], 5, tmp_path, scale=0.005)
    ids: dict[str, set[str]] = {}
    for county in manifest["counties"]:
        text = (tmp_path / county["files"][0]["file"]).read_bytes().decode("latin-1")
        ids[county["county"]] = {line.split(",")[2] for line in text.splitlines()[1:]}
    assert not ids["SAN FRANCISCO"] & ids["LOS ANGELES"]


def test_manifest_scales_targets(extract: GeneratedExtract) -> None:
    (county,) = extract.manifest["counties"]
    assert county["county"] == "LOS ANGELES"
    assert county["policy"] == "la-pilot-2019"
    assert county["target_eligible_convictions"] == 50000
    assert county["target_eligible_convictions_scaled"] == 1000
    assert county["prop64_convictions_in_county"] >= county["subjects"]
    truncated = sum(entry["truncated_last_line"] for entry in county["files"])
    assert sum(entry["lines"] for entry in county["files"]) == county["rows"] + truncated
    assert set(extract.manifest["quirks"]) >= {"malformed_line", "placeholder", "attempt"}


def test_every_subject_has_county_prop64_conviction(extract: GeneratedExtract) -> None:
    convicted: set[str] = set()
    subjects: set[str] = set()
    for row in extract.rows:
        subjects.add(row["SUBJECT_ID"])
        if (
            row["STP_TYPE_DESCR"] == "COURT ACTION"
            and row["DISP_DESCR"].startswith("CONVICTED")
            and row["STP_ORI_CNTY_NAME"] == "LOS ANGELES"
            and _is_prop64(row)
            and date.fromisoformat(_iso(row["CYC_DATE"])) < PROP64_CONVICTION_BEFORE
        ):
            convicted.add(row["SUBJECT_ID"])
    assert len(subjects) == extract.manifest["counties"][0]["subjects"]
    # A subject whose only such row is on a split boundary is still whole: files are read together.
    assert subjects == convicted


def test_histories_run_forward_from_age_twelve(extract: GeneratedExtract) -> None:
    cycle_dates: dict[str, dict[int, str]] = defaultdict(dict)
    for row in extract.rows:
        cycle_date = date.fromisoformat(_iso(row["CYC_DATE"]))
        # A few subjects are planned with no date of birth on record.
        if row["PRI_DOB"]:
            dob = date.fromisoformat(_iso(row["PRI_DOB"]))
            assert (cycle_date - dob).days >= 12 * 365, row["SUBJECT_ID"]
        assert cycle_date.year >= 1960
        assert row["STP_EVENT_DATE"][:4] >= row["CYC_DATE"][:4]
        cycle_dates[row["SUBJECT_ID"]][int(row["CYC_ORDER"])] = row["CYC_DATE"]
    for subject, dates in cycle_dates.items():
        ordered = [dates[cycle] for cycle in sorted(dates)]
        assert ordered == sorted(ordered), subject


def test_histories_reach_back_to_the_1960s(extract: GeneratedExtract) -> None:
    years = {int(row["CYC_DATE"][:4]) for row in extract.rows}
    assert min(years) < 1970
    assert max(years) > 2015


def test_identifiers_are_invalid_forms(extract: GeneratedExtract) -> None:
    for row in extract.rows:
        ssn = row["PRI_SSN"]
        assert len(ssn) == 9
        assert ssn.startswith("9")
        assert ssn[3:5] == "00"
        assert row["PRI_CDL"] == ""
        assert row["FBI_NUMBER"] == ""


def test_files_load_with_declared_quarantine(extract: GeneratedExtract, tmp_path: Path) -> None:
    (county,) = extract.manifest["counties"]
    paths = [extract.out_dir / entry["file"] for entry in county["files"]]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        loaded = load_doj_files(con, paths)
    for entry, result in zip(county["files"], loaded, strict=True):
        assert result.lines_read == result.lines_loaded + result.lines_quarantined
        assert result.lines_read == entry["lines"]
        assert result.lines_quarantined == entry["malformed_lines"], entry["file"]
        assert result.encoding == entry["encoding"]
        assert result.has_header == entry["header"]
    assert sum(result.lines_quarantined for result in loaded) == county["malformed_lines"]
    assert extract.malformed_lines == county["malformed_lines"]


def test_generate_help_lists_options() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "clearance.cli", "generate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--county", "--seed", "--out", "--scale", "--files"):
        assert option in completed.stdout


def test_generate_command_writes_manifest(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "clearance.cli",
            "generate",
            "--county",
            "san francisco",
            "--seed",
            "3",
            "--scale",
            "0.005",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["counties"][0]["county"] == "SAN FRANCISCO"
    assert "SAN FRANCISCO:" in completed.stdout


def test_generate_rejects_uncalibrated_county(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "clearance.cli",
            "generate",
            "--county",
            "MARIN",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "no calibration target for county 'MARIN'" in completed.stderr
    assert not (tmp_path / "out").exists()


def _iso(text: str) -> str:
    # Partial dates (YYYYMM00, YYYY0000) stand for a range; its first day is enough here.
    year, month, day = text[:4], text[4:6], text[6:8]
    return f"{year}-{month if month != '00' else '01'}-{day if day != '00' else '01'}"


def _is_prop64(row: dict[str, str]) -> bool:
    return is_prop64_text(counting_offense(row))


def test_generate_rejects_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "san_francisco_doj.csv").write_text("left from an earlier call\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "clearance.cli", "generate", "--county", "LOS ANGELES",
         "--seed", "1", "--scale", "0.001", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "the folder is not empty" in completed.stderr
    assert not (tmp_path / MANIFEST_NAME).exists()
