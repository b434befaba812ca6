"""Write a county's court extract, its mapping file and its part of the court-to-DOJ link key."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
import yaml

from clearance.synthetic.generator.court_layouts import (
    DATE_COLUMNS,
    CourtLayout,
    mapping_document,
)

LINK_KEY_NAME = "court-link-key.csv"
LINK_KEY_COLUMNS = ("court_county", "case_number", "charge_seq", "subject_id", "cnt_order", "link")


def write_court_files(
    con: duckdb.DuckDBPyConnection,
    county: str,
    slug: str,
    layout: CourtLayout,
    out_dir: Path,
    key_part: Path,
) -> dict[str, Any]:
    """Write `<slug>_court.csv`, `<slug>_court_mapping.yaml` and the key rows to `key_part`.

    Reads temp table `court_rows`, whose insertion order is the file order, and returns the
    county's court entry of the manifest.
    """
    court_path = out_dir / f"{slug}_court.csv"
    mapping_path = out_dir / f"{slug}_court_mapping.yaml"
    selected = ", ".join(
        f"{_export_value(column, county, layout)} as {_identifier(layout.columns[column])}"
        for column in layout.columns
    )
    con.execute(
        f"""
        copy (select {selected} from court_rows)
        to '{court_path}' (format csv, header true)
        """
    )
    con.execute(
        f"""
        copy (
            select {_text(county)}, case_number, charge_seq, link_subject_id, link_cnt_order, link
            from court_rows
        ) to '{key_part}' (format csv, header false)
        """
    )
    mapping = mapping_document(county, court_path.name, layout)
    header = (
        f"# How the {county} court's case extract maps onto the canonical court layout.\n"
        "# Written by clearance generate; docs/court-extract.md describes each key.\n"
    )
    mapping_path.write_text(
        header + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    # Every case has a first charge, so counting first charges counts cases.
    (rows, cases, court_only, doj_linked, missing_cii) = con.execute(
        """
        select
            count(*),
            count(*) filter (where charge_seq = 1),
            count(*) filter (where court_only and is_prop64 and convicted),
            count(*) filter (where link_subject_id is not null and is_prop64),
            count(*) filter (where charge_seq = 1 and cii_number is null),
        from court_rows
        """
    ).fetchone()
    return {
        "file": court_path.name,
        "mapping_file": mapping_path.name,
        "link_key_file": LINK_KEY_NAME,
        "rows": rows,
        "cases": cases,
        "court_only_convictions": court_only,
        "doj_prop64_convictions_linked": doj_linked,
        "cases_without_cii": missing_cii,
        "date_format": layout.date_label,
        "bytes": court_path.stat().st_size,
        "sha256": sha256_of(court_path),
    }


def join_link_key(out_dir: Path, parts: list[Path]) -> Path:
    """Write the link key of every county: one header, then each county's part in order."""
    path = out_dir / LINK_KEY_NAME
    with path.open("wb") as sink:
        sink.write((",".join(LINK_KEY_COLUMNS) + "\n").encode())
        for part in parts:
            sink.write(part.read_bytes())
            part.unlink()
    return path


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of the file at `path`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _export_value(column: str, county: str, layout: CourtLayout) -> str:
    if column == "court_county":
        return _text(county)
    if column in DATE_COLUMNS:
        return f"strftime({column}, {_text(layout.date_format)})"
    return column


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
