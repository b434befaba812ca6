"""Read generated DOJ files back as rows, the way the quirk tests measure them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.doj_layout import DOJ_COLUMNS


@dataclass(frozen=True)
class GeneratedExtract:
    """The generated files, their manifest and every well-formed row as a column dict."""

    out_dir: Path
    manifest: dict[str, Any]
    rows: list[dict[str, str]]
    malformed_lines: int


def read_rows(out_dir: Path, manifest: dict[str, Any]) -> tuple[list[dict[str, str]], int]:
    """Parse every file with the csv module; return well-formed rows and the malformed count."""
    rows: list[dict[str, str]] = []
    malformed = 0
    for county in manifest["counties"]:
        for entry in county["files"]:
            text = (out_dir / entry["file"]).read_bytes().decode(entry["encoding"])
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if entry["header"]:
                assert lines[0] == ",".join(DOJ_COLUMNS)
                lines = lines[1:]
            for line in lines:
                fields = _parse(line)
                if fields is None:
                    malformed += 1
                else:
                    rows.append(dict(zip(DOJ_COLUMNS, fields, strict=True)))
    return rows, malformed


def _parse(line: str) -> list[str] | None:
    if "\x00" in line or line.count('"') % 2:
        return None
    fields = next(csv.reader([line]))
    return fields if len(fields) == len(DOJ_COLUMNS) else None
