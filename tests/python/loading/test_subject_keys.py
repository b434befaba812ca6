"""The subject-key secret is owner-only, and subject keys are keyed hashes that never expose it."""

from __future__ import annotations

import hashlib
import stat
from datetime import date
from pathlib import Path

import pytest
from doj_test_files import doj_line, write_doj_file

from clearance.loading.doj_files import load_doj_files
from clearance.pseudonym import load_or_create_secret, write_subject_keys
from clearance.runs import register_run

SECRET = b"test-secret-0001"


@pytest.fixture(autouse=True)
def no_secret_in_environment(monkeypatch):
    monkeypatch.delenv("CLEARANCE_SUBJECT_KEY", raising=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def register_test_run(con, tmp_path: Path, run_id: str, lines: list[str] | None = None) -> None:
    if lines is None:
        lines = [
            doj_line("R2", SUBJECT_ID="900001"),
            doj_line("R3", SUBJECT_ID="900001"),
            doj_line("R4", SUBJECT_ID="900002"),
            doj_line("R5", SUBJECT_ID=""),
        ]
    path = write_doj_file(tmp_path / f"doj-{run_id}.dat", lines)
    loaded = load_doj_files(con, [path])
    register_run(
        con,
        run_id=run_id,
        county="SAN JOAQUIN",
        policy_name="county",
        policy_parameters={},
        compute_date=date(2026, 7, 1),
        loaded_files=loaded,
    )


def subject_keys(con, run_id: str) -> dict[str, str]:
    result = con.execute(
        "select subject_id, subject_key from raw.run_subject_keys where run_id = $run_id",
        {"run_id": run_id},
    ).fetchall()
    return dict(result)


def test_new_key_file_is_owner_only(tmp_path: Path):
    key_file = tmp_path / "keys" / "subject_key"

    secret = load_or_create_secret(key_file)

    assert mode(key_file) == 0o600
    assert mode(key_file.parent) == 0o700
    assert len(secret) == 64
    assert int(secret, 16) >= 0


def test_existing_key_file_is_read_back(tmp_path: Path):
    key_file = tmp_path / "subject_key"

    first = load_or_create_secret(key_file)
    second = load_or_create_secret(key_file)

    assert second == first


def test_environment_secret_wins_over_key_file(tmp_path: Path, monkeypatch):
    key_file = tmp_path / "subject_key"
    load_or_create_secret(key_file)
    monkeypatch.setenv("CLEARANCE_SUBJECT_KEY", "from-environment")

    assert load_or_create_secret(key_file) == b"from-environment"


def test_environment_secret_creates_no_key_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CLEARANCE_SUBJECT_KEY", "from-environment")
    key_file = tmp_path / "subject_key"

    load_or_create_secret(key_file)

    assert not key_file.exists()


def test_subject_key_is_sha256_of_secret_colon_subject(warehouse, tmp_path: Path):
    register_test_run(warehouse, tmp_path, "run-1")

    written = write_subject_keys(warehouse, "run-1", SECRET)

    assert written == 2
    assert subject_keys(warehouse, "run-1") == {
        "900001": hashlib.sha256(b"test-secret-0001:900001").hexdigest(),
        "900002": hashlib.sha256(b"test-secret-0001:900002").hexdigest(),
    }


def test_quoted_subject_id_gets_its_key(warehouse, tmp_path: Path):
    # Quoted fields before and in SUBJECT_ID, with commas inside, must not shift the field.
    lines = [doj_line("R2", SUBJECT_STATUS="A,B", SUBJECT_ID='90,"3"')]
    register_test_run(warehouse, tmp_path, "run-q", lines)

    assert write_subject_keys(warehouse, "run-q", SECRET) == 1
    assert subject_keys(warehouse, "run-q") == {
        '90,"3"': hashlib.sha256(b'test-secret-0001:90,"3"').hexdigest()
    }


def test_subject_keys_are_deterministic_for_one_secret(warehouse, tmp_path: Path):
    register_test_run(warehouse, tmp_path, "run-1")
    register_test_run(warehouse, tmp_path, "run-2")

    write_subject_keys(warehouse, "run-1", SECRET)
    write_subject_keys(warehouse, "run-2", SECRET)

    assert subject_keys(warehouse, "run-2") == subject_keys(warehouse, "run-1")


def test_another_secret_gives_other_keys(warehouse, tmp_path: Path):
    register_test_run(warehouse, tmp_path, "run-1")
    register_test_run(warehouse, tmp_path, "run-2")

    write_subject_keys(warehouse, "run-1", SECRET)
    write_subject_keys(warehouse, "run-2", b"another-secret")

    first = subject_keys(warehouse, "run-1")
    second = subject_keys(warehouse, "run-2")
    assert set(first) == set(second)
    assert all(first[subject] != second[subject] for subject in first)


def test_secret_is_stored_in_no_raw_table(warehouse, tmp_path: Path):
    register_test_run(warehouse, tmp_path, "run-1")

    write_subject_keys(warehouse, "run-1", SECRET)

    text_columns = warehouse.execute(
        """
        select table_name, column_name
        from information_schema.columns
        where table_schema = 'raw' and data_type = 'VARCHAR'
        """
    ).fetchall()
    assert text_columns
    for table, column in text_columns:
        (hits,) = warehouse.execute(
            f'select count(*) from raw.{table} where contains("{column}", $secret)',
            {"secret": SECRET.decode()},
        ).fetchone()
        assert hits == 0, f"raw.{table}.{column}"


def test_placeholder_subject_id_gets_no_key(warehouse, tmp_path: Path):
    lines = [doj_line("R2", SUBJECT_ID="900001"), doj_line("R3", SUBJECT_ID="  -  ")]
    path = write_doj_file(tmp_path / "doj.dat", lines)
    loaded = load_doj_files(warehouse, [path])
    register_run(
        warehouse,
        run_id="run-1",
        county="SAN JOAQUIN",
        policy_name="county",
        policy_parameters={},
        compute_date=date(2026, 7, 1),
        loaded_files=loaded,
    )

    write_subject_keys(warehouse, "run-1", SECRET)

    assert list(subject_keys(warehouse, "run-1")) == ["900001"]


def test_padded_subject_id_is_keyed_as_staging_reads_it(warehouse, tmp_path: Path):
    # Staging trims the spaces around SUBJECT_ID, so the key must be of the trimmed id.
    register_test_run(warehouse, tmp_path, "run-padded", [doj_line("R2", SUBJECT_ID=" 900007 ")])
    write_subject_keys(warehouse, "run-padded", SECRET)

    assert subject_keys(warehouse, "run-padded") == {
        "900007": hashlib.sha256(b"test-secret-0001:900007").hexdigest()
    }
