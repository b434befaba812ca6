"""Write each county's DOJ research files and the generation manifest beside them."""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import random
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from clearance import __version__
from clearance.counties import county_slug
from clearance.doj_layout import DOJ_COLUMNS
from clearance.review.answer_key import ANSWER_KEY_COLUMNS, ANSWER_KEY_NAME
from clearance.synthetic.generator.answer_key import (
    KEY_POLICIES,
    answer_key_csv_sql,
    create_answer_key,
    scenario_realization,
)
from clearance.synthetic.generator.calibration import (
    CALIBRATION_FILE,
    Calibration,
    load_calibration,
)
from clearance.synthetic.generator.court_cases import create_court_rows
from clearance.synthetic.generator.court_files import (
    LINK_KEY_NAME,
    join_link_key,
    write_court_files,
)
from clearance.synthetic.generator.court_layouts import layout_for
from clearance.synthetic.generator.histories import (
    create_counts,
    create_cycles,
    create_macros,
    create_subjects,
)
from clearance.synthetic.generator.names import build_name_pools
from clearance.synthetic.generator.rows import create_doj_rows, create_steps
from clearance.synthetic.generator.scenarios import create_subject_scenarios

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
HEADER_LINE = ",".join(DOJ_COLUMNS)
# Subject numbers of the n-th county start at n times this, so counties never share an id.
SUBJECT_NUMBERS_PER_COUNTY = 10_000_000
_CHUNK_BYTES = 8 * 1024 * 1024


