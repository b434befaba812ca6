"""Raw suites: the run's DOJ files as loaded, and the values of their rows.

`raw` runs after the load and before dbt, so a file that is empty or mostly quarantined stops
the run before any model is built. `raw_rows` runs after dbt on `staging.stg_doj__rows`,
which parses every date with the macro `parse_doj_date` and empties placeholders, so it counts
the run's missing subject ids and unparseable dates without splitting every line again.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from clearance.doj_layout import DOJ_COLUMNS
from expectations.runner import SuiteInput, SuiteRun, read_frame

# A DOJ line has 95 fields, and the loader quarantines every line that does not.
DOJ_FIELD_COUNT = len(DOJ_COLUMNS)
# At most this share of the run's data lines may be quarantined. The calibrated generator
# writes 0.2% of arrest rows malformed; a file with 5% bad lines was cut or converted wrongly.
MAX_QUARANTINED_SHARE = 0.05
# At least this share of the run's filled date fields must parse as YYYYMMDD, YYYYMM00 or
# YYYY0000.
MIN_PARSEABLE_DATE_SHARE = 0.95
# Fields are counted on every line of a file up to this line number and on a 1% sample of the
# rest: splitting all of a million lines took 2 to 4 s (2 shared cores), the sample 0.1 s.
FIELD_CHECK_HEAD_LINES = 10_000
FIELD_CHECK_SAMPLE_PERCENT = 1
# staging.stg_doj__rows keeps each date as <name>_text (null for a placeholder) and
# <name>_start (null when the text does not parse).
STAGED_DATE_COLUMNS = ("dob", "cyc_date", "stp_event_date", "disp_date")

FILES_SQL = f"""
with

run_files as (
    select run_files.load_id, run_files.file_order
    from raw.run_files as run_files
    where run_files.run_id = $run_id
),

stored_lines as (
    select doj_lines.load_id, count(*) as lines_stored,
    from raw.doj_lines as doj_lines
    semi join run_files on doj_lines.load_id = run_files.load_id
    group by doj_lines.load_id
),

checked_lines as (
    select doj_lines.load_id, doj_lines.line,
    from raw.doj_lines as doj_lines
    semi join run_files on doj_lines.load_id = run_files.load_id
    where doj_lines.line_number <= {FIELD_CHECK_HEAD_LINES}
    union all
    select doj_lines.load_id, doj_lines.line,
    from raw.doj_lines as doj_lines
        tablesample {FIELD_CHECK_SAMPLE_PERCENT} percent (system, 64)
    semi join run_files on doj_lines.load_id = run_files.load_id
    where doj_lines.line_number > {FIELD_CHECK_HEAD_LINES}
),

field_counts as (
    select
        checked_lines.load_id,
        count(*) as lines_checked,
        min(len(raw.doj_fields(checked_lines.line))) as min_fields,
        max(len(raw.doj_fields(checked_lines.line))) as max_fields,
    from checked_lines
    group by checked_lines.load_id
)

select
    run_files.file_order,
    doj_files.lines_read,
    doj_files.lines_loaded,
    doj_files.lines_quarantined,
    coalesce(stored_lines.lines_stored, 0) as lines_stored,
    abs(coalesce(stored_lines.lines_stored, 0) - doj_files.lines_loaded) as stored_lines_difference,
    coalesce(field_counts.lines_checked, 0) as lines_checked,
    field_counts.min_fields,
    field_counts.max_fields,
from run_files
inner join raw.doj_files as doj_files on run_files.load_id = doj_files.load_id
left join stored_lines on run_files.load_id = stored_lines.load_id
left join field_counts on run_files.load_id = field_counts.load_id
order by run_files.file_order
"""

_DATES_FILLED = " + ".join(f"count(doj_rows.{name}_text)" for name in STAGED_DATE_COLUMNS)
_DATES_PARSED = " + ".join(f"count(doj_rows.{name}_start)" for name in STAGED_DATE_COLUMNS)

ROWS_SQL = f"""
select
    count(*) as staged_rows,
    count(*) - count(doj_rows.subject_id) as rows_without_subject_id,
    {_DATES_FILLED} as date_fields_filled,
    {_DATES_PARSED} as date_fields_parseable,
from staging.stg_doj__rows as doj_rows
"""


def _run_totals(files: pd.DataFrame) -> pd.DataFrame:
    """Return the quarantined share over all files of the run, one row.

    The share is taken over the run, not per file, because one bad line of a small file is a
    large share of it.
    """
    lines_read = int(files["lines_read"].sum())
    quarantined = int(files["lines_quarantined"].sum())
    share = quarantined / lines_read if lines_read else 0.0
    return pd.DataFrame(
        [{"lines_read": lines_read, "lines_quarantined": quarantined, "quarantined_share": share}]
    )


def collect_files(con, run: SuiteRun) -> SuiteInput:
    """Read the line counts of each file of the run and the raw suite's expectations."""
    files = read_frame(con, FILES_SQL, {"run_id": run.run_id})
    file_expectations = [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=1, description="the run has at least one DOJ file"
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="lines_loaded",
            min_value=1,
            description="no file is empty: every file has a loaded data line",
        ),
        gxe.ExpectColumnMaxToBeBetween(
            column="stored_lines_difference",
            max_value=0,
            description="every loaded line is stored in raw.doj_lines",
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="min_fields",
            min_value=DOJ_FIELD_COUNT,
            description=(
                f"checked lines have {DOJ_FIELD_COUNT} fields (fewest per file; the first "
                f"{FIELD_CHECK_HEAD_LINES} lines and a {FIELD_CHECK_SAMPLE_PERCENT}% sample)"
            ),
        ),
        gxe.ExpectColumnMaxToBeBetween(
            column="max_fields",
            max_value=DOJ_FIELD_COUNT,
            description=(
                f"checked lines have {DOJ_FIELD_COUNT} fields (most per file; the first "
                f"{FIELD_CHECK_HEAD_LINES} lines and a {FIELD_CHECK_SAMPLE_PERCENT}% sample)"
            ),
        ),
    ]
    run_expectations = [
        gxe.ExpectColumnMaxToBeBetween(
            column="quarantined_share",
            max_value=MAX_QUARANTINED_SHARE,
            description="share of quarantined data lines in the run's files",
        ),
    ]
    return SuiteInput(
        frames={"files": files, "run": _run_totals(files)},
        expectations={"files": file_expectations, "run": run_expectations},
    )


def collect_rows(con, run: SuiteRun) -> SuiteInput:
    """Read the counts of missing subject ids and dates of the run's rows, and expectations."""
    rows = read_frame(con, ROWS_SQL, {})
    filled = int(rows.at[0, "date_fields_filled"])
    parseable = int(rows.at[0, "date_fields_parseable"])
    # Rows without any filled date have nothing to parse: the share is then 1.
    rows["parseable_date_share"] = parseable / filled if filled else 1.0
    expectations = [
        gxe.ExpectColumnMaxToBeBetween(
            column="rows_without_subject_id",
            max_value=0,
            description="every row has a SUBJECT_ID",
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="parseable_date_share",
            min_value=MIN_PARSEABLE_DATE_SHARE,
            description=(
                "share of filled date fields (PRI_DOB, CYC_DATE, STP_EVENT_DATE, DISP_DATE) "
                "that parse"
            ),
        ),
    ]
    return SuiteInput(frames={"rows": rows}, expectations={"rows": expectations})
