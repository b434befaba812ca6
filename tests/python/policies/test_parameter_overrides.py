"""`--param NAME=VALUE` overrides: read as the declared type, rejected with file and parameter."""

from __future__ import annotations

import datetime as dt

import pytest

from clearance.policies import PolicyError, load_policy
from clearance.policies.parameters import ParameterSpec


def test_effective_date_check_off_drops_rule() -> None:
    policy = load_policy("configurable").with_overrides(["effective_date_check=false"])

    rule_ids = [rule.rule_id for rule in policy.resolved_rules()]

    assert policy.values["effective_date_check"] is False
    assert rule_ids == ["not_felony", "no_relief"]


@pytest.mark.parametrize(
    ("assignment", "name", "value"),
    [
        ("effective_date_check=no", "effective_date_check", False),
        ("subject_is_deceased=TRUE", "subject_is_deceased", True),
        ("subject_age_threshold=65", "subject_age_threshold", 65),
        ("subject_age_threshold=0", "subject_age_threshold", 0),
        ("dismiss_sections=11357,11358", "dismiss_sections", ("11357", "11358")),
        ("dismiss_sections=", "dismiss_sections", ()),
        (" years_crime_free_threshold = 3 ", "years_crime_free_threshold", 3),
    ],
)
def test_override_read_as_declared_type(assignment: str, name: str, value: object) -> None:
    policy = load_policy("configurable").with_overrides([assignment])

    assert policy.values[name] == value


def test_overrides_fill_reason_and_parameters() -> None:
    policy = load_policy("configurable").with_overrides(
        ["subject_age_threshold=45", "reduce_sections=11359"]
    )

    rules = {rule.rule_id: rule for rule in policy.resolved_rules()}

    assert rules["age_threshold"].reason_template == "45 years or older"
    assert rules["age_threshold"].parameters_json() == '{"years": 45}'
    assert rules["reduce_section"].parameters_json() == '{"sections": ["11359"]}'


def test_date_parameter_read_from_text() -> None:
    spec = ParameterSpec("cutoff", "date", dt.date(2016, 11, 9))

    assert spec.parse("2016-11-09") == dt.date(2016, 11, 9)
    with pytest.raises(ValueError, match="must be a date written YYYY-MM-DD, got '11/09/2016'"):
        spec.parse("11/09/2016")


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("age=50", "--param 'age': unknown parameter of policy 'configurable'"),
        ("effective_date_check", "--param 'effective_date_check': write it as NAME=VALUE"),
        ("=true", "--param '=true': write it as NAME=VALUE"),
        (
            "effective_date_check=maybe",
            "--param 'effective_date_check': must be true or false, got 'maybe'",
        ),
        (
            "subject_age_threshold=fifty",
            "--param 'subject_age_threshold': must be an integer, got 'fifty'",
        ),
        (
            "subject_age_threshold=30",
            "--param 'subject_age_threshold': must be 0 or an integer from 40 to 65, got 30",
        ),
        (
            "years_since_conviction_threshold=16",
            "--param 'years_since_conviction_threshold': must be 0 or an integer from 1 to 15, got 16",
        ),
        (
            "dismiss_sections=11350",
            "--param 'dismiss_sections': lists '11350', which is not one of",
        ),
        ("dismiss_sections=11357,11357", "--param 'dismiss_sections': lists '11357' twice"),
    ],
)
def test_invalid_override_rejected(assignment: str, message: str) -> None:
    policy = load_policy("configurable")

    with pytest.raises(PolicyError) as raised:
        policy.with_overrides([assignment])

    assert str(raised.value).startswith(f"{policy.source}: ")
    assert message in str(raised.value)
