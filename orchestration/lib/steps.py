"""The Python steps of a run, as plain functions: the Dagster assets only call them."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.loading.raw_schema import create_raw_schema
from orchestration.lib.run_request import RunRequest, resolve_other_policies, resolve_policy

if TYPE_CHECKING:
    from clearance.loading.court_files import LoadedCourtFile

# Progress lines for the person running the command; the command line prints them to stderr.
progress = logging.getLogger("clearance.progress")


@dataclass(frozen=True)
class LoadOutcome:
    """Line counts of the files a run loaded."""

    files: int
    lines_read: int
    lines_loaded: int
    lines_quarantined: int
    # (file name, sha256) of each DOJ file, then of each court file and its mapping file.
    file_hashes: tuple[tuple[str, str], ...] = ()


def subject_key_file(warehouse: Path) -> Path:
    """Return the pseudonym secret's file: CLEARANCE_SUBJECT_KEY_FILE, else beside the warehouse."""
    configured = os.environ.get("CLEARANCE_SUBJECT_KEY_FILE")
    return Path(configured) if configured else warehouse.parent / "subject_key"


def newest_landed_doj_paths(county: str) -> tuple[str, ...]:
    """Return the files of the county's newest ready DOJ extract in its landing folder.

    Raises ClearanceError when the landing folder holds no ready extract.
    """
    from clearance.counties import county_config, project_path
    from clearance.errors import ClearanceError
    from clearance.landing import DOJ_SUBFOLDER, newest_ready_extract

    config = county_config(county)
    folder = project_path(config["landing_folder"])
    extract = newest_ready_extract(folder, float(config["settle_seconds"]))
    if extract is None:
        raise ClearanceError(
            f"no ready DOJ extract for {county} in {folder / DOJ_SUBFOLDER}: put the extract "
            "there with a .done marker beside it, or wait until it has settled "
            f"({config['settle_seconds']} s)"
        )
    progress.info("newest extract in the landing folder: %s", extract.name)
    return tuple(str(path) for path in extract.paths)


def load_court_layer(con, request: RunRequest) -> list:
    """Load the run's court extracts with their mapping files; an empty list without any.

    A run given no DOJ files (a county partition launched from the UI) takes the newest ready
    court extract of the landing folder too, when the county configuration names a mapping.
    """
    from clearance.counties import county_config
    from clearance.loading.court_files import CourtFileInput, load_court_files
    from orchestration.lib.automation import landed_court_inputs

    court_paths, mapping_paths = list(request.court_paths), list(request.court_mapping_paths)
    if not request.doj_paths and not court_paths:
        court_paths, mapping_paths = landed_court_inputs(county_config(request.county))
    if not court_paths:
        return []
    total = len(court_paths)
    progress.info("loading %d court file%s ...", total, "" if total == 1 else "s")
    loaded_files = load_court_files(
        con,
        [
            CourtFileInput(Path(path), Path(mapping))
            for path, mapping in zip(court_paths, mapping_paths, strict=True)
        ],
        run_county=request.county,
    )
    for number, loaded in enumerate(loaded_files, start=1):
        progress.info(
            "loaded court file %d/%d: %s, %d rows read, %d quarantined, %d values set to null",
            number,
            total,
            loaded.file_name,
            loaded.rows_read,
            loaded.rows_quarantined,
            loaded.field_warnings,
        )
    return loaded_files


def load_raw_layer(request: RunRequest) -> LoadOutcome:
    """Load the run's DOJ files and register the run, its policies and its subject keys.

    A request without DOJ files loads the county's newest ready extract from its landing
    folder. The connection is closed before returning, because dbt opens the warehouse next and DuckDB
    allows one writer at a time.
    """
    from clearance.loading.court_files import register_run_court_files
    from clearance.loading.doj_files import load_doj_files
    from clearance.policies import write_run_policy_rules
    from clearance.pseudonym import load_or_create_secret, write_subject_keys
    from clearance.runs import connect_warehouse, register_run
    from clearance.settings import load_memory_limit

    policy = resolve_policy(request.options_file, request.policy, request.params)
    doj_paths = request.doj_paths or newest_landed_doj_paths(request.county)
    warehouse = Path(request.warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    # DuckDB's default row-group merge stays on here: deleting quarantined lines can leave row
    # groups that it is worth merging.
    con = connect_warehouse(warehouse, memory_limit=load_memory_limit())
    try:
        create_raw_schema(con)
        total = len(doj_paths)
        progress.info("loading %d doj file%s ...", total, "" if total == 1 else "s")
        # One call loads every file or none, so a bad file leaves no file record behind.
        loaded_files = load_doj_files(con, [Path(path) for path in doj_paths])
        for number, loaded in enumerate(loaded_files, start=1):
            progress.info(
                "loaded doj file %d/%d: %s, %d lines read, %d quarantined",
                number,
                total,
                loaded.file_name,
                loaded.lines_read,
                loaded.lines_quarantined,
            )
        loaded_court_files = load_court_layer(con, request)
        register_run(
            con,
            run_id=request.run_id,
            county=request.county,
            policy_name=policy.name,
            policy_parameters=json.loads(policy.parameters_json()),
            compute_date=date.fromisoformat(request.compute_date),
            loaded_files=loaded_files,
        )
        register_run_court_files(con, request.run_id, loaded_court_files)
        write_run_policy_rules(
            con, request.run_id, policy, resolve_other_policies(request.compare_with)
        )
        secret = load_or_create_secret(subject_key_file(warehouse))
        write_subject_keys(con, request.run_id, secret)
    finally:
        con.close()

    return LoadOutcome(
        files=len(loaded_files),
        lines_read=sum(loaded.lines_read for loaded in loaded_files),
        lines_loaded=sum(loaded.lines_loaded for loaded in loaded_files),
        lines_quarantined=sum(loaded.lines_quarantined for loaded in loaded_files),
        file_hashes=(
            *((loaded.file_name, loaded.file_hash) for loaded in loaded_files),
            *court_file_hashes(loaded_court_files),
        ),
    )


def court_file_hashes(loaded_files: list[LoadedCourtFile]) -> tuple[tuple[str, str], ...]:
    """Return (name, sha256) of each court file and then its mapping file, in load order.

    A mapping changes the canonical rows as much as the file does, so both identify the input.
    """
    hashes: list[tuple[str, str]] = []
    for loaded in loaded_files:
        hashes.append((loaded.file_name, loaded.file_hash))
        hashes.append((loaded.mapping_file_name, loaded.mapping_hash))
    return tuple(hashes)
