"""Motion lists: per court, the convictions the district attorney moves it to dismiss or reduce.

Each court gets `motion_list_<county slug>.csv` and a printable `.pdf` with the same rows,
sorted by case number. With the row-level DOJ exports they are the only outputs that carry names
and dates of birth, so both are owner-only (0600) in an owner-only (0700) folder.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.counties import county_slug
from clearance.errors import ClearanceError
from clearance.exports.motion_list_pdf import MotionListHeading, write_motion_list_pdf
from clearance.settings import duckdb_memory_limit

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700
# (CSV and PDF heading, column of exports.exp_court__motion_lists), in print order.
MOTION_LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Case Number", "case_number"),
    ("Defendant Name", "defendant_name"),
    ("Date of Birth", "date_of_birth"),
    ("Sections", "sections"),
    ("Relief", "relief"),
    ("Reason", "reason"),
)


@dataclass(frozen=True)
class MotionList:
    """One court's motion list as written: its files and row count."""

    court_county: str
    csv_file: str
    pdf_file: str
    rows: int


def motion_list_file_stem(court_county: str) -> str:
    """Return the file name without extension of a court's motion list."""
    return f"motion_list_{county_slug(court_county)}"


def write_motion_lists(warehouse: Path, run_id: str, out_dir: Path) -> list[MotionList]:
    """Write a CSV and a PDF motion list for each court of the run into out_dir.

    A court of the run's county with a court file in the run gets a list, empty when no
    conviction qualifies. A run without court files gets none. The files are written into a
    private staging folder beside out_dir and moved in only when all are complete.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.motions.", dir=out_dir.parent))
    try:
        config = {"memory_limit": duckdb_memory_limit()}
        with duckdb.connect(str(warehouse), read_only=True, config=config) as con:
            heading = _run_heading(con, run_id)
            lists = [
                _write_court_list(con, court, heading, staging) for court in run_courts(con, run_id)
            ]
        out_dir.mkdir(mode=DIR_MODE, exist_ok=True)
        for motion_list in lists:
            for name in (motion_list.csv_file, motion_list.pdf_file):
                os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    for motion_list in lists:
        logger.info(
            "Wrote the motion list of the %s court to %s: %d rows",
            motion_list.court_county,
            out_dir / motion_list.pdf_file,
            motion_list.rows,
        )
    return lists


def _run_heading(con: duckdb.DuckDBPyConnection, run_id: str) -> MotionListHeading:
    row = con.execute(
        "select run_id, county, policy_name, compute_date from staging.stg_clearance__run"
    ).fetchone()
    if row is None or row[0] != run_id:
        raise ClearanceError(
            f"the warehouse models were built for another run than {run_id}; run dbt build "
            "for this run before writing its motion lists"
        )
    _, county, policy_name, compute_date = row
    return MotionListHeading(
        county=county, court_county=county, policy_name=policy_name, compute_date=compute_date
    )


def run_courts(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Return the courts of the run's county that sent a court file to the run."""
    rows = con.execute(
        """
        select distinct court_files.court_county
        from raw.run_court_files as run_court_files
        inner join raw.court_files as court_files
            on run_court_files.load_id = court_files.load_id
        inner join raw.runs as runs
            on run_court_files.run_id = runs.run_id
        where run_court_files.run_id = $run_id and court_files.court_county = runs.county
        order by court_files.court_county
        """,
        {"run_id": run_id},
    ).fetchall()
    return [court for (court,) in rows]


def _write_court_list(
    con: duckdb.DuckDBPyConnection, court_county: str, heading: MotionListHeading, folder: Path
) -> MotionList:
    columns = ", ".join(column for _, column in MOTION_LIST_COLUMNS)
    rows = con.execute(
        f"""
        select {columns}
        from exports.exp_court__motion_lists
        where court_county = $court_county
        order by case_number, relief, defendant_name, date_of_birth
        """,
        {"court_county": court_county},
    ).fetchall()
    stem = motion_list_file_stem(court_county)
    csv_path = folder / f"{stem}.csv"
    pdf_path = folder / f"{stem}.pdf"
    headings = [name for name, _ in MOTION_LIST_COLUMNS]

    with _open_owner_only(csv_path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(headings)
        writer.writerows(rows)
    court_heading = MotionListHeading(
        county=heading.county,
        court_county=court_county,
        policy_name=heading.policy_name,
        compute_date=heading.compute_date,
    )
    with _open_owner_only(pdf_path, "wb") as stream:
        write_motion_list_pdf(stream, court_heading, headings, rows)
    return MotionList(
        court_county=court_county, csv_file=csv_path.name, pdf_file=pdf_path.name, rows=len(rows)
    )


def _open_owner_only(path: Path, mode: str, **options):
    """Open a new file created with mode 0600, so it is never readable by others."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    return os.fdopen(descriptor, mode, **options)
