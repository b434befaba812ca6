"""Whether a run's DOJ files came from `clearance generate`, read from its manifest.json."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"


def generation_scale(doj_paths: Iterable[str], county: str, file_hashes: set[str]) -> float | None:
    """Return the generation manifest's scale when the run's files were generated, else None.

    The manifest must sit beside an input file and list, for the run's county, a file with
    the SHA-256 of every file of the run. A manifest that cannot be read is logged and
    ignored, so such input is treated as real input.
    """
    folders = {Path(path).parent for path in doj_paths}
    for folder in sorted(folders):
        path = folder / MANIFEST_NAME
        if not path.is_file():
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            listed = {
                str(file["sha256"])
                for entry in manifest.get("counties", [])
                if str(entry.get("county", "")).upper() == county
                for file in entry.get("files", [])
            }
            scale = float(manifest["scale"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("Ignoring generation manifest %s: %s", path, error)
            continue
        if file_hashes and file_hashes <= listed:
            return scale
    return None
