"""Fixtures shared by the loader tests: a throwaway warehouse per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from clearance.loading.raw_schema import create_raw_schema


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty raw layer in a DuckDB file private to the test."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_raw_schema(con)
    yield con
    con.close()
