"""Agreement between a finished run's determinations and the answer key of its generated input.

Each Prop 64 conviction of the key (county, SUBJECT_ID, CNT_ORDER, policy) is matched to the
run's `marts.fct_conviction_outcomes` row of the same policy through the run's pseudonymous
subject key. A conviction agrees when both the determination and the reason match. The report
names people only by subject key: the key's subject ids stay in the restricted warehouse and the
key file.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from clearance.owner_only import write_text_owner_only
from clearance.review.answer_key import AnswerKey, load_answer_key
from clearance.review.warehouse import connect_read_only

logger = logging.getLogger(__name__)

REPORT_NAME = "answer-key-agreement.txt"
FIGURES_NAME = "answer-key-agreement.json"
DIFFERENCES_NAME = "answer-key-differences.csv"
OUTPUT_NAMES = (REPORT_NAME, FIGURES_NAME, DIFFERENCES_NAME)
LISTED_DIFFERENCES = 20
_FILE_MODE = 0o600

# One row per conviction on either side, per policy that both the run and the key decide.
# `comparison` is `agreed`, `disagreed`, `key only` (the run has no such Prop 64 conviction in
# the county, or no such subject) or `pipeline only` (the key does not list it).
_COMPARISON = """
create or replace temp table answer_key_comparison as
with

run_policies as (
    select policy_name, policy_order, from marts.fct_county_impact
),

key_rows as (
    select answer_key.*, run_policies.policy_order,
    from answer_key
    inner join run_policies on answer_key.policy_name = run_policies.policy_name
    where answer_key.county = $county
),

keyed_rows as (
    select key_rows.*, subject_keys.subject_key,
    from key_rows
    left join staging.stg_clearance__subject_keys as subject_keys
        on key_rows.subject_id = subject_keys.subject_id
),

outcomes as (
    select
        outcomes.policy_name,
        outcomes.policy_order,
        outcomes.subject_key,
        outcomes.cnt_order,
        outcomes.determination,
        outcomes.reason,
        outcomes.rule_number,
        outcomes.rule_id,
    from marts.fct_conviction_outcomes as outcomes
    where outcomes.policy_name in (select distinct policy_name from key_rows)
),

final as (
    select
        coalesce(keyed_rows.policy_name, outcomes.policy_name) as policy_name,
        coalesce(keyed_rows.policy_order, outcomes.policy_order) as policy_order,
        coalesce(keyed_rows.subject_key, outcomes.subject_key) as subject_key,
        coalesce(keyed_rows.cnt_order, outcomes.cnt_order) as cnt_order,
        keyed_rows.line_number as key_line,
        keyed_rows.scenario,
        keyed_rows.determination as expected_determination,
        keyed_rows.reason as expected_reason,
        outcomes.determination as actual_determination,
        outcomes.reason as actual_reason,
        outcomes.rule_number,
        outcomes.rule_id,
        case
            when keyed_rows.line_number is null then 'pipeline only'
            when outcomes.policy_name is null then 'key only'
            when keyed_rows.determination = outcomes.determination
                and keyed_rows.reason = outcomes.reason then 'agreed'
            else 'disagreed'
        end as comparison,
    from keyed_rows
    full outer join outcomes
        on keyed_rows.policy_name = outcomes.policy_name
        and keyed_rows.subject_key = outcomes.subject_key
        and keyed_rows.cnt_order = outcomes.cnt_order
)

select * from final
"""

_TOTALS = """
select
    policy_name,
    count(*) as convictions,
    count(*) filter (comparison = 'agreed') as agreed,
    count(*) filter (comparison = 'disagreed') as disagreed,
    count(*) filter (comparison = 'disagreed' and expected_determination = actual_determination)
        as same_determination_other_reason,
    count(*) filter (comparison = 'key only') as key_only,
    count(*) filter (comparison = 'pipeline only') as pipeline_only,
from answer_key_comparison
group by policy_name, policy_order
order by policy_order
"""

_CONFUSION = """
select policy_name, expected_determination, actual_determination, count(*) as convictions,
from answer_key_comparison
where comparison in ('agreed', 'disagreed')
group by all
order by policy_name, expected_determination, actual_determination
"""

_REASONS = """
select
    policy_name,
    expected_determination,
    expected_reason,
    count(*) as convictions,
    count(*) filter (comparison = 'agreed') as agreed,
