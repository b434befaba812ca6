"""Read a policy file by built-in name or path and validate it before anything runs."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from clearance.policies.errors import PolicyError
from clearance.policies.parameters import ParameterSpec, check_value
from clearance.policies.policy import PARAMETER_REFERENCE_PREFIX, PLACEHOLDER, Policy, Rule
from clearance.policies.vocabulary import (
    ALL_CONDITIONS_PREDICATE,
    CONVICTION_PLACEHOLDERS,
    DETERMINATIONS,
    PARAMETER_TYPES,
    SCOPES,
    Predicate,
    load_predicates,
)
from clearance.settings import PROJECT_DIR

logger = logging.getLogger(__name__)

BUILT_IN_POLICY_DIR = PROJECT_DIR / "policies"
FINAL_PREDICATE = "always"

_POLICY_KEYS = {"name", "description", "scope", "parameters", "rules"}
_REQUIRED_POLICY_KEYS = {"name", "scope", "rules"}
_PARAMETER_KEYS = {"type", "default", "description", "min", "max", "allowed"}
_RULE_KEYS = {
    "id",
    "predicate",
    "parameters",
    "all",
    "determination",
    "reason",
    "note",
    "enabled_when",
}
_REQUIRED_RULE_KEYS = {"id", "determination", "reason"}
_CONDITION_KEYS = {"predicate", "parameters"}
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def built_in_policy_names() -> list[str]:
    """Return the names of the policies shipped in the policies folder."""
    return sorted(path.stem for path in BUILT_IN_POLICY_DIR.glob("*.yaml"))


def policy_path(name_or_path: str) -> Path:
    """Return the file of a built-in policy name, or the path itself when it names a file."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or len(candidate.parts) > 1:
        if not candidate.is_file():
            raise PolicyError(f"policy file {name_or_path}: not found")
        return candidate
    built_in = BUILT_IN_POLICY_DIR / f"{name_or_path}.yaml"
    if not built_in.is_file():
        known = ", ".join(built_in_policy_names())
        raise PolicyError(
            f"policy {name_or_path!r}: no such built-in policy; use one of {known}, "
            "or the path of a policy file"
        )
    return built_in


