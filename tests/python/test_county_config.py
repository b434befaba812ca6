"""County configuration: defaults, a county's overrides, and names that are not counties."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.counties import CALIFORNIA_COUNTIES, county_config
from clearance.errors import ClearanceError


def test_fifty_eight_counties() -> None:
    assert len(CALIFORNIA_COUNTIES) == len(set(CALIFORNIA_COUNTIES)) == 58


def test_county_overrides_the_default_policy() -> None:
    assert county_config("LOS ANGELES")["policy"] == "la-pilot-2019"
    assert county_config("san francisco")["policy"] == "sf-2019"
    assert county_config("ALPINE")["policy"] == "legal-default"


def test_landing_folder_names_the_county() -> None:
    assert county_config("SAN LUIS OBISPO")["landing_folder"] == "landing/san_luis_obispo"


def test_nested_override_keeps_the_other_defaults(tmp_path: Path) -> None:
    config_file = tmp_path / "counties.yaml"
    config_file.write_text(
        "defaults: {target: {severity: warning, tolerance: 0.02}}\n"
        "counties: {SONOMA: {target: {severity: blocking}}}\n",
        encoding="utf-8",
    )
    assert county_config("SONOMA", config_file)["target"] == {
        "severity": "blocking",
        "tolerance": 0.02,
    }


def test_unknown_county_is_rejected() -> None:
    with pytest.raises(ClearanceError, match="not a California county"):
        county_config("ATLANTIS")


def test_override_of_unknown_county_is_rejected(tmp_path: Path) -> None:
    config_file = tmp_path / "counties.yaml"
    config_file.write_text("counties: {ATLANTIS: {policy: sf-2019}}\n", encoding="utf-8")
    with pytest.raises(ClearanceError, match="unknown county ATLANTIS"):
        county_config("SONOMA", config_file)
