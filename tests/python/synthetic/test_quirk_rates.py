"""Every calibrated quirk appears in a scaled-down file at its rate, within its tolerance."""

from __future__ import annotations

import pytest
from generated_extract import GeneratedExtract
from quirk_measures import MEASURES

from clearance.synthetic.generator.calibration import load_calibration

CALIBRATION = load_calibration()
FILE_QUIRKS = {
    "header_row": "header",
    "latin1_file": "encoding",
    "truncated_last_line": "truncated_last_line",
}


def test_every_quirk_is_measured() -> None:
    measured = set(MEASURES) | set(FILE_QUIRKS) | {"malformed_line"}
    assert measured == set(CALIBRATION.quirks)


@pytest.mark.parametrize("quirk", sorted(MEASURES))
def test_quirk_rate_within_tolerance(extract: GeneratedExtract, quirk: str) -> None:
    hits, population = MEASURES[quirk](extract.rows)
    rate = CALIBRATION.rate(quirk)
    tolerance = float(CALIBRATION.quirks[quirk]["tolerance"])
    assert population > 0
    assert hits > 0, f"{quirk}: not present in {population}"
    assert abs(hits / population - rate) <= tolerance, (
        f"{quirk}: {hits} of {population} = {hits / population:.4f}, expected {rate} ± {tolerance}"
    )


@pytest.mark.parametrize("quirk", sorted(FILE_QUIRKS))
def test_file_quirk_follows_quota(extract: GeneratedExtract, quirk: str) -> None:
    files = extract.manifest["counties"][0]["files"]
    field = FILE_QUIRKS[quirk]
    hits = sum(1 for entry in files if entry[field] not in (False, "utf-8"))
    expected = CALIBRATION.rate(quirk) * len(files)
    assert int(expected) <= hits <= -int(-expected // 1)


def test_malformed_line_rate_within_tolerance(extract: GeneratedExtract) -> None:
    county = extract.manifest["counties"][0]
    truncated = sum(entry["truncated_last_line"] for entry in county["files"])
    malformed = county["malformed_lines"] - truncated
    arrest_rows = malformed + sum(
        1 for row in extract.rows if row["STP_TYPE_DESCR"] == "ARREST/DETAINED/CITED"
    )
    rate = CALIBRATION.rate("malformed_line")
    tolerance = float(CALIBRATION.quirks["malformed_line"]["tolerance"])
    assert malformed > 0
    assert abs(malformed / arrest_rows - rate) <= tolerance
