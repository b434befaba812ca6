"""Build the staging models with dbt against throwaway warehouses and check what they produce."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from dbt_harness import empty_warehouse, run_dbt
from raw_lines import insert_doj_lines

from clearance.doj_layout import BLANKED_COLUMNS

pytestmark = pytest.mark.slow

STAGING = "path:models/staging"
RUN_ID = "run-staging-test"
# stg_doj__rows is a view that joins the two tables before it, so all four models are built.
STAGING_DOJ_MODELS = (
    "stg_doj__fields",
    "stg_doj__cleaned_rows",
    "stg_doj__offense_texts",
    "stg_doj__rows",
)


def _assert_dbt_ok(result) -> None:
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def unit_test_result(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("staging_unit")
    warehouse = empty_warehouse(work_dir / "warehouse.duckdb")
    # Unit tests need the parent relations to exist, and --empty builds them without rows.
    _assert_dbt_ok(run_dbt(["run", "--empty", "--select", STAGING], warehouse, work_dir))
    return run_dbt(["test", "--select", f"test_type:unit,{STAGING}"], warehouse, work_dir)


def test_staging_unit_tests_pass(unit_test_result):
    _assert_dbt_ok(unit_test_result)


def test_staging_unit_tests_ran(unit_test_result):
    passed = re.search(r"PASS=(\d+)", unit_test_result.stdout)
    assert passed is not None, unit_test_result.stdout[-2000:]
    # The staging YAML files define 30 unit tests, 5 of them for the court staging model, so
    # fewer passes means some were not collected.
    assert int(passed.group(1)) >= 30


def _insert_doj_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, str]]) -> None:
    """Insert the lines of one file, 'file-1', numbered from 1 in list order."""
    insert_doj_lines(con, "file-1", enumerate(rows, start=1))


# Invented people and numbers. Lines 1 and 2 are two sentence parts of one count, and line 3
# is an exact duplicate of line 1. Line 4 is a conflicting repeat with another disposition.
# Line 5 differs from line 1 only in the SSN, which must not leave the raw layer, not even
# inside a hash.
SYNTHETIC_COUNT = {
    "SUBJECT_ID": "SYN0001",
    "PRI_NAME": "TESTPERSON,ALPHA",
    "PRI_SSN": "900-00-0001",
    "PRI_CDL": "X0000001",
    "FBI_NUMBER": "FBI0000001",
    "CNT_ORDER": "001002001000",
    "OFFENSE_DESCR": "11359 HS-POSS MARIJUANA FOR SALE",
    "DISP_DESCR": "CONVICTED-JAIL",
    "SENT_LENGTH": "30",
    "SENT_TIME_CODE": "D",
}
SYNTHETIC_LINES = [
    {**SYNTHETIC_COUNT, "RECORD_ID": "1"},
    {**SYNTHETIC_COUNT, "RECORD_ID": "2", "SENT_LENGTH": "2", "SENT_TIME_CODE": "Y"},
    {**SYNTHETIC_COUNT, "RECORD_ID": "3"},
    {**SYNTHETIC_COUNT, "RECORD_ID": "4", "DISP_DESCR": "DISMISSED/CHARGE DROPPED"},
    {**SYNTHETIC_COUNT, "RECORD_ID": "5", "PRI_SSN": "900-00-0002"},
    # Line 6 is a second sentence part with placeholders in two neighbouring columns that line 1
    # leaves empty. Line 7 has a real value there instead.
    {
        **SYNTHETIC_COUNT,
        "RECORD_ID": "6",
        "SENT_LENGTH": "2",
        "SENT_TIME_CODE": "Y",
        "FE_NUM_BNCH_WARR": "  -  ",
        "FE_NUM_CITE": " - ",
    },
    {**SYNTHETIC_COUNT, "RECORD_ID": "7", "FE_NUM_BNCH_WARR": "W-1"},
]


@pytest.fixture(scope="module")
def staged_rows(tmp_path_factory) -> tuple[list[str], list[tuple]]:
    work_dir = tmp_path_factory.mktemp("staging_rows")
    warehouse = empty_warehouse(work_dir / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.run_files values (?, 'file-1', 1)", [RUN_ID])
        _insert_doj_rows(con, SYNTHETIC_LINES)
    _assert_dbt_ok(
        run_dbt(
            ["run", "--select", *STAGING_DOJ_MODELS],
            warehouse,
            work_dir,
            run_id=RUN_ID,
        )
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relation = con.sql("select * from staging.stg_doj__rows order by row_order")
        return relation.columns, relation.fetchall()


def _signatures(staged_rows, line_number: int) -> tuple[object, object]:
    columns, rows = staged_rows
    row = next(row for row in rows if row[columns.index("line_number")] == line_number)
    return row[columns.index("sentence_signature")], row[columns.index("row_signature")]


def test_sentence_parts_share_sentence_signature(staged_rows):
    first_sentence, first_row = _signatures(staged_rows, 1)
    second_sentence, second_row = _signatures(staged_rows, 2)
    assert first_sentence == second_sentence
    assert first_row != second_row


def test_exact_duplicate_shares_row_signature(staged_rows):
    assert _signatures(staged_rows, 3) == _signatures(staged_rows, 1)


def test_conflicting_repeat_differs_in_sentence_signature(staged_rows):
    assert _signatures(staged_rows, 4)[0] != _signatures(staged_rows, 1)[0]


def test_placeholders_read_as_empty_in_signatures(staged_rows):
    assert _signatures(staged_rows, 6)[0] == _signatures(staged_rows, 1)[0]


def test_value_in_empty_column_changes_signature(staged_rows):
    assert _signatures(staged_rows, 7)[0] != _signatures(staged_rows, 1)[0]


def test_signatures_ignore_identifiers_kept_in_raw(staged_rows):
    assert _signatures(staged_rows, 5) == _signatures(staged_rows, 1)


def test_identifier_columns_are_dropped(staged_rows):
    columns, _ = staged_rows
    lowered = {column.lower() for column in columns}
    for name in BLANKED_COLUMNS:
        assert name.lower() not in lowered


def test_identifier_values_are_absent(staged_rows):
    _, rows = staged_rows
    values = {str(value) for row in rows for value in row}
    for identifier in ("900-00-0001", "900-00-0002", "X0000001", "FBI0000001"):
        assert identifier not in values


def test_rows_keep_input_order(staged_rows):
    columns, rows = staged_rows
    orders = [(row[columns.index("line_number")], row[columns.index("row_order")]) for row in rows]
    # The only file is first on the command line, so row_order is 2^32 plus the line number.
    assert orders == [(n, 4_294_967_296 + n) for n in range(1, 8)]


def test_rows_outside_the_run_are_left_out(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("staging_other_run")
    warehouse = empty_warehouse(Path(work_dir) / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.run_files values ('another-run', 'file-1', 1)")
        _insert_doj_rows(con, SYNTHETIC_LINES[:1])
    _assert_dbt_ok(
        run_dbt(
            ["run", "--select", *STAGING_DOJ_MODELS],
            warehouse,
            work_dir,
            run_id=RUN_ID,
        )
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_doj__rows").fetchone() == (0,)
