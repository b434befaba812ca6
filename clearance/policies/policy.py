"""A validated policy: its parameters, its ordered rules, and the rules resolved for one run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from clearance.policies.errors import PolicyError
from clearance.policies.parameters import ParameterSpec, to_json_value
from clearance.policies.vocabulary import CONVICTION_PLACEHOLDERS, RELIEF_DETERMINATIONS

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]*)\}")
PARAMETER_REFERENCE_PREFIX = "$"


@dataclass(frozen=True)
class Rule:
    """One rule as written: parameters hold literal values or `$parameter` references."""

    rule_id: str
    predicate: str
    parameters: dict[str, Any]
    determination: str
    reason: str
    enabled_when: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ResolvedRule:
    """One rule of a run: parameters are literal values and the reason names no policy parameter."""

    rule_number: int
    rule_id: str
    predicate: str
    parameters: dict[str, Any]
    determination: str
    reason_template: str
    grants_relief: bool
    note_template: str | None = None

    def parameters_json(self) -> str:
        """Return the predicate parameters as JSON text, the form dbt reads.

        A rule's note rides along under the key `note`, because raw.run_policy_rules has no
        column for it; predicates read only their own keys.
        """
        parameters = {name: to_json_value(value) for name, value in self.parameters.items()}
        if self.note_template is not None:
            parameters["note"] = self.note_template
        return json.dumps(parameters, sort_keys=True)


@dataclass(frozen=True)
class Policy:
    """A policy with the current value of each of its parameters."""

    name: str
    description: str
    scope: str
    parameters: dict[str, ParameterSpec]
    rules: tuple[Rule, ...]
    source: str
    values: dict[str, Any] = field(default_factory=dict)

    def with_values(self, values: Mapping[str, Any], origin: str = "parameter") -> Policy:
        """Return a copy with some parameters set; each value is checked against its declaration."""
        merged = dict(self.values)
        for name, value in values.items():
            spec = self._spec(name, origin)
            try:
                merged[name] = spec.check(value)
            except ValueError as error:
                raise PolicyError(f"{self.source}: {origin} {name!r}: {error}") from None
        return replace(self, values=merged)

    def with_overrides(self, assignments: Iterable[str]) -> Policy:
        """Return a copy with `NAME=VALUE` overrides applied, each read as its declared type."""
        policy = self
        for assignment in assignments:
            name, separator, text = assignment.partition("=")
            name = name.strip()
            if not separator or not name:
                raise PolicyError(f"{self.source}: --param {assignment!r}: write it as NAME=VALUE")
            spec = policy._spec(name, "--param")
            try:
                value = spec.parse(text)
            except ValueError as error:
                raise PolicyError(f"{self.source}: --param {name!r}: {error}") from None
            policy = replace(policy, values={**policy.values, name: value})
        return policy

    def parameters_json(self) -> str:
        """Return every parameter's current value as JSON text, for the run's record."""
        return json.dumps(
            {name: to_json_value(value) for name, value in self.values.items()}, sort_keys=True
        )

    def resolved_rules(self) -> list[ResolvedRule]:
        """Return the rules of a run: disabled ones left out, numbered from 1 in order."""
        resolved: list[ResolvedRule] = []
        for rule in self.rules:
            if rule.enabled_when is not None and not self.values[rule.enabled_when]:
                continue
            resolved.append(
                ResolvedRule(
                    rule_number=len(resolved) + 1,
                    rule_id=rule.rule_id,
                    predicate=rule.predicate,
                    parameters={
                        name: self._resolve(value) for name, value in rule.parameters.items()
                    },
                    determination=rule.determination,
                    reason_template=self._fill_reason(rule.reason),
                    grants_relief=rule.determination in RELIEF_DETERMINATIONS,
                    note_template=None if rule.note is None else self._fill_reason(rule.note),
                )
            )
        return resolved

    def _spec(self, name: str, origin: str) -> ParameterSpec:
        if name not in self.parameters:
            known = ", ".join(sorted(self.parameters)) or "none"
            raise PolicyError(
                f"{self.source}: {origin} {name!r}: unknown parameter of policy {self.name!r}; "
                f"its parameters are: {known}"
            )
        return self.parameters[name]

    def _resolve(self, value: Any) -> Any:
        # The conditions of an `all` rule nest their parameters one level down.
        if isinstance(value, dict):
            return {key: self._resolve(item) for key, item in value.items()}
        if isinstance(value, tuple | list):
            return [self._resolve(item) for item in value]
        if isinstance(value, str) and value.startswith(PARAMETER_REFERENCE_PREFIX):
            return self.values[value.removeprefix(PARAMETER_REFERENCE_PREFIX)]
        return value

    def _fill_reason(self, template: str) -> str:
        def fill(match: re.Match[str]) -> str:
            placeholder = match.group(1)
            if placeholder in CONVICTION_PLACEHOLDERS:
                return match.group(0)
            return format_reason_value(self.values[placeholder])

        return PLACEHOLDER.sub(fill, template)


def format_reason_value(value: Any) -> str:
    """Return a parameter value as a reason shows it: lists joined by commas, dates YYYY-MM-DD."""
    value = to_json_value(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
