"""The fixed words a policy may use: determinations, scopes, parameter types and predicates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from clearance.policies.parameters import CHOICE_LIST_TYPES, CHOICE_TYPES
from clearance.settings import PROJECT_DIR

# The determinations of the 2019 statewide exports, which compatible exports keep.
DETERMINATIONS: tuple[str, ...] = (
    "Eligible for Dismissal",
    "Eligible for Reduction",
    "Not eligible",
    "Hand Review",
    "Maybe Eligible - Flag for Review",
    "To be reviewed by City Attorneys",
)
RELIEF_DETERMINATIONS: frozenset[str] = frozenset(
    {"Eligible for Dismissal", "Eligible for Reduction"}
)

SCOPES: tuple[str, ...] = ("prop64", "prop64_and_related")
PARAMETER_TYPES: tuple[str, ...] = (
    "boolean",
    "integer",
    "date",
    "section_list",
    "offense_list",
    *CHOICE_TYPES,
    *CHOICE_LIST_TYPES,
)

# Placeholders that dbt fills per conviction; every other placeholder names a policy parameter.
CONVICTION_PLACEHOLDERS: frozenset[str] = frozenset({"section"})

PREDICATES_FILE = PROJECT_DIR / "macros" / "predicates" / "_predicates.yml"
PREDICATE_MACRO_PREFIX = "predicate__"

# A rule whose `all` lists several conditions applies only when every one of them does. It
# reaches dbt as this pseudo-predicate, with the conditions in its parameters.
ALL_CONDITIONS_PREDICATE = "all"


@dataclass(frozen=True)
class Predicate:
    """One predicate of the vocabulary: its name and its parameters' types."""

    name: str
    parameters: dict[str, str]
    description: str


@lru_cache(maxsize=4)
def load_predicates(path: Path = PREDICATES_FILE) -> dict[str, Predicate]:
    """Read the predicate vocabulary from the dbt macro properties beside the predicate macros."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    predicates: dict[str, Predicate] = {}
    for macro in document.get("macros", []):
        macro_name = macro["name"]
        if not macro_name.startswith(PREDICATE_MACRO_PREFIX):
            continue
        name = macro_name.removeprefix(PREDICATE_MACRO_PREFIX)
        parameters = macro.get("config", {}).get("meta", {}).get("parameters", {}) or {}
        predicates[name] = Predicate(name, dict(parameters), macro.get("description", ""))
    return predicates
