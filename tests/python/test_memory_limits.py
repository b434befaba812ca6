"""DuckDB's memory limits of a run: the run's own, and the lower one of its load and staging."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dbt_harness import PROJECT_DIR, empty_warehouse, run_dbt

from clearance.settings import load_memory_limit, memory_bytes

SIZES = ("2GB", "1.5 GiB", "800MB", "1024KiB", "1073741824 bytes", "3tb", "lots", "-1")


def compile_inline(sql: str, tmp_path: Path) -> str:
    """Return what dbt compiles the SQL to, in the project, with the test's environment."""
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    result = run_dbt(["compile", "--quiet", "--inline", sql], warehouse, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_run_limit_defaults_agree() -> None:
    default = re.compile(r"CLEARANCE_DUCKDB_MEMORY_LIMIT['\"], ['\"]([^'\"]+)['\"]")
    sources = ("profiles.yml", "clearance/settings.py", "macros/run_settings/memory_limits.sql")

    defaults = {default.findall((PROJECT_DIR / source).read_text())[0] for source in sources}

    assert defaults == {"2GB"}


def test_memory_bytes_reads_duckdb_units() -> None:
    assert memory_bytes("2GB") == 2_000_000_000
    assert memory_bytes("1.5 GiB") == 1.5 * 2**30
    assert memory_bytes("800mb") == 800_000_000
    assert memory_bytes("1073741824 bytes") == 2**30
    assert memory_bytes("lots") == 0
    # DuckDB's "no limit" has no unit.
    assert memory_bytes("-1") == 0


@pytest.mark.slow
def test_memory_bytes_same_in_dbt(tmp_path: Path) -> None:
    sql = "|".join(f"{{{{ memory_bytes('{size}') }}}}" for size in SIZES)

    in_dbt = [float(value) for value in compile_inline(sql, tmp_path).split("|")]

    assert in_dbt == [memory_bytes(size) for size in SIZES]


LOAD_LIMIT_CASES = [
    ({}, "1GB|2GB"),
    # The load never gets more than the run.
    ({"CLEARANCE_DUCKDB_MEMORY_LIMIT": "500MB"}, "500MB|500MB"),
    ({"CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT": "1.5 GiB"}, "1.5 GiB|2GB"),
    # A run without a limit leaves the load without one too.
    ({"CLEARANCE_DUCKDB_MEMORY_LIMIT": "-1"}, "-1|-1"),
    # 1,999 MB is below 2GB, a power of 1000, but above 1.8 GiB.
    (
        {"CLEARANCE_DUCKDB_MEMORY_LIMIT": "1.8GiB", "CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT": "1999MB"},
        "1.8GiB|1.8GiB",
    ),
]


def set_limits(monkeypatch, settings: dict[str, str]) -> None:
    monkeypatch.delenv("CLEARANCE_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT", raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(("settings", "expected"), LOAD_LIMIT_CASES)
def test_load_limit_in_python(monkeypatch, settings: dict[str, str], expected: str) -> None:
    set_limits(monkeypatch, settings)

    assert load_memory_limit() == expected.split("|")[0]


@pytest.mark.slow
@pytest.mark.parametrize(("settings", "expected"), LOAD_LIMIT_CASES)
def test_load_limit_in_dbt(
    tmp_path: Path, monkeypatch, settings: dict[str, str], expected: str
) -> None:
    set_limits(monkeypatch, settings)

    limits = compile_inline("{{ load_memory_limit() }}|{{ run_memory_limit() }}", tmp_path)

    assert limits == expected