from answer_key_comparison
where comparison <> 'pipeline only'
group by all
order by policy_name, convictions desc, expected_determination, expected_reason
"""

# Every difference in a stable order: the run's policy order, then disagreements, then the key's
# extra rows in key-file order, then the run's extra rows.
_DIFFERENCES = """
select
    policy_name, comparison, subject_key, cnt_order, key_line, scenario,
    expected_determination, expected_reason, actual_determination, actual_reason,
    rule_number, rule_id,
from answer_key_comparison
where comparison <> 'agreed'
order by
    policy_order,
    case comparison when 'disagreed' then 1 when 'key only' then 2 else 3 end,
    key_line,
    subject_key,
    cnt_order
"""


@dataclass
class PolicyAgreement:
    """The figures of one policy that both the run and the key decide."""

    policy: str
    convictions: int
    agreed: int
    disagreed: int
    same_determination_other_reason: int
    key_only: int
    pipeline_only: int
    # (expected determination, actual determination, convictions) over both sides' convictions.
    confusion: list[tuple[str, str, int]] = field(default_factory=list)
    # (expected determination, expected reason, convictions, agreed) over the key's rows.
    reasons: list[tuple[str, str, int, int]] = field(default_factory=list)
    # The first differences: dicts with the columns of the differences CSV.
    differences: list[dict] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.agreed / self.convictions if self.convictions else 1.0


@dataclass
class AgreementReport:
    """A run's agreement with its answer key, per policy that both decide."""

    key_path: str
    county: str
    compute_date: str
    policies: list[PolicyAgreement]
    key_policies_not_run: list[str]
    run_policies_not_in_key: list[str]

    @property
    def complete(self) -> bool:
        """Every compared conviction agrees and none is on one side only."""
        return bool(self.policies) and all(p.agreed == p.convictions for p in self.policies)


def compare_run_with_key(warehouse: Path, key: AnswerKey, out_dir: Path) -> AgreementReport:
    """Compare the last run's determinations with the key and write the report into out_dir.

    Writes the full text report, its figures as JSON and every difference as CSV, each readable
    by the owner only. The warehouse is opened read-only.
    """
    with connect_read_only(warehouse) as con:
        load_answer_key(con, key.path)
        con.execute(_COMPARISON, {"county": key.county})
        report = _build_report(con, key)
        differences_path = out_dir / DIFFERENCES_NAME
        _create_owner_only(differences_path)
        con.execute(
            f"copy ({_DIFFERENCES}) to '{_sql_text(differences_path)}' (header, delimiter ',')"
        )
        # DuckDB may create the file anew with the process umask.
        os.chmod(differences_path, _FILE_MODE)
    write_text_owner_only(out_dir / REPORT_NAME, format_report(report) + "\n")
    figures = asdict(report) | {"complete": report.complete}
    write_text_owner_only(out_dir / FIGURES_NAME, json.dumps(figures, indent=2, default=str) + "\n")
    logger.info("Wrote the answer key agreement report to %s", out_dir)
    return report


def remove_stale_outputs(out_dir: Path) -> None:
    """Delete an earlier run's agreement files, so a run without a key leaves none behind."""
    for name in OUTPUT_NAMES:
        (out_dir / name).unlink(missing_ok=True)