def generate(
    counties: list[str],
    seed: int,
    out_dir: Path,
    scale: float = 1.0,
    files: int = 1,
    calibration: Calibration | None = None,
) -> dict[str, Any]:
    """Write the DOJ files of every county to out_dir, then manifest.json, and return the manifest."""
    calibration = calibration or load_calibration()
    # Every county is checked before any file is written.
    for county in counties:
        calibration.eligible_target(county)
    out_dir.mkdir(parents=True, exist_ok=True)
    pools = build_name_pools(seed)
    compute_date = date.fromisoformat(str(calibration.answer_key["compute_date"]))
    key_path = out_dir / ANSWER_KEY_NAME
    key_path.write_text(",".join(ANSWER_KEY_COLUMNS) + "\n", encoding="utf-8")
    county_entries = []
    key_parts = []
    for index, county in enumerate(counties):
        subjects = calibration.subjects_for(county, scale)
        key_parts.append(out_dir / f".{county_slug(county)}_court_link_key.part")
        county_entries.append(
            _generate_county(
                county=county,
                seed=seed,
                subjects=subjects,
                first_subject_number=(index + 1) * SUBJECT_NUMBERS_PER_COUNTY + 1,
                out_dir=out_dir,
                files=files,
                calibration=calibration,
                pools=pools,
                scale=scale,
                compute_date=compute_date,
                key_path=key_path,
                key_part=key_parts[-1],
            )
        )
    join_link_key(out_dir, key_parts)
    manifest = {
        "generator": f"clearance generate {__version__}",
        "seed": seed,
        "scale": scale,
        "files_per_county": files,
        "calibration_file": CALIBRATION_FILE.name,
        "counties": county_entries,
        "answer_key": {
            "file": ANSWER_KEY_NAME,
            "compute_date": compute_date.isoformat(),
            "policies": list(KEY_POLICIES),
            "sha256": _sha256(key_path),
        },
        "quirks": _quirk_entries(calibration.quirks),
        "court_link_key": LINK_KEY_NAME,
        "court_quirks": _quirk_entries(calibration.court),
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _quirk_entries(quirks: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keys = ("unit", "rate", "tolerance", "description")
    return {name: {key: quirk[key] for key in keys} for name, quirk in quirks.items()}


def _generate_county(
    *,
    county: str,
    seed: int,
    subjects: int,
    first_subject_number: int,
    out_dir: Path,
    files: int,
    calibration: Calibration,
    pools: Any,
    scale: float,
    compute_date: date,
    key_path: Path,
    key_part: Path,
) -> dict[str, Any]:
    county_seed = int(hashlib.sha256(f"{seed}:{county}".encode()).hexdigest()[:12], 16)
    with duckdb.connect() as con:
        # Draws are hashes of keys and every ordering is on unique keys, so DuckDB's thread
        # count changes only the speed, never the bytes.
        create_macros(con, county_seed)
        policy = calibration.eligible_target(county)["policy"]
        create_subject_scenarios(con, policy, calibration.scenario_shares(policy), subjects)
        create_subjects(con, calibration, pools, subjects, first_subject_number)
        create_cycles(con, calibration, county)
        create_counts(con, calibration)
        create_steps(con, calibration)
        create_doj_rows(con, calibration)
        (rows,) = con.execute("select count(*) from doj_rows").fetchone()
        (prop64_in_county,) = con.execute(
            "select count(*) from counts where is_prop64 and convicted and county_name = $county",
            {"county": county},
        ).fetchone()
        # Finishing the DOJ files (Latin-1 transcoding, hashing) is Python work on one core, so
        # it runs in a worker thread while DuckDB builds the court extract on the other.
        with ThreadPoolExecutor(max_workers=1) as finisher:
            pending = _write_files(
                con, county, county_seed, out_dir, files, rows, calibration, finisher
            )
            # The court extract describes the same people, so it is drawn from the DOJ tables.
            layout = layout_for(county)
            create_court_rows(
                con,
                calibration,
                county,
                layout,
                pools,
                first_new_person_number=first_subject_number + SUBJECT_NUMBERS_PER_COUNTY // 2,
            )
            court_entry = write_court_files(
                con, county, county_slug(county), layout, out_dir, key_part
            )
            # The key, too, is built by DuckDB while the worker finishes the files.
            create_answer_key(con, county, compute_date)
            key_counts = _append_answer_key(con, key_path)
            realization = scenario_realization(con, policy)
            file_entries = [{**entry, **finished.result()} for entry, finished in pending]

    target = calibration.eligible_target(county)
    logger.info("Wrote %d DOJ rows for %s in %d files", rows, county, files)
    return {
        "county": county,
        "policy": target.get("policy"),
        "target_eligible_convictions": target["value"],
        "target_eligible_convictions_scaled": round(float(target["value"]) * scale),
        "target_source": target["source"],
        "subjects": subjects,
        "prop64_convictions_in_county": prop64_in_county,
        "rows": rows,
        "malformed_lines": sum(entry["malformed_lines"] for entry in file_entries),
        "answer_key": key_counts,
        "scenarios": realization,
        "files": file_entries,
        "court": court_entry,
    }


def _append_answer_key(con: duckdb.DuckDBPyConnection, key_path: Path) -> dict[str, Any]:
    """Append the county's key rows to the key file; return its counts per policy."""
    part = key_path.with_suffix(".part")
    con.execute(f"copy ({answer_key_csv_sql()}) to '{part}' (format csv, header false)")
    with key_path.open("ab") as sink:
        sink.write(part.read_bytes())
    part.unlink()
    counts: dict[str, Any] = {}
    for policy, determination, convictions in con.execute(
        "select policy, determination, count(*) from answer_key group by all order by all"
    ).fetchall():
        counts.setdefault(policy, {})[determination] = convictions
    return counts


def _quota(share: float, files: int, rng: random.Random) -> set[int]:
    """Choose floor or ceil of share * files file indexes, so the expected share is exact."""
    chosen = int(share * files + rng.random())
    return set(rng.sample(range(files), min(chosen, files)))


def _write_files(
    con: duckdb.DuckDBPyConnection,
    county: str,
    county_seed: int,
    out_dir: Path,
    files: int,
    rows: int,
    calibration: Calibration,
    finisher: Executor,
) -> list[tuple[dict[str, Any], Future[dict[str, Any]]]]:
    """Write the county's DOJ files and hand each to `finisher` for its last byte-level steps.

    Returns each file's manifest entry without `bytes` and `sha256`, and the future that
    returns those two once the file is final.
    """
    rng = random.Random(county_seed)
    with_header = _quota(calibration.rate("header_row"), files, rng)
    latin1 = _quota(calibration.rate("latin1_file"), files, rng)
    truncated = _quota(calibration.rate("truncated_last_line"), files, rng)
    pending = []
    for index in range(files):
        # Splitting by row number cuts one history at each boundary, as real split extracts do.
        first_row = rows * index // files + 1
        last_row = rows * (index + 1) // files
        suffix = f"_{index + 1}_of_{files}" if files > 1 else ""
        path = out_dir / f"{county_slug(county)}_doj{suffix}.csv"
        header = index in with_header
        cut_last = index in truncated and last_row >= first_row
        con.execute(
            f"""
            copy (
                select line from (
                    select 0 as row_number, {_sql_text(HEADER_LINE)} as line where {header}
                    union all
                    select row_number, line from doj_rows
                    where row_number between {first_row} and {last_row}
                    union all
                    -- An extra copy of the last line, cut in half: a transfer that broke off.
                    select {last_row} + 1, left(line, length(line) // 2) from doj_rows
                    where row_number = {last_row} and {cut_last}
                )
                order by row_number
            ) to '{path}' (format csv, header false, quote '', escape '', delimiter '\x1f')
            """
        )
        encoding = "latin-1" if index in latin1 else "utf-8"
        (malformed,) = con.execute(
            "select count(*) from doj_rows where is_malformed and row_number between $a and $b",
            {"a": first_row, "b": last_row},
        ).fetchone()
        entry = {
            "file": path.name,
            "encoding": encoding,
            "header": header,
            # Data lines, header excluded: the rows of the file plus a truncated copy.
            "lines": max(0, last_row - first_row + 1) + int(cut_last),
            "malformed_lines": malformed + int(cut_last),
            "truncated_last_line": cut_last,
        }
        pending.append((entry, finisher.submit(_finish_file, path, cut_last, encoding)))
    return pending


def _finish_file(path: Path, cut_last: bool, encoding: str) -> dict[str, Any]:
    if cut_last:
        _drop_final_line_feed(path)
    if encoding == "latin-1":
        _transcode_to_latin1(path)
    return {"bytes": path.stat().st_size, "sha256": _sha256(path)}


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _drop_final_line_feed(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            handle.truncate(size - 1)


def _transcode_to_latin1(path: Path) -> None:
    # Every generated character is Latin-1 (names.py keeps only such names), so this is exact.
    decoder = codecs.getincrementaldecoder("utf-8")()
    target = path.with_suffix(".latin1.tmp")
    with path.open("rb") as source, target.open("wb") as sink:
        while chunk := source.read(_CHUNK_BYTES):
            sink.write(decoder.decode(chunk).encode("latin-1"))
        sink.write(decoder.decode(b"", final=True).encode("latin-1"))
    target.replace(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