def load_policy(name_or_path: str) -> Policy:
    """Load and validate a policy, with every parameter at its default."""
    path = policy_path(name_or_path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PolicyError(f"{path}: not valid YAML ({error})") from None
    policy = parse_policy(document, str(path))
    logger.info("Loaded policy %s with %d rules from %s", policy.name, len(policy.rules), path)
    return policy


def parse_policy(document: Any, source: str) -> Policy:
    """Validate a parsed policy document and return it as a Policy; source names it in errors."""
    if not isinstance(document, dict):
        raise PolicyError(f"{source}: a policy file must be a mapping with name, scope and rules")
    _check_keys(document, _POLICY_KEYS, _REQUIRED_POLICY_KEYS, f"{source}:")
    name = _text(document["name"], f"{source}: field 'name'")
    description = _text(document.get("description", ""), f"{source}: field 'description'")
    scope = document["scope"]
    if scope not in SCOPES:
        raise PolicyError(
            f"{source}: field 'scope': must be one of {', '.join(SCOPES)}, got {scope!r}"
        )

    raw_parameters = document.get("parameters") or {}
    if not isinstance(raw_parameters, dict):
        raise PolicyError(f"{source}: field 'parameters': must be a mapping of name to declaration")
    parameters = {
        str(key): _parse_parameter(str(key), value, source) for key, value in raw_parameters.items()
    }

    raw_rules = document["rules"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise PolicyError(f"{source}: field 'rules': must be a non-empty list")
    predicates = load_predicates()
    rules = tuple(
        _parse_rule(raw_rule, number, source, parameters, predicates)
        for number, raw_rule in enumerate(raw_rules, start=1)
    )
    _check_rule_order(rules, source)

    values = {spec.name: spec.default for spec in parameters.values()}
    return Policy(name, description, scope, parameters, rules, source, values)


def _parse_parameter(name: str, declaration: Any, source: str) -> ParameterSpec:
    where = f"{source}: parameter {name!r}:"
    if not isinstance(declaration, dict):
        raise PolicyError(f"{where} must be a mapping with type and default")
    _check_keys(declaration, _PARAMETER_KEYS, {"type", "default"}, where)

    type_name = declaration["type"]
    if type_name not in PARAMETER_TYPES:
        raise PolicyError(
            f"{where} field 'type': must be one of {', '.join(PARAMETER_TYPES)}, got {type_name!r}"
        )

    minimum, maximum = declaration.get("min"), declaration.get("max")
    if (minimum is not None or maximum is not None) and type_name != "integer":
        raise PolicyError(f"{where} min and max apply only to integer parameters")
    for key, bound in (("min", minimum), ("max", maximum)):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
            raise PolicyError(f"{where} field {key!r}: must be an integer, got {bound!r}")

    allowed = declaration.get("allowed")
    if allowed is not None:
        if type_name not in {"integer", "section_list"} or not isinstance(allowed, list):
            raise PolicyError(
                f"{where} field 'allowed': must be a list, for integer or section_list parameters"
            )
        allowed = tuple(allowed)

    # Build the declaration first so the default goes through the same check as any value.
    spec = ParameterSpec(
        name=name,
        type=type_name,
        default=None,
        description=_text(declaration.get("description", ""), f"{where} field 'description'"),
        minimum=minimum,
        maximum=maximum,
        allowed=allowed,
    )
    try:
        default = spec.check(declaration["default"])
    except ValueError as error:
        raise PolicyError(f"{where} field 'default': {error}") from None
    return replace(spec, default=default)


def _parse_rule(
    raw_rule: Any,
    number: int,
    source: str,
    parameters: dict[str, ParameterSpec],
    predicates: dict[str, Predicate],
) -> Rule:
    where = f"{source}: rule {number}:"
    if not isinstance(raw_rule, dict):
        raise PolicyError(f"{where} must be a mapping with id, predicate, determination and reason")
    _check_keys(raw_rule, _RULE_KEYS, _REQUIRED_RULE_KEYS, where)

    rule_id = raw_rule["id"]
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise PolicyError(
            f"{where} field 'id': must be lower-case letters, digits and underscores, "
            f"got {rule_id!r}"
        )
    where = f"{source}: rule {number} ({rule_id}):"

    if ("predicate" in raw_rule) == ("all" in raw_rule):
        raise PolicyError(
            f"{where} field 'predicate': give either predicate (with its parameters) or all "
            "(a list of conditions that must all hold), not both or neither"
        )
    if "all" in raw_rule:
        if "parameters" in raw_rule:
            raise PolicyError(
                f"{where} field 'parameters': a rule with all gives parameters in each condition"
            )
        predicate_name = ALL_CONDITIONS_PREDICATE
        rule_parameters = {
            "conditions": _parse_conditions(raw_rule["all"], predicates, parameters, where)
        }
    else:
        predicate_name, rule_parameters = _parse_condition(
            raw_rule, predicates, parameters, where, "predicate", "parameters"
        )

    determination = raw_rule["determination"]
    if determination not in DETERMINATIONS:
        raise PolicyError(
            f"{where} field 'determination': unknown determination {determination!r}; "
            f"use one of: {'; '.join(DETERMINATIONS)}"
        )

    reason = _text(raw_rule["reason"], f"{where} field 'reason'")
    _check_placeholders(reason, parameters, f"{where} field 'reason'")
    note = raw_rule.get("note")
    if note is not None:
        note = _text(note, f"{where} field 'note'")
        _check_placeholders(note, parameters, f"{where} field 'note'")

    enabled_when = raw_rule.get("enabled_when")
    if enabled_when is not None:
        enabled_when = _parameter_reference(
            enabled_when, parameters, f"{where} field 'enabled_when'"
        )
    return Rule(rule_id, predicate_name, rule_parameters, determination, reason, enabled_when, note)


def _check_placeholders(text: str, parameters: dict[str, ParameterSpec], where: str) -> None:
    for placeholder in PLACEHOLDER.findall(text):
        if placeholder not in parameters and placeholder not in CONVICTION_PLACEHOLDERS:
            raise PolicyError(
                f"{where}: placeholder {{{placeholder}}} is neither a parameter of "
                f"this policy nor one of {', '.join(sorted(CONVICTION_PLACEHOLDERS))}"
            )


def _parse_conditions(
    raw: Any,
    predicates: dict[str, Predicate],
    parameters: dict[str, ParameterSpec],
    where: str,
) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise PolicyError(
            f"{where} field 'all': must be a list of at least two conditions, each a mapping "
            "with predicate and parameters"
        )
    conditions: list[dict[str, Any]] = []
    for index, condition in enumerate(raw, start=1):
        field = f"all[{index}]"
        if not isinstance(condition, dict):
            raise PolicyError(f"{where} field {field!r}: must be a mapping with predicate")
        _check_keys(condition, _CONDITION_KEYS, {"predicate"}, f"{where} field {field!r}:")
        name, checked = _parse_condition(
            condition, predicates, parameters, where, f"{field}.predicate", f"{field}.parameters"
        )
        conditions.append({"predicate": name, "parameters": checked})
    return tuple(conditions)


def _parse_condition(
    raw: dict[str, Any],
    predicates: dict[str, Predicate],
    parameters: dict[str, ParameterSpec],
    where: str,
    predicate_field: str,
    parameters_field: str,
) -> tuple[str, dict[str, Any]]:
    predicate_name = raw["predicate"]
    if predicate_name not in predicates:
        known = ", ".join(sorted(predicates))
        raise PolicyError(
            f"{where} field {predicate_field!r}: unknown predicate {predicate_name!r}; "
            f"known: {known}"
        )
    if predicate_name == FINAL_PREDICATE and predicate_field != "predicate":
        raise PolicyError(
            f"{where} field {predicate_field!r}: {FINAL_PREDICATE!r} is not allowed as a "
            "condition, because it always holds; remove the condition"
        )
    checked = _parse_rule_parameters(
        raw.get("parameters") or {},
        predicates[predicate_name],
        parameters,
        where,
        parameters_field,
    )
    return predicate_name, checked


def _parse_rule_parameters(
    raw: Any,
    predicate: Predicate,
    parameters: dict[str, ParameterSpec],
    where: str,
    field: str = "parameters",
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise PolicyError(f"{where} field {field!r}: must be a mapping of name to value")
    unknown = sorted(set(raw) - set(predicate.parameters))
    if unknown:
        expected = ", ".join(predicate.parameters) or "none"
        raise PolicyError(
            f"{where} field {field!r}: predicate {predicate.name!r} takes no parameter "
            f"{unknown[0]!r}; it takes: {expected}"
        )
    checked: dict[str, Any] = {}
    for name, type_name in predicate.parameters.items():
        field_where = f"{where} field '{field}.{name}'"
        if name not in raw:
            raise PolicyError(f"{field_where}: missing; predicate {predicate.name!r} needs it")
        value = raw[name]
        if isinstance(value, str) and value.startswith(PARAMETER_REFERENCE_PREFIX):
            reference = _parameter_reference(value, parameters, field_where)
            if parameters[reference].type != type_name:
                raise PolicyError(
                    f"{field_where}: must be of type {type_name}, but parameter {reference!r} "
                    f"is of type {parameters[reference].type}"
                )
            checked[name] = value
            continue
        try:
            checked[name] = check_value(type_name, value)
        except ValueError as error:
            raise PolicyError(f"{field_where}: {error}") from None
    return checked


def _parameter_reference(value: Any, parameters: dict[str, ParameterSpec], where: str) -> str:
    if not isinstance(value, str) or not value.startswith(PARAMETER_REFERENCE_PREFIX):
        raise PolicyError(f"{where}: must be a parameter reference such as $name, got {value!r}")
    name = value.removeprefix(PARAMETER_REFERENCE_PREFIX)
    if name not in parameters:
        raise PolicyError(f"{where}: {value!r} names no parameter of this policy")
    return name


def _check_rule_order(rules: tuple[Rule, ...], source: str) -> None:
    ids = [rule.rule_id for rule in rules]
    for number, rule in enumerate(rules, start=1):
        if ids.index(rule.rule_id) != number - 1:
            raise PolicyError(f"{source}: rule {number} ({rule.rule_id}): field 'id': used twice")
        is_last = number == len(rules)
        if rule.predicate == FINAL_PREDICATE and not is_last:
            raise PolicyError(
                f"{source}: rule {number} ({rule.rule_id}): field 'predicate': "
                f"{FINAL_PREDICATE!r} may only be the last rule, because no rule after it "
                "is reached"
            )
    last = rules[-1]
    if last.predicate != FINAL_PREDICATE or last.enabled_when is not None:
        raise PolicyError(
            f"{source}: rule {len(rules)} ({last.rule_id}): field 'predicate': the last rule must "
            f"use predicate {FINAL_PREDICATE!r} without enabled_when, so every conviction gets "
            "a determination"
        )


def _check_keys(mapping: dict[str, Any], known: set[str], required: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in set(mapping) - known)
    if unknown:
        raise PolicyError(
            f"{where} unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    missing = sorted(required - set(mapping))
    if missing:
        raise PolicyError(f"{where} field {missing[0]!r}: missing")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PolicyError(f"{where}: must be text, got {value!r}")
    return value
