"""The export writer on a hand-built warehouse: layouts, blanking, order, modes, all-or-nothing."""

from __future__ import annotations

import csv
import re
import stat
import threading
from pathlib import Path

import duckdb
import pytest
from dbt_harness import empty_warehouse, run_dbt
from raw_lines import insert_doj_lines

from clearance.doj_layout import BLANKED_COLUMNS, DOJ_COLUMNS
from clearance.errors import ClearanceError
from clearance.exports import csv_files, write_exports
from clearance.exports.layouts import CONDENSED_DOJ_COLUMNS, ELIGIBILITY_COLUMNS
from clearance.loading.raw_schema import create_raw_schema

RUN_ID = "run-1"
ELIGIBILITY_HEADERS = [header for header, _ in ELIGIBILITY_COLUMNS]


def doj_row(
    load_id: str, line_number: int, subject_id: str, cnt_order: str
) -> tuple[str, int, dict[str, str]]:
    row = {column: "" for column in DOJ_COLUMNS}
    row.update(
        SUBJECT_ID=subject_id,
        CNT_ORDER=cnt_order,
        PRI_NAME="TESTER,TINA",
        PRI_SSN="NOT-AN-SSN",
        REQ_SSN="NOT-AN-SSN",
        PRI_CDL="NOT-A-CDL",
        REQ_CDL="NOT-A-CDL",
        FBI_NUMBER="NOT-AN-FBI-NO",
        END_OF_REC="END",
    )
    return load_id, line_number, row


