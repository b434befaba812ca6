"""The dbt unit tests of the court linking, court-only, prior-relief and motion-list models.

The court staging model's unit tests run with the other staging ones in test_staging_models.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dbt_harness import empty_warehouse, run_dbt

pytestmark = pytest.mark.slow

COURT_MODELS = "+exp_court__motion_lists +fct_court_link_summary +int_court__link_reviews"
COURT_UNIT_TESTS = (
    "test_type:unit,path:models/intermediate/court",
    "test_type:unit,fct_court_link_summary",
    "test_type:unit,exp_court__motion_lists",
)
# The court YAML files define 14 intermediate, 1 mart and 3 export unit tests.
COURT_UNIT_TEST_COUNT = 18


def test_court_unit_tests_pass(tmp_path: Path) -> None:
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    # Unit tests need their parent relations to exist, so build them empty first.
    build = run_dbt(
        ["build", "--empty", "--select", COURT_MODELS, "--exclude", "test_type:unit"],
        warehouse, tmp_path,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-4000:]

    unit = run_dbt(["test", "--select", *COURT_UNIT_TESTS], warehouse, tmp_path)

    assert unit.returncode == 0, unit.stdout[-6000:]
    passed = re.search(r"PASS=(\d+)", unit.stdout)
    assert passed is not None, unit.stdout[-2000:]
    assert int(passed.group(1)) == COURT_UNIT_TEST_COUNT, unit.stdout[-2000:]
