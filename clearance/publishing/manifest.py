"""The run manifest: what one run read, with which code and policy, and what it produced.

It is stored in the warehouse (`raw.run_manifests`) and written beside the run's outputs as
`run-manifest.json`. With it, every published figure can be traced to the exact input files
(by sha256), the policy file, the compute date and the code that produced it. It holds file names,
hashes, counts and check outcomes, never a value from a person's record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from clearance import __version__
from clearance.loading.raw_schema import create_raw_schema
from clearance.owner_only import replacing_owner_only
from clearance.settings import PROJECT_DIR

logger = logging.getLogger(__name__)

RUN_MANIFEST = "run-manifest.json"
# 3: row_counts has the staged lines of staging.stg_doj__cleaned_rows. Version 2 counted
# staging.stg_doj__rows, now a view over that table with the same rows.
# 2: a check's `blocking` is true only when its failure stops the run. In version 1 it was true
# for every check declared blocking, even one of WARN severity.
MANIFEST_VERSION = 3
FILE_MODE = 0o600

# Tables whose row counts the manifest records: the run's lines as staged, its convictions,
# and the marts and export table the outputs come from. The staged lines are counted in the
# table under the view stg_doj__rows, which has the same rows, because a count of the view joins
# the parsed offense texts to every row (0.42 to 0.53 s at 5,000,000 rows, duckdb 2.0.1).
COUNTED_TABLES = (
    "staging.stg_doj__cleaned_rows",
    "intermediate.int_convictions",
    "marts.fct_conviction_outcomes",
    "marts.fct_subject_relief",
    "marts.fct_county_impact",
    "exports.exp_doj__results",
)


def file_sha256(path: Path) -> str:
    """Return the sha256 of a file's bytes as lower-case hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_modified_at(path: Path) -> str | None:
    """Return the file's modification time as UTC ISO 8601 text, or None when it is missing."""
    try:
        modified = path.stat().st_mtime
    except OSError:
        return None
    return dt.datetime.fromtimestamp(modified, dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def git_commit(directory: Path = PROJECT_DIR) -> str | None:
    """Return the commit checked out in directory, or None outside a git checkout.

    An installed copy without its .git folder, or a machine without git, has no commit to
    record; the package version still identifies the release.
    """
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = completed.stdout.strip()
    return commit if completed.returncode == 0 and len(commit) == 40 else None


def build_run_manifest(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    policy_file: Path,
    dagster_run_id: str,
    publication: Path,
    checks: list[dict[str, Any]],
    extra_counts: dict[str, int] | None = None,
    given_paths: tuple[str, ...] = (),
    given_court_paths: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Return the manifest of a run whose models and outputs are complete.

    `con` reads the warehouse the run built; `checks` lists the run's check outcomes (name,
    asset, passed, severity), empty when the run had none.
    """
    run = con.execute(
        "select county, policy_name, policy_parameters, compute_date, started_at "
        "from raw.runs where run_id = $run_id",
        {"run_id": run_id},
    ).fetchone()
    if run is None:
        raise LookupError(f"run {run_id}: not found in raw.runs")
    county, policy_name, policy_parameters, compute_date, started_at = run

    inputs = [
        {
            "file_order": file_order,
            "file_name": file_name,
            "path": file_path,
            "sha256": file_hash,
            "bytes": file_bytes,
            "lines_read": lines_read,
            "lines_loaded": lines_loaded,
            "lines_quarantined": lines_quarantined,
        }
        for (
            file_order,
            file_name,
            file_path,
            file_hash,
            file_bytes,
            lines_read,
            lines_loaded,
            lines_quarantined,
        ) in con.execute(
            """
            select
                run_files.file_order, doj_files.file_name, doj_files.file_path,
                doj_files.file_hash, doj_files.file_bytes, doj_files.lines_read,
                doj_files.lines_loaded, doj_files.lines_quarantined,
            from raw.run_files
            inner join raw.doj_files on run_files.load_id = doj_files.load_id
            where run_files.run_id = $run_id
            order by run_files.file_order
            """,
            {"run_id": run_id},
        ).fetchall()
    ]

    court_inputs = _court_inputs(con, run_id)
    # A file whose content was loaded before is reused, so raw.doj_files and raw.court_files keep
    # the path of that first load. The manifest names the path the run was given.
    _name_given_paths(inputs, given_paths)
    _name_given_paths(court_inputs, given_court_paths)

    # The file's modification time is taken as when it arrived, and the dashboards show it as
    # the date the data is as of. It is null when the file was removed after its load.
    for item in inputs:
        item["modified_at"] = file_modified_at(Path(item["path"]))

    row_counts: dict[str, int] = {
        "lines_read": sum(item["lines_read"] for item in inputs),
        "lines_loaded": sum(item["lines_loaded"] for item in inputs),
        "lines_quarantined": sum(item["lines_quarantined"] for item in inputs),
    }
    for table in COUNTED_TABLES:
        row_counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
    if court_inputs:
        for count in ("rows_read", "rows_loaded", "rows_quarantined", "field_warnings"):
            row_counts[f"court_{count}"] = sum(item[count] for item in court_inputs)
    row_counts.update(extra_counts or {})

    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": run_id,
        "dagster_run_id": dagster_run_id,
        "county": county,
        "compute_date": compute_date.isoformat(),
        "started_at": started_at.isoformat() + "Z",
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat() + "Z",
        "publication": str(publication),
        "policy": {
            "name": policy_name,
            "parameters": json.loads(policy_parameters),
            "file": str(policy_file),
            "sha256": file_sha256(policy_file),
        },
        "inputs": inputs,
        "court_inputs": court_inputs,
        "code_version": {"package": __version__, "git_commit": git_commit()},
        "row_counts": row_counts,
        "checks": checks,
    }


def _court_inputs(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Return each court file of the run with its mapping file, hashes and row counts."""
    (has_court_tables,) = con.execute(
        "select count(*) = 2 from information_schema.tables where table_schema = 'raw' "
        "and table_name in ('run_court_files', 'court_field_warnings')"
    ).fetchone()
    if not has_court_tables:
        # A warehouse that never loaded a court file has no court tables.
        return []
    columns = (
        "file_order",
        "file_name",
        "path",
        "sha256",
        "mapping_path",
        "mapping_sha256",
        "court_county",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "field_warnings",
    )
    rows = con.execute(
        """
        with warnings as (
            select load_id, count(*) as field_warnings,
            from raw.court_field_warnings
            group by load_id
        )

        select
            run_court_files.file_order, court_files.file_name, court_files.file_path,
            court_files.file_hash, court_files.mapping_path, court_files.mapping_hash,
            court_files.court_county, court_files.rows_read, court_files.rows_loaded,
            court_files.rows_quarantined, coalesce(warnings.field_warnings, 0),
        from raw.run_court_files
        inner join raw.court_files on run_court_files.load_id = court_files.load_id
        left join warnings on run_court_files.load_id = warnings.load_id
        where run_court_files.run_id = $run_id
        order by run_court_files.file_order
        """,
        {"run_id": run_id},
    ).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _name_given_paths(inputs: list[dict[str, Any]], given_paths: tuple[str, ...]) -> None:
    if len(given_paths) != len(inputs):
        return
    for item, given in zip(inputs, given_paths, strict=True):
        if item["path"] != given:
            item["first_loaded_from"] = item["path"]
            item["path"] = given
            item["file_name"] = Path(given).name


def record_run_manifest(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any]) -> None:
    """Store the manifest in raw.run_manifests, replacing an earlier one of the same run."""
    create_raw_schema(con)
    con.execute(
        """
        insert or replace into raw.run_manifests (run_id, county, created_at, manifest)
        values ($run_id, $county, $created_at, $manifest)
        """,
        {
            "run_id": manifest["run_id"],
            "county": manifest["county"],
            "created_at": dt.datetime.fromisoformat(manifest["created_at"].removesuffix("Z")),
            "manifest": json.dumps(manifest, sort_keys=True),
        },
    )


def write_run_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write run-manifest.json into the run folder, owner-only, replacing it whole."""
    path = folder / RUN_MANIFEST
    with replacing_owner_only(path) as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return path
