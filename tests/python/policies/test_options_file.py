"""The statewide options file: accepted unchanged, every bad key, type or range rejected by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.policies import PolicyError, policy_from_options

STATEWIDE_OPTIONS = {
    "baselineEligibility": {"dismiss": ["11357", "11358"], "reduce": ["11359", "11360"]},
    "additionalRelief": {
        "subjectUnder21AtConviction": True,
        "subjectAgeThreshold": 50,
        "yearsSinceConvictionThreshold": 10,
        "yearsCrimeFreeThreshold": 0,
        "subjectHasOnlyProp64Charges": True,
        "subjectIsDeceased": True,
    },
}


def write_options(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "options.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_statewide_options_set_configurable_parameters(tmp_path: Path) -> None:
    policy = policy_from_options(write_options(tmp_path, STATEWIDE_OPTIONS))

    assert policy.name == "configurable"
    assert policy.values == {
        "effective_date_check": True,
        "dismiss_sections": ("11357", "11358"),
        "reduce_sections": ("11359", "11360"),
        "subject_under_21_at_conviction": True,
        "subject_age_threshold": 50,
        "years_since_conviction_threshold": 10,
        "years_crime_free_threshold": 0,
        "subject_has_only_prop64_charges": True,
        "subject_is_deceased": True,
    }


def test_statewide_options_give_rules_in_order(tmp_path: Path) -> None:
    policy = policy_from_options(write_options(tmp_path, STATEWIDE_OPTIONS))

    rules = [(rule.rule_id, rule.reason_template) for rule in policy.resolved_rules()]

    # yearsCrimeFreeThreshold 0 turns its rule off, so it is left out.
    assert rules == [
        ("effective_date", "Occurred after 11/09/2016"),
        ("not_felony", "Misdemeanor or Infraction"),
        ("dismiss_section", "Dismiss all HS {section} convictions"),
        ("under_21_at_conviction", "21 years or younger"),
        ("age_threshold", "50 years or older"),
        ("years_since_conviction", "Conviction occurred 10 or more years ago"),
        ("only_prop64_charges", "Only has 11357-60 charges"),
        ("deceased", "Individual is deceased"),
        ("reduce_section", "Reduce all HS {section} convictions"),
        ("no_relief", "No applicable relief option"),
    ]


def test_empty_options_leave_every_option_off(tmp_path: Path) -> None:
    policy = policy_from_options(write_options(tmp_path, {}))

    rule_ids = [rule.rule_id for rule in policy.resolved_rules()]

    assert rule_ids == ["effective_date", "not_felony", "no_relief"]


def test_crime_free_threshold_gives_its_rule(tmp_path: Path) -> None:
    document = {"additionalRelief": {"yearsCrimeFreeThreshold": 7}}
    policy = policy_from_options(write_options(tmp_path, document))

    rule = policy.resolved_rules()[2]

    assert rule.rule_id == "years_crime_free"
    assert rule.predicate == "no_conviction_in_last_years"
    assert rule.parameters_json() == '{"years": 7}'
    assert rule.reason_template == "No convictions in the past 7 years"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"extra": 1}, "extra: unknown key"),
        ({"baselineEligibility": {"dismisss": []}}, "baselineEligibility.dismisss: unknown key"),
        ({"additionalRelief": {"subjectAge": 50}}, "additionalRelief.subjectAge: unknown key"),
        ({"baselineEligibility": []}, "baselineEligibility: must be a JSON object"),
        (
            {"baselineEligibility": {"dismiss": "11357"}},
            "baselineEligibility.dismiss: must be a list",
        ),
        (
            {"baselineEligibility": {"dismiss": [11357]}},
            "baselineEligibility.dismiss: 11357 is not a Prop 64 section",
        ),
        (
            {"baselineEligibility": {"reduce": ["11350"]}},
            'baselineEligibility.reduce: "11350" is not a Prop 64 section',
        ),
        ({"baselineEligibility": {"dismiss": ["11357", "11357"]}}, "section 11357 is listed twice"),
        (
            {"baselineEligibility": {"dismiss": ["11359"], "reduce": ["11359"]}},
            "section 11359 is in both dismiss and reduce",
        ),
        (
            {"additionalRelief": {"subjectIsDeceased": 1}},
            "additionalRelief.subjectIsDeceased: must be true or false, got 1",
        ),
        (
            {"additionalRelief": {"subjectAgeThreshold": True}},
            "additionalRelief.subjectAgeThreshold: must be 0 or an integer from 40 to 65 (0 turns it off), got true",
        ),
        (
            {"additionalRelief": {"subjectAgeThreshold": 39}},
            "additionalRelief.subjectAgeThreshold: must be 0 or an integer from 40 to 65 (0 turns it off), got 39",
        ),
        (
            {"additionalRelief": {"subjectAgeThreshold": 66}},
            "additionalRelief.subjectAgeThreshold: must be 0 or an integer from 40 to 65",
        ),
        (
            {"additionalRelief": {"subjectAgeThreshold": 50.0}},
            "additionalRelief.subjectAgeThreshold: must be 0 or an integer from 40 to 65 (0 turns it off), got 50.0",
        ),
        (
            {"additionalRelief": {"yearsSinceConvictionThreshold": 16}},
            "additionalRelief.yearsSinceConvictionThreshold: must be 0 or an integer from 1 to 15",
        ),
        (
            {"additionalRelief": {"yearsCrimeFreeThreshold": -1}},
            "additionalRelief.yearsCrimeFreeThreshold: must be 0 or an integer from 1 to 15",
        ),
        (
            {"additionalRelief": {"yearsCrimeFreeThreshold": "5"}},
            'additionalRelief.yearsCrimeFreeThreshold: must be 0 or an integer from 1 to 15 (0 turns it off), got "5"',
        ),
        ([], "the top level: must be a JSON object"),
    ],
)
def test_invalid_options_rejected_with_key_path(
    tmp_path: Path, document: object, message: str
) -> None:
    path = write_options(tmp_path, document)

    with pytest.raises(PolicyError) as raised:
        policy_from_options(path)

    assert str(raised.value).startswith(f"options file {path}: ")
    assert message in str(raised.value)


def test_boundary_thresholds_accepted(tmp_path: Path) -> None:
    document = {
        "additionalRelief": {
            "subjectAgeThreshold": 40,
            "yearsSinceConvictionThreshold": 15,
            "yearsCrimeFreeThreshold": 1,
        }
    }

    policy = policy_from_options(write_options(tmp_path, document))

    assert policy.values["subject_age_threshold"] == 40
    assert policy.values["years_since_conviction_threshold"] == 15
    assert policy.values["years_crime_free_threshold"] == 1


def test_options_file_not_json_rejected(tmp_path: Path) -> None:
    path = tmp_path / "options.json"
    path.write_text('{"baselineEligibility": ', encoding="utf-8")

    with pytest.raises(PolicyError, match=r"not valid JSON \(line 1, column 25"):
        policy_from_options(path)


def test_missing_options_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="options.json: not found"):
        policy_from_options(tmp_path / "options.json")
