"""The command line checks court files against their mappings before it opens the warehouse."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from court_test_files import COURT_HEADER, court_line, write_court_file, write_mapping

from clearance.cli import _check_court_inputs, main


def run_arguments(tmp_path: Path, court: Path, mapping: Path) -> list[str]:
    doj = tmp_path / "doj.csv"
    doj.write_text("RECORD_ID\n", encoding="utf-8")
    return [
        "run", "--doj", str(doj), "--court", str(court), "--court-mapping", str(mapping),
        "--county", "LOS ANGELES", "--policy", "legal-default", "--no-answer-key",
        "--out", str(tmp_path / "out"), "--warehouse", str(tmp_path / "warehouse" / "w.duckdb"),
    ]  # fmt: skip


def test_missing_header_column_fails_before_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    court = write_court_file(
        tmp_path / "court.csv", [court_line("BA100000001")],
        header=COURT_HEADER.replace("DISPO_DT", "DISPOSED_ON"),
    )  # fmt: skip
    mapping = write_mapping(tmp_path / "mapping.yaml")

    status = main(run_arguments(tmp_path, court, mapping))

    assert status == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert errors == [
        f"clearance: error: court file {court}: column DISPO_DT (canonical disposition_date) "
        f"named by mapping file {mapping} is not in the file's header"
    ]
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "warehouse").exists()


def test_header_check_reads_crlf_and_bom(tmp_path: Path):
    court = tmp_path / "court.csv"
    court.write_bytes(
        ("\ufeff" + COURT_HEADER + "\r\n" + court_line("BA100000001") + "\r\n").encode("utf-8")
    )
    mapping = write_mapping(tmp_path / "mapping.yaml")

    assert _check_court_inputs([str(court)], [str(mapping)]) == ([court], [mapping])


def test_invalid_mapping_fails_before_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml", date_format="%m/%Q/%Y")

    status = main(run_arguments(tmp_path, court, mapping))

    assert status == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"clearance: error: court mapping file {mapping}: date_format is not a format "
        "DuckDB's strptime reads"
    )
    assert not (tmp_path / "warehouse").exists()


def test_mapping_for_other_file_name_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    court = write_court_file(tmp_path / "other_court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml", file="court.csv")

    with caplog.at_level(logging.WARNING, logger="clearance"):
        checked = _check_court_inputs([str(court)], [str(mapping)])

    assert checked == ([court], [mapping])
    assert [record.getMessage() for record in caplog.records] == [
        f"court file {court} is named other_court.csv, but its mapping file {mapping} was "
        "written for court.csv; check that the mapping belongs to this court file"
    ]


def test_mapping_for_same_file_name_is_quiet(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml", file="exports/court.csv")

    with caplog.at_level(logging.WARNING, logger="clearance"):
        _check_court_inputs([str(court)], [str(mapping)])

    assert caplog.records == []
