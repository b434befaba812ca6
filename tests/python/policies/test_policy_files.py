"""Policy files: built-in policies load, and each kind of mistake is rejected before any run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from clearance.policies import PolicyError, built_in_policy_names, load_policy

VALID_POLICY: dict[str, Any] = {
    "name": "test-policy",
    "description": "A small policy for tests.",
    "scope": "prop64",
    "parameters": {
        "age": {"type": "integer", "default": 50, "min": 40, "max": 65},
        "sections": {"type": "section_list", "default": ["11357"]},
    },
    "rules": [
        {
            "id": "after_effective_date",
            "predicate": "conduct_on_or_after",
            "parameters": {"date": "2016-11-09"},
            "determination": "Not eligible",
            "reason": "Occurred after 11/09/2016",
        },
        {
            "id": "old_enough",
            "predicate": "age_at_least_on_compute_date",
            "parameters": {"years": "$age"},
            "determination": "Eligible for Dismissal",
            "reason": "{age} years or older",
        },
        {
            "id": "listed",
            "predicate": "section_in",
            "parameters": {"sections": "$sections"},
            "determination": "Eligible for Reduction",
            "reason": "Reduce all HS {section} convictions",
            "enabled_when": "$sections",
        },
        {
            "id": "otherwise",
            "predicate": "always",
            "determination": "Hand Review",
            "reason": "No rule applies",
        },
    ],
}


def write_policy(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "test-policy.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def with_rule_change(number: int, **changes: Any) -> dict[str, Any]:
    """Return the valid policy with rule `number` (from 1) changed; a value of None drops a field."""
    document = yaml.safe_load(yaml.safe_dump(VALID_POLICY))
    rule = document["rules"][number - 1]
    for key, value in changes.items():
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
    return document


def test_built_in_policies_load() -> None:
    names = built_in_policy_names()

    assert {
        "configurable",
        "la-pilot-2019",
        "sf-2019",
        "legal-default",
        "dismiss-all-prop64",
        "dismiss-all-prop64-and-related",
    } <= set(names)
    for name in names:
        assert load_policy(name).name == name


def test_hypotheticals_dismiss_everything() -> None:
    prop64 = load_policy("dismiss-all-prop64").resolved_rules()
    related = load_policy("dismiss-all-prop64-and-related")

    assert [(r.predicate, r.determination, r.reason_template) for r in prop64] == [
        ("always", "Eligible for Dismissal", "Dismiss all Prop 64 charges")
    ]
    assert related.scope == "prop64_and_related"
    assert related.resolved_rules()[0].reason_template == "Dismiss all Prop 64 and related charges"


def test_valid_policy_file_loads(tmp_path: Path) -> None:
    policy = load_policy(str(write_policy(tmp_path, VALID_POLICY)))

    rules = policy.resolved_rules()

    assert [rule.rule_number for rule in rules] == [1, 2, 3, 4]
    assert rules[0].parameters == {"date": dt.date(2016, 11, 9)}
    assert rules[0].parameters_json() == '{"date": "2016-11-09"}'
    assert rules[1].parameters_json() == '{"years": 50}'
    assert rules[1].reason_template == "50 years or older"
    assert rules[1].grants_relief is True
    assert rules[2].parameters_json() == '{"sections": ["11357"]}'
    assert rules[3].grants_relief is False


def test_unknown_built_in_name_rejected() -> None:
    with pytest.raises(PolicyError, match="policy 'no-such-policy': no such built-in policy"):
        load_policy("no-such-policy")


def test_missing_policy_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="missing.yaml: not found"):
        load_policy(str(tmp_path / "missing.yaml"))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            with_rule_change(2, predicate="older_than"),
            "rule 2 (old_enough): field 'predicate': unknown predicate 'older_than'",
        ),
        (
            with_rule_change(2, parameters=None),
            "rule 2 (old_enough): field 'parameters.years': missing",
        ),
        (
            with_rule_change(2, parameters={"years": "$age", "months": 3}),
            "rule 2 (old_enough): field 'parameters': predicate 'age_at_least_on_compute_date' "
            "takes no parameter 'months'",
        ),
        (
            with_rule_change(2, parameters={"years": "fifty"}),
            "rule 2 (old_enough): field 'parameters.years': must be an integer, got 'fifty'",
        ),
        (
            with_rule_change(1, parameters={"date": "9 Nov 2016"}),
            "rule 1 (after_effective_date): field 'parameters.date': must be a date written YYYY-MM-DD",
        ),
        (
            with_rule_change(2, parameters={"years": "$sections"}),
            "rule 2 (old_enough): field 'parameters.years': must be of type integer, but "
            "parameter 'sections' is of type section_list",
        ),
        (
            with_rule_change(2, parameters={"years": "$missing"}),
            "rule 2 (old_enough): field 'parameters.years': '$missing' names no parameter",
        ),
        (
            with_rule_change(3, determination="Eligible"),
            "rule 3 (listed): field 'determination': unknown determination 'Eligible'",
        ),
        (
            with_rule_change(2, reason="{years} years or older"),
            "rule 2 (old_enough): field 'reason': placeholder {years} is neither a parameter",
        ),
        (
            with_rule_change(3, enabled_when="sections"),
            "rule 3 (listed): field 'enabled_when': must be a parameter reference",
        ),
        (
            with_rule_change(4, predicate="not_felony"),
            "rule 4 (otherwise): field 'predicate': the last rule must use predicate 'always'",
        ),
        (
            with_rule_change(4, enabled_when="$sections"),
            "rule 4 (otherwise): field 'predicate': the last rule must use predicate 'always'",
        ),
        (
            with_rule_change(2, predicate="always", parameters=None),
            "rule 2 (old_enough): field 'predicate': 'always' may only be the last rule",
        ),
        (
            with_rule_change(2, all=[{"predicate": "not_felony"}], predicate=None, parameters=None),
            "rule 2 (old_enough): field 'all': must be a list of at least two conditions",
        ),
        (
            with_rule_change(
                2,
                all=[{"predicate": "not_felony"}, {"predicate": "older_than"}],
                predicate=None,
                parameters=None,
            ),
            "rule 2 (old_enough): field 'all[2].predicate': unknown predicate 'older_than'",
        ),
        (
            with_rule_change(
                2,
                all=[
                    {"predicate": "not_felony"},
                    {"predicate": "prior_on_list", "parameters": {"lists": ["super_strike"]}},
                ],
                predicate=None,
                parameters=None,
            ),
            "rule 2 (old_enough): field 'all[2].parameters.compare': missing",
        ),
        (
            with_rule_change(
                2,
                all=[
                    {"predicate": "not_felony"},
                    {
                        "predicate": "prior_on_list",
                        "parameters": {"lists": ["super_strikes"], "compare": "conduct"},
                    },
                ],
                predicate=None,
                parameters=None,
            ),
            "rule 2 (old_enough): field 'all[2].parameters.lists': must be one of super_strike",
        ),
        (
            with_rule_change(2, all=[{"predicate": "not_felony"}, {"predicate": "deceased"}]),
            "rule 2 (old_enough): field 'predicate': give either predicate",
        ),
        (
            with_rule_change(2, predicate="offense_in", parameters={"offenses": ["11357B"]}),
            "rule 2 (old_enough): field 'parameters.offenses': must list offenses as a Prop 64 "
            "section",
        ),
        (
            with_rule_change(
                2,
                predicate="prior_same_section_convictions",
                parameters={"count": 2, "count_by": "case", "compare": "conduct"},
            ),
            "rule 2 (old_enough): field 'parameters.count_by': must be one of conviction, cycle, "
            "got 'case'",
        ),
        (
            with_rule_change(3, note="Also {plants} plants"),
            "rule 3 (listed): field 'note': placeholder {plants} is neither a parameter",
        ),
        (with_rule_change(3, id="old_enough"), "rule 3 (old_enough): field 'id': used twice"),
        (with_rule_change(3, id="Listed Rule"), "rule 3: field 'id': must be lower-case letters"),
        (with_rule_change(3, reason=None), "rule 3: field 'reason': missing"),
        (with_rule_change(3, notes="x"), "rule 3: unknown field 'notes'"),
        (
            {**VALID_POLICY, "scope": "everything"},
            "field 'scope': must be one of prop64, prop64_and_related",
        ),
        ({**VALID_POLICY, "rules": []}, "field 'rules': must be a non-empty list"),
        ({**VALID_POLICY, "version": 2}, "unknown field 'version'"),
        (
            {**VALID_POLICY, "parameters": {"age": {"type": "number", "default": 1}}},
            "parameter 'age': field 'type': must be one of boolean, integer, date, section_list",
        ),
        (
            {**VALID_POLICY, "parameters": {"age": {"type": "integer", "default": 30, "min": 40}}},
            "parameter 'age': field 'default': must be an integer of at least 40, got 30",
        ),
        (
            {**VALID_POLICY, "parameters": {"age": {"type": "boolean", "default": "yes"}}},
            "parameter 'age': field 'default': must be true or false, got 'yes'",
        ),
    ],
)
def test_invalid_policy_file_rejected(
    tmp_path: Path, document: dict[str, Any], message: str
) -> None:
    path = write_policy(tmp_path, document)

    with pytest.raises(PolicyError) as raised:
        load_policy(str(path))

    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_file_that_is_not_yaml_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("rules: [unclosed", encoding="utf-8")

    with pytest.raises(PolicyError, match="broken.yaml: not valid YAML"):
        load_policy(str(path))


def test_all_conditions_reach_dbt_as_json() -> None:
    rules = load_policy("legal-default").resolved_rules()

    assert rules[1].rule_id == "prior_super_strike"
    assert rules[1].predicate == "all"
    assert rules[1].parameters_json() == (
        '{"conditions": [{"parameters": {"offenses": ["11358 felony", "11359 felony", '
        '"11360 felony"]}, "predicate": "offense_in"}, {"parameters": {"compare": "conduct", '
        '"lists": ["super_strike"]}, "predicate": "prior_on_list"}]}'
    )


def test_la_pilot_parameters_fill_rule_and_reason() -> None:
    policy = load_policy("la-pilot-2019").with_overrides(["age_threshold=55"])

    rule = next(rule for rule in policy.resolved_rules() if rule.rule_id == "age_threshold")

    assert rule.rule_number == 8
    assert rule.parameters == {"years": 55}
    assert rule.reason_template == "55 years or older"


def test_note_reaches_dbt_in_parameters() -> None:
    rules = load_policy("legal-default").resolved_rules()

    reduction = rules[7]

    assert reduction.rule_id == "now_misdemeanor"
    assert reduction.note_template is not None
    assert reduction.note_template.startswith("A fact outside the record could make")
    assert '"note": "A fact outside the record could make' in reduction.parameters_json()
    assert rules[5].note_template is None
