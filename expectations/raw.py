"""Raw suite: the run's DOJ files as loaded, one aggregate row per file.

It runs after the load and before dbt, so a file that is empty, mostly quarantined or split
wrongly stops the run before any model is built.
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
# At least this share of the run's filled date fields must parse as YYYYMMDD, YYYYMM00 or YYYY0000.
MIN_PARSEABLE_DATE_SHARE = 0.95
DATE_COLUMNS = ("PRI_DOB", "CYC_DATE", "STP_EVENT_DATE", "DISP_DATE")


def _field(name: str) -> str:
    return f"raw.doj_unquote(line_fields.fields[{DOJ_COLUMNS.index(name) + 1}])"


def _is_filled(value: str) -> str:
    # Empty fields and placeholders made of spaces and dashes (`  -  `) are missing values.
    return f"not regexp_full_match({value}, '[ -]*')"


def _is_parseable_date(value: str) -> str:
    # The rules of the staging macro parse_doj_date: eight digits, a year other than 0000,
    # and either a whole year (MMDD 0000), a whole month (DD 00) or a real day.
    trimmed = f"trim({value})"
    return f"""(
        regexp_full_match({trimmed}, '[0-9]{{8}}')
        and substr({trimmed}, 1, 4) <> '0000'
        and (
            substr({trimmed}, 5, 4) = '0000'
            or (substr({trimmed}, 7, 2) = '00' and substr({trimmed}, 5, 2) between '01' and '12')
            or try_strptime({trimmed}, '%Y%m%d') is not null
        )
    )"""


def _files_sql() -> str:
    filled = " + ".join(f"count_if({_is_filled(_field(name))})" for name in DATE_COLUMNS)
    parseable = " + ".join(
        f"count_if({_is_filled(_field(name))} and {_is_parseable_date(_field(name))})"
        for name in DATE_COLUMNS
    )
    return f"""
    with

    run_files as (
        select run_files.load_id, run_files.file_order
        from raw.run_files as run_files
        where run_files.run_id = $run_id
    ),

    line_fields as (
        select doj_lines.load_id, raw.doj_fields(doj_lines.line) as fields,
        from raw.doj_lines as doj_lines
        semi join run_files on doj_lines.load_id = run_files.load_id
    ),

    line_counts as (
        select
            line_fields.load_id,
            count(*) as lines_stored,
            min(len(line_fields.fields)) as min_fields,
            max(len(line_fields.fields)) as max_fields,
            count_if(not {_is_filled(_field("SUBJECT_ID"))}) as lines_without_subject_id,
            cast({filled} as bigint) as date_fields_filled,
            cast({parseable} as bigint) as date_fields_parseable,
        from line_fields
        group by line_fields.load_id
    )

    select
        run_files.file_order,
        doj_files.lines_read,
        doj_files.lines_loaded,
        doj_files.lines_quarantined,
        cast(coalesce(line_counts.lines_stored, 0) as bigint) as lines_stored,
        line_counts.min_fields,
        line_counts.max_fields,
        cast(coalesce(line_counts.lines_without_subject_id, 0) as bigint) as lines_without_subject_id,
        cast(coalesce(line_counts.date_fields_filled, 0) as bigint) as date_fields_filled,
        cast(coalesce(line_counts.date_fields_parseable, 0) as bigint) as date_fields_parseable,
    from run_files
    inner join raw.doj_files as doj_files on run_files.load_id = doj_files.load_id
    left join line_counts on run_files.load_id = line_counts.load_id
    order by run_files.file_order
    """


def _run_totals(files: pd.DataFrame) -> pd.DataFrame:
    """Return the shares over all files of the run, one row.

    Shares are taken over the run, not per file, because a small file's one bad line is a
    large share of it. A run without any filled date has nothing to parse: its share is 1.
    """
    lines_read = int(files["lines_read"].sum())
    quarantined = int(files["lines_quarantined"].sum())
    filled = int(files["date_fields_filled"].sum())
    parseable = int(files["date_fields_parseable"].sum())
    return pd.DataFrame(
        [
            {
                "lines_read": lines_read,
                "lines_quarantined": quarantined,
                "quarantined_share": quarantined / lines_read if lines_read else 0.0,
                "date_fields_filled": filled,
                "date_fields_parseable": parseable,
                "parseable_date_share": parseable / filled if filled else 1.0,
            }
        ]
    )


def collect(con, run: SuiteRun) -> SuiteInput:
    """Read the line counts of each file of the run and the raw suite's expectations."""
    files = read_frame(con, _files_sql(), {"run_id": run.run_id})
    file_expectations = [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=1, description="the run has at least one DOJ file"
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="lines_loaded",
            min_value=1,
            description="no file is empty: every file has a loaded data line",
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="min_fields",
            min_value=DOJ_FIELD_COUNT,
            description=f"every stored line has {DOJ_FIELD_COUNT} fields (fewest per file)",
        ),
        gxe.ExpectColumnMaxToBeBetween(
            column="max_fields",
            max_value=DOJ_FIELD_COUNT,
            description=f"every stored line has {DOJ_FIELD_COUNT} fields (most per file)",
        ),
        gxe.ExpectColumnMaxToBeBetween(
            column="lines_without_subject_id",
            max_value=0,
            description="every stored line has a SUBJECT_ID",
        ),
    ]
    run_expectations = [
        gxe.ExpectColumnMaxToBeBetween(
            column="quarantined_share",
            max_value=MAX_QUARANTINED_SHARE,
            description="share of quarantined data lines in the run's files",
        ),
        gxe.ExpectColumnMinToBeBetween(
            column="parseable_date_share",
            min_value=MIN_PARSEABLE_DATE_SHARE,
            description="share of filled date fields that parse in the run's files",
        ),
    ]
    return SuiteInput(
        frames={"files": files, "run": _run_totals(files)},
        expectations={"files": file_expectations, "run": run_expectations},
    )
