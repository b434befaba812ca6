"""The counties' statewide options file (JSON), read unchanged into the configurable policy."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from clearance.policies.errors import PolicyError
from clearance.policies.loading import load_policy
from clearance.policies.parameters import describe_integer_limits
from clearance.policies.policy import Policy

logger = logging.getLogger(__name__)

CONFIGURABLE_POLICY = "configurable"
PROP64_SECTIONS: tuple[str, ...] = ("11357", "11358", "11359", "11360")

# Options key -> configurable policy parameter.
_SECTION_LISTS: dict[str, str] = {"dismiss": "dismiss_sections", "reduce": "reduce_sections"}
_SWITCHES: dict[str, str] = {
    "subjectUnder21AtConviction": "subject_under_21_at_conviction",
    "subjectHasOnlyProp64Charges": "subject_has_only_prop64_charges",
    "subjectIsDeceased": "subject_is_deceased",
}
# Options key -> (configurable policy parameter, minimum, maximum); 0 turns the option off.
_THRESHOLDS: dict[str, tuple[str, int, int]] = {
    "subjectAgeThreshold": ("subject_age_threshold", 40, 65),
    "yearsSinceConvictionThreshold": ("years_since_conviction_threshold", 1, 15),
    "yearsCrimeFreeThreshold": ("years_crime_free_threshold", 1, 15),
}


def policy_from_options(path: Path | str) -> Policy:
    """Return the configurable policy with the parameters an options file sets."""
    path = Path(path)
    where = f"options file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{where}: not found") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{where}: not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyError(
            f"{where}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    values = options_to_parameters(document, where)
    logger.info("Read %d options from %s", len(values), path)
    return load_policy(CONFIGURABLE_POLICY).with_values(values, origin="parameter")


def options_to_parameters(document: Any, where: str) -> dict[str, Any]:
    """Validate a parsed options document and return the configurable policy's parameters.

    Every key is optional: a missing list is empty and a missing option is off.
    """
    _expect_object(document, where, "the top level")
    _reject_unknown(document, {"baselineEligibility", "additionalRelief"}, where, "")
    values: dict[str, Any] = {}

    baseline = document.get("baselineEligibility", {})
    _expect_object(baseline, where, "baselineEligibility")
    _reject_unknown(baseline, set(_SECTION_LISTS), where, "baselineEligibility.")
    for key, parameter in _SECTION_LISTS.items():
        values[parameter] = _section_list(
            baseline.get(key, []), where, f"baselineEligibility.{key}"
        )
    both = sorted(set(values["dismiss_sections"]) & set(values["reduce_sections"]))
    if both:
        raise PolicyError(
            f"{where}: baselineEligibility: section {both[0]} is in both dismiss and reduce; "
            "list each section in one of them at most"
        )

    relief = document.get("additionalRelief", {})
    _expect_object(relief, where, "additionalRelief")
    _reject_unknown(relief, set(_SWITCHES) | set(_THRESHOLDS), where, "additionalRelief.")
    for key, parameter in _SWITCHES.items():
        value = relief.get(key, False)
        if not isinstance(value, bool):
            raise PolicyError(
                f"{where}: additionalRelief.{key}: must be true or false, got {value!r}"
            )
        values[parameter] = value
    for key, (parameter, minimum, maximum) in _THRESHOLDS.items():
        value = relief.get(key, 0)
        valid = not isinstance(value, bool) and isinstance(value, int)
        if not valid or (value != 0 and not minimum <= value <= maximum):
            limits = describe_integer_limits(minimum, maximum, (0,))
            raise PolicyError(
                f"{where}: additionalRelief.{key}: must be {limits} (0 turns it off), "
                f"got {json.dumps(value)}"
            )
        values[parameter] = value
    return values


def _section_list(value: Any, where: str, key_path: str) -> list[str]:
    if not isinstance(value, list):
        raise PolicyError(
            f"{where}: {key_path}: must be a list of sections, got {json.dumps(value)}"
        )
    sections: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in PROP64_SECTIONS:
            raise PolicyError(
                f"{where}: {key_path}: {json.dumps(item)} is not a Prop 64 section; "
                f"use text among {', '.join(PROP64_SECTIONS)}"
            )
        if item in sections:
            raise PolicyError(f"{where}: {key_path}: section {item} is listed twice")
        sections.append(item)
    return sections


def _expect_object(value: Any, where: str, key_path: str) -> None:
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: {key_path}: must be a JSON object, got {json.dumps(value)}")


def _reject_unknown(mapping: dict[str, Any], known: set[str], where: str, prefix: str) -> None:
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise PolicyError(
            f"{where}: {prefix}{unknown[0]}: unknown key; known keys: {', '.join(sorted(known))}"
        )
