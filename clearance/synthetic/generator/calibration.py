"""Read the generator's calibration table (calibration.yaml beside this module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import ClearanceError

CALIBRATION_FILE = Path(__file__).with_name("calibration.yaml")


@dataclass(frozen=True)
class Calibration:
    """The parsed table: published targets, population shape, DOJ and court quirk rates."""

    targets: tuple[dict[str, Any], ...]
    population: dict[str, Any]
    quirks: dict[str, dict[str, Any]]
    court: dict[str, dict[str, Any]]

    def rate(self, quirk: str) -> float:
        """Return the rate of DOJ file `quirk` as a share of its unit."""
        return float(self.quirks[quirk]["rate"])

    def court_rate(self, quirk: str) -> float:
        """Return the rate of court extract `quirk` per unit."""
        return float(self.court[quirk]["rate"])

    def eligible_target(self, county: str) -> dict[str, Any]:
        """Return the `use: target` row of `county`, or raise ClearanceError when there is none."""
        for row in self.targets:
            if row["use"] == "target" and row["county"] == county:
                return row
        known = sorted({row["county"] for row in self.targets if row["use"] == "target"})
        raise ClearanceError(
            f"no calibration target for county {county!r}; calibrated counties: {', '.join(known)}"
        )

    def subjects_for(self, county: str, scale: float) -> int:
        """Return the number of subjects whose history is generated for `county` at `scale`.

        The eligible target divided by the estimated eligible share gives the county's Prop 64
        convictions, and dividing by convictions per subject gives people. At least one.
        """
        target = float(self.eligible_target(county)["value"])
        convictions = (
            target * scale / float(self.population["eligible_share_of_prop64_convictions"])
        )
        subjects = convictions / float(self.population["county_prop64_convictions_per_subject"])
        return max(1, round(subjects))


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """Parse the calibration YAML file at `path`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Calibration(
        targets=tuple(data["targets"]),
        population=dict(data["population"]),
        quirks=dict(data["quirks"]),
        court=dict(data["court"]),
    )