def build_warehouse(path: Path, built_run_id: str = RUN_ID, county: str = "SAN JOAQUIN") -> Path:
    """Create the tables the writer reads, as the loader and dbt would leave them."""
    with duckdb.connect(str(path)) as con:
        create_raw_schema(con)
        con.execute(
            "insert into raw.runs values (?, 'SAN JOAQUIN', 'configurable', "
            "'{\"subject_age_threshold\": 50}', date '2019-07-01', now())",
            [RUN_ID],
        )
        con.execute(
            "insert into raw.doj_files values ('f2', 'b.csv', '/in/b.csv', 'h2', 10, 'utf-8', "
            "false, 'LF', 1, 1, 0, now()), ('f1', 'a.csv', '/in/a.csv', 'h1', 10, 'utf-8', "
            "true, 'LF', 3, 2, 1, now())"
        )
        con.execute("insert into raw.run_files values (?, 'f1', 1), (?, 'f2', 2)", [RUN_ID, RUN_ID])
        # The second file's line is inserted first on purpose: the export order comes from the
        # run's file order. Within a file the loader inserts lines in line order.
        rows = [
            doj_row("f2", 1, "S2", "001002001000"),
            doj_row("f1", 2, "S1", "001001001000"),
            doj_row("f1", 3, "S1", "001002001000"),
        ]
        for load_id, line_number, values in rows:
            insert_doj_lines(con, load_id, [(line_number, values)])

        con.execute("create schema staging")
        con.execute(
            "create table staging.stg_clearance__run as select ? as run_id, ? as county",
            [built_run_id, county],
        )
        con.execute(
            """
            create table staging.stg_doj__rows as
            select * from (values
                ('f1', 2, 1, 1, true, 'SAN JOAQUIN'),
                ('f1', 3, 1, 2, true, 'SAN JOAQUIN'),
                ('f2', 1, 2, 3, true, 'KERN')
            ) as t(
                load_id, line_number, file_order, row_order, has_identifiers, stp_ori_cnty_name
            )
            """
        )
        con.execute("create schema exports")
        eligibility_columns = ", ".join(
            f"null::varchar as {name}" for _, name in ELIGIBILITY_COLUMNS
        )
        con.execute(
            f"""
            create table exports.exp_doj__results as
            select
                load_id, line_number, row_order, conviction_id, is_prop64_conviction_row,
                {eligibility_columns}
            from (values
                ('f1', 2, 1, null, false),
                ('f1', 3, 2, 'S1-001002001000', true),
                ('f2', 1, 3, null, false)
            ) as t(load_id, line_number, row_order, conviction_id, is_prop64_conviction_row)
            """
        )
        con.execute(
            """
            update exports.exp_doj__results
            set case_number = 'SJ12M0001', possible_other_p64_charges = '-',
                eligibility_determination = 'Eligible for Dismissal',
                eligibility_reason = 'Misdemeanor or Infraction'
            where is_prop64_conviction_row
            """
        )

        con.execute("create schema marts")
        con.execute(
            """
            create table marts.fct_county_impact as
            select * from (values
                ('configurable', 'county', 1, 1, 0, 1, 0, 1, date '2012-05-10', 1, 1, 0, 1, 0),
                ('dismiss-all-prop64', 'hypothetical', 2, 1, 0, 1, 0, 1, date '2012-05-10', 1, 1,
                    0, 1, 0)
            ) as t(policy_name, policy_role, policy_order, prop64_convictions,
                prop64_felony_convictions, prop64_non_felony_convictions,
                prop64_unknown_level_convictions, eligible_convictions,
                earliest_prop64_disposition_date, subjects_with_prop64_conviction,
                subjects_with_some_relief, subjects_with_no_felony_left,
                subjects_with_no_conviction_left, subjects_with_no_conviction_last_7_years_left)
            """
        )
        con.execute(
            """
            create table marts.fct_conviction_outcomes as
            select * from (values
                ('configurable', '11357', 'Eligible for Dismissal', 'Misdemeanor or Infraction'),
                ('dismiss-all-prop64', '11357', 'Eligible for Dismissal', 'Dismiss all Prop 64 charges')
            ) as t(policy_name, section, determination, reason)
            """
        )
    return path


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def test_writer_creates_owner_only_files(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    out_dir = tmp_path / "out"

    result = write_exports(warehouse, RUN_ID, out_dir)

    assert result.files == (
        "All_Results.csv",
        "All_Results_Condensed.csv",
        "Prop64_Results.csv",
        "summary.json",
    )
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    for name in result.files:
        assert stat.S_IMODE((out_dir / name).stat().st_mode) == 0o600, name
    # No staging folder is left beside the out folder.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "warehouse.duckdb"]


def test_all_results_follows_row_order_and_blanks_identifiers(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    write_exports(warehouse, RUN_ID, tmp_path / "out")

    header, rows = read_csv(tmp_path / "out" / "All_Results.csv")
    assert header == [*DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    subject_index = header.index("SUBJECT_ID")
    cnt_index = header.index("CNT_ORDER")
    assert [(row[subject_index], row[cnt_index]) for row in rows] == [
        ("S1", "001001001000"),
        ("S1", "001002001000"),
        ("S2", "001002001000"),
    ]
    for column in BLANKED_COLUMNS:
        assert [row[header.index(column)] for row in rows] == ["", "", ""], column
    text = (tmp_path / "out" / "All_Results.csv").read_text(encoding="utf-8")
    assert "NOT-A" not in text
    # Empty DOJ fields print as empty cells, not as a quoted empty string.
    assert '""' not in text


def test_prop64_results_keeps_only_conviction_rows(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    write_exports(warehouse, RUN_ID, tmp_path / "out")

    header, rows = read_csv(tmp_path / "out" / "Prop64_Results.csv")
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["CNT_ORDER"] == "001002001000"
    assert row["Case Number"] == "SJ12M0001"
    assert row["Eligibility Determination"] == "Eligible for Dismissal"


def test_condensed_layout_has_20_doj_columns(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    write_exports(warehouse, RUN_ID, tmp_path / "out")

    header, rows = read_csv(tmp_path / "out" / "All_Results_Condensed.csv")
    assert header == [*CONDENSED_DOJ_COLUMNS, *ELIGIBILITY_HEADERS]
    assert len(CONDENSED_DOJ_COLUMNS) == 20
    assert len(rows) == 3


def test_summary_lines_follow_file_order(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    result = write_exports(warehouse, RUN_ID, tmp_path / "out")

    lines = result.summary["lines"]
    assert [file["file_name"] for file in lines["files"]] == ["a.csv", "b.csv"]
    assert (lines["lines_read"], lines["lines_loaded"], lines["lines_quarantined"]) == (4, 3, 1)
    assert result.summary["convictions"]["by_reason"] == {"Misdemeanor or Infraction": 1}
    assert result.summary["convictions"]["earliest_disposition_date"] == "2012-05-10"
    # Every policy in the mart, which here contains the county policy and one hypothetical.
    assert set(result.summary["subjects_left"]) == {"configurable", "dismiss-all-prop64"}


def test_models_of_another_run_write_nothing(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", built_run_id="run-0")
    out_dir = tmp_path / "out"

    with pytest.raises(ClearanceError, match="another run"):
        write_exports(warehouse, RUN_ID, out_dir)

    assert not out_dir.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_county_absent_from_files_writes_nothing(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", county="SAN JOAQUN")
    out_dir = tmp_path / "out"

    with pytest.raises(ClearanceError) as raised:
        write_exports(warehouse, RUN_ID, out_dir)

    message = str(raised.value)
    assert "county 'SAN JOAQUN' is named by no row" in message
    assert "counties in the files: SAN JOAQUIN, KERN" in message
    assert not out_dir.exists()


def test_lines_stored_out_of_order_fail(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        # Rewrite file f1 with its lines in reverse: its line 3 is now stored before line 2.
        stored = con.execute(
            "select line_number, line from raw.doj_lines where load_id = 'f1' "
            "order by line_number desc"
        ).fetchall()
        con.execute("delete from raw.doj_lines where load_id = 'f1'")
        con.executemany(
            "insert into raw.doj_lines values ('f1', ?, ?)", [list(row) for row in stored]
        )

    with pytest.raises(duckdb.Error, match="out of step"):
        write_exports(warehouse, RUN_ID, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_exports_at_once_match_exports_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    write_exports(warehouse, RUN_ID, tmp_path / "at_once")
    monkeypatch.setattr(csv_files, "CURSOR_GROUPS", (tuple(csv_files.CSV_LAYOUTS),))
    write_exports(warehouse, RUN_ID, tmp_path / "in_turn")

    for layout in csv_files.CSV_LAYOUTS:
        at_once = (tmp_path / "at_once" / layout.file_name).read_bytes()
        assert at_once == (tmp_path / "in_turn" / layout.file_name).read_bytes()


def run_until_interrupted(con: duckdb.DuckDBPyConnection, interrupted: list[BaseException]) -> None:
    """Run about a minute of work on con, recording the InterruptException that ends it sooner."""
    try:
        con.execute("select sum(hash(range)) from range(20000000000)")
    except duckdb.InterruptException as error:
        interrupted.append(error)
        raise


@pytest.mark.parametrize(
    ("failing", "slow", "slow_starts_late"),
    [
        # The failure comes while the other cursor's statement runs.
        (csv_files.CONDENSED_LAYOUT, csv_files.ALL_RESULTS_LAYOUT, False),
        # The other cursor starts its next statement after the first interrupt.
        (csv_files.ALL_RESULTS_LAYOUT, csv_files.PROP64_LAYOUT, True),
    ],
    ids=["running", "started_late"],
)
def test_failed_export_interrupts_other_cursor(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: csv_files.CsvLayout,
    slow: csv_files.CsvLayout,
    slow_starts_late: bool,
) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    slow_reached = threading.Event()
    interrupted: list[BaseException] = []

    def write_csv(con, layout, run_files, path):
        if layout is failing:
            slow_reached.wait(timeout=60)
            if not slow_starts_late:
                # Time for the other cursor's statement to begin after the event.
                threading.Event().wait(0.5)
            raise RuntimeError(f"{layout.file_name} failed")
        if layout is slow:
            slow_reached.set()
            if slow_starts_late:
                # Starts after the failure has been raised and the cursors interrupted once.
                threading.Event().wait(0.5)
            run_until_interrupted(con, interrupted)

    monkeypatch.setattr(csv_files, "write_csv", write_csv)
    with pytest.raises(RuntimeError, match=re.escape(f"{failing.file_name} failed")):
        write_exports(warehouse, RUN_ID, tmp_path / "out")
    assert len(interrupted) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_export_model_unit_tests_pass(tmp_path: Path) -> None:
    warehouse = empty_warehouse(tmp_path / "warehouse.duckdb")
    # Unit tests need their parent relations to exist, so build them empty first.
    selection = "+exp_doj__results"
    build = run_dbt(
        ["build", "--empty", "--select", selection, "--exclude", "test_type:unit"],
        warehouse,
        tmp_path,
    )
    assert build.returncode == 0, build.stdout[-4000:]
    unit = run_dbt(["test", "--select", "exp_doj__results,test_type:unit"], warehouse, tmp_path)
    assert unit.returncode == 0, unit.stdout[-4000:]
    assert "PASS=2" in unit.stdout
