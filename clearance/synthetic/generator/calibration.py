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
    """The parsed table: published targets, population shape, DOJ and court quirk rates, and
    the answer key's settings."""

    targets: tuple[dict[str, Any], ...]
    population: dict[str, Any]
    quirks: dict[str, dict[str, Any]]
    answer_key: dict[str, Any]
    scenarios: dict[str, dict[str, float]]
    court: dict[str, dict[str, Any]]

    def rate(self, quirk: str) -> float:
        """Return the rate of DOJ file `quirk` as a share of its unit."""
        return float(self.quirks[quirk]["rate"])

    def scenario_shares(self, policy: str) -> dict[str, float]:
        """Return the share of subjects planned for each scenario of `policy`."""
        if policy not in self.scenarios:
            raise ClearanceError(f"calibration.yaml has no scenario shares for policy {policy!r}")
        return {name: float(share) for name, share in self.scenarios[policy].items()}

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

        The scaled eligible target divided by the eligible convictions per subject that the
        answer key measured. At least one.
        """
        target = float(self.eligible_target(county)["value"])
        per_subject = float(self.population["eligible_convictions_per_subject"][county])
        return max(1, round(target * scale / per_subject))


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """Parse the calibration YAML file at `path`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Calibration(
        targets=tuple(data["targets"]),
        population=dict(data["population"]),
        quirks=dict(data["quirks"]),
        answer_key=dict(data["answer_key"]),
        scenarios={policy: dict(shares) for policy, shares in data["scenarios"].items()},
        court=dict(data["court"]),
    )