def _build_report(con: duckdb.DuckDBPyConnection, key: AnswerKey) -> AgreementReport:
    run_policies = [
        name
        for (name,) in con.execute(
            "select policy_name from marts.fct_county_impact order by policy_order"
        ).fetchall()
    ]
    policies = {row[0]: PolicyAgreement(*row) for row in con.execute(_TOTALS).fetchall()}
    for name, expected, actual, count in con.execute(_CONFUSION).fetchall():
        policies[name].confusion.append((expected, actual, count))
    for name, expected, reason, count, agreed in con.execute(_REASONS).fetchall():
        policies[name].reasons.append((expected, reason, count, agreed))
    cursor = con.execute(
        f"""
        select * from ({_DIFFERENCES})
        qualify row_number() over (partition by policy_name) <= {LISTED_DIFFERENCES}
        """
    )
    names = [column[0] for column in cursor.description]
    for row in cursor.fetchall():
        difference = dict(zip(names, row, strict=True))
        policies[difference["policy_name"]].differences.append(difference)
    return AgreementReport(
        key_path=str(key.path),
        county=key.county,
        compute_date=key.compute_date.isoformat(),
        policies=[policies[name] for name in run_policies if name in policies],
        key_policies_not_run=[name for name in key.policies if name not in run_policies],
        run_policies_not_in_key=[name for name in run_policies if name not in key.policies],
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def format_short(report: AgreementReport, out_dir: Path) -> str:
    """Return the lines printed after the run summary: one per policy, then the verdict."""
    lines = [f"Answer key:                 {report.key_path}"]
    for policy in report.policies:
        lines.append(
            f"  {policy.policy + ':':<26} {policy.agreed} of {policy.convictions} agree "
            f"({_percent(policy.agreed, policy.convictions)}); {policy.disagreed} differ, "
            f"{policy.key_only} only in the key, {policy.pipeline_only} only in the run"
        )
    if not report.policies:
        lines.append("  no policy of the run is in the key; nothing was compared")
    if report.complete:
        verdict = "100%: every conviction of the key agrees"
    else:
        verdict = f"not 100%; see {out_dir / REPORT_NAME}"
    lines.append(f"Answer key agreement:       {verdict}")
    return "\n".join(lines)


def format_report(report: AgreementReport) -> str:
    """Return the full text report: per policy, totals, confusion table, reasons, differences."""
    lines = [
        f"Answer key {report.key_path}",
        f"County {report.county}, compute date {report.compute_date}",
        "A conviction agrees when its determination and its reason both match the key.",
        "",
    ]
    if report.key_policies_not_run:
        lines.append(
            f"Key policies the run did not decide: {', '.join(report.key_policies_not_run)}"
        )
    if report.run_policies_not_in_key:
        lines.append(
            f"Run policies the key does not list: {', '.join(report.run_policies_not_in_key)}"
        )
    verdict = "100%" if report.complete else "NOT 100%"
    lines.append(f"Agreement: {verdict}")
    for policy in report.policies:
        lines += ["", *_format_policy(policy)]
    return "\n".join(lines)


def _format_policy(policy: PolicyAgreement) -> list[str]:
    lines = [
        f"== {policy.policy}",
        f"Convictions in the key or the run: {policy.convictions}",
        f"  agreed:        {policy.agreed} ({_percent(policy.agreed, policy.convictions)})",
        f"  disagreed:     {policy.disagreed} "
        f"({policy.same_determination_other_reason} with the same determination, another reason)",
        f"  only in key:   {policy.key_only}",
        f"  only in run:   {policy.pipeline_only}",
        "",
        "Expected determination -> actual determination (convictions on both sides):",
    ]
    for expected, actual, count in policy.confusion:
        marker = "" if expected == actual else "   <- differs"
        lines.append(f"  {count:>8}  {expected} -> {actual}{marker}")
    lines += ["", "Agreed of the key's convictions, per expected reason:"]
    for expected, reason, count, agreed in policy.reasons:
        lines.append(f"  {agreed:>8} of {count:<8} {expected}: {reason}")
    if policy.differences:
        shown = len(policy.differences)
        total = policy.disagreed + policy.key_only + policy.pipeline_only
        lines += ["", f"First {shown} of {total} differences (all in {DIFFERENCES_NAME}):"]
    for difference in policy.differences:
        lines.append(_format_difference(difference))
    return lines


def _format_difference(difference: dict) -> str:
    subject = difference["subject_key"] or f"not in the run (key line {difference['key_line']})"
    expected = (
        f"{difference['expected_determination']}: {difference['expected_reason']}"
        if difference["expected_determination"]
        else "(not in the key)"
    )
    actual = (
        f"{difference['actual_determination']}: {difference['actual_reason']} "
        f"(rule {difference['rule_number']} {difference['rule_id']})"
        if difference["actual_determination"]
        else "(not decided by the run)"
    )
    scenario = f" [{difference['scenario']}]" if difference["scenario"] else ""
    return (
        f"  {difference['comparison']}: subject {subject} count {difference['cnt_order']}{scenario}\n"
        f"      expected {expected}\n"
        f"      actual   {actual}"
    )


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _create_owner_only(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
    os.close(descriptor)
