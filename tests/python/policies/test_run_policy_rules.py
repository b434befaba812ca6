"""Writing a run's policies: the county policy first, then always the two hypotheticals."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from clearance.loading.raw_schema import create_raw_schema
from clearance.policies import load_policy, write_run_policy_rules
from clearance.policies.run_rules import run_policies


def test_run_rules_written_for_county_and_hypotheticals(tmp_path: Path) -> None:
    policy = load_policy("configurable").with_overrides(
        ["dismiss_sections=11357", "subject_age_threshold=50"]
    )
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        create_raw_schema(con)

        written = write_run_policy_rules(con, "run-1", policy)
        rows = con.execute(
            """
            select policy_name, policy_role, policy_order, policy_scope, rule_number, rule_id,
                predicate, parameters, determination, reason_template, grants_relief
            from raw.run_policy_rules
            where run_id = 'run-1'
            order by policy_order, rule_number
            """
        ).fetchall()

    assert written == 7
    assert rows == [
        (
            "configurable",
            "county",
            1,
            "prop64",
            1,
            "effective_date",
            "conduct_on_or_after",
            '{"date": "2016-11-09"}',
            "Not eligible",
            "Occurred after 11/09/2016",
            False,
        ),
        (
            "configurable",
            "county",
            1,
            "prop64",
            2,
            "not_felony",
            "not_felony",
            "{}",
            "Eligible for Dismissal",
            "Misdemeanor or Infraction",
            True,
        ),
        (
            "configurable",
            "county",
            1,
            "prop64",
            3,
            "dismiss_section",
            "section_in",
            '{"sections": ["11357"]}',
            "Eligible for Dismissal",
            "Dismiss all HS {section} convictions",
            True,
        ),
        (
            "configurable",
            "county",
            1,
            "prop64",
            4,
            "age_threshold",
            "age_at_least_on_compute_date",
            '{"years": 50}',
            "Eligible for Dismissal",
            "50 years or older",
            True,
        ),
        (
            "configurable",
            "county",
            1,
            "prop64",
            5,
            "no_relief",
            "always",
            "{}",
            "Not eligible",
            "No applicable relief option",
            False,
        ),
        (
            "dismiss-all-prop64",
            "hypothetical",
            2,
            "prop64",
            1,
            "dismiss_all",
            "always",
            "{}",
            "Eligible for Dismissal",
            "Dismiss all Prop 64 charges",
            True,
        ),
        (
            "dismiss-all-prop64-and-related",
            "hypothetical",
            3,
            "prop64_and_related",
            1,
            "dismiss_all",
            "always",
            "{}",
            "Eligible for Dismissal",
            "Dismiss all Prop 64 and related charges",
            True,
        ),
    ]


def test_rewriting_run_rules_replaces_them(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        create_raw_schema(con)
        write_run_policy_rules(con, "run-1", load_policy("configurable"))
        write_run_policy_rules(con, "run-1", load_policy("configurable"))
        write_run_policy_rules(con, "run-2", load_policy("configurable"))

        counts = con.execute(
            "select run_id, count(*) from raw.run_policy_rules group by run_id order by run_id"
        ).fetchall()

    assert counts == [("run-1", 5), ("run-2", 5)]


def test_hypothetical_as_county_policy_written_once(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        create_raw_schema(con)
        write_run_policy_rules(con, "run-1", load_policy("dismiss-all-prop64"))

        policies = con.execute(
            "select policy_name, policy_role, policy_order from raw.run_policy_rules order by policy_order"
        ).fetchall()

    assert policies == [
        ("dismiss-all-prop64", "county", 1),
        ("dismiss-all-prop64-and-related", "hypothetical", 2),
    ]


def test_parameters_json_records_every_value() -> None:
    policy = load_policy("configurable").with_overrides(["effective_date_check=false"])

    recorded = json.loads(policy.parameters_json())

    assert recorded["effective_date_check"] is False
    assert recorded["dismiss_sections"] == []
    assert recorded["subject_age_threshold"] == 0


def test_other_policies_follow_the_hypotheticals_once() -> None:
    county = load_policy("sf-2019")
    others = [
        load_policy("legal-default"),
        load_policy("dismiss-all-prop64"),
        load_policy("sf-2019"),
    ]

    policies = run_policies(county, others)

    assert [(policy.name, role) for policy, role in policies] == [
        ("sf-2019", "county"),
        ("dismiss-all-prop64", "hypothetical"),
        ("dismiss-all-prop64-and-related", "hypothetical"),
        ("legal-default", "hypothetical"),
    ]
