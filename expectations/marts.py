"""Marts suite: determinations complete and within the run's vocabulary, counts that reconcile.

Frames:
- `policies`: one row per policy of the run, with its determinations counted against the
  Prop 64 convictions in the county and its impact measures (`fct_county_impact`). Columns
  named `*_difference` are absolute differences or counts of mismatches and must be 0;
  columns named `*_margin` must not be negative.
- `determinations`: one row per policy and determination, with its convictions.
- `lines`: one row per file of the run, with its lines read, loaded, quarantined and staged.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from clearance.policies.vocabulary import DETERMINATIONS
from expectations.runner import SuiteInput, SuiteRun, read_frame

# The determination a rule that withholds relief gives when its fact is missing, and the start
# of its reason (int_policy_decisions).
MISSING_FACT_DETERMINATION = "Hand Review"
MISSING_FACT_REASON_PREFIX = "Missing fact: "

POLICIES_SQL = f"""
with

policies as (
    select * from intermediate.int_run_policies
),

policy_rules as (
    select * from staging.stg_clearance__policy_rules
),

outcomes as (
    select * from marts.fct_conviction_outcomes
),

impact as (
    select * from marts.fct_county_impact
),

county_convictions as (
    select count(*) as prop64_convictions,
    from intermediate.int_convictions as convictions
    where convictions.is_prop64 and convictions.is_in_run_county
),

-- An outcome is within the run's vocabulary when its deciding rule is a rule of its policy
-- and it carries that rule's determination and reason, or the missing-fact determination.
outcome_words as (
    select
        outcomes.policy_name,
        outcomes.subject_key,
        outcomes.cnt_order,
        policy_rules.rule_number is not null
            and (
                outcomes.determination = policy_rules.determination
                or (
                    outcomes.determination = '{MISSING_FACT_DETERMINATION}'
                    and starts_with(outcomes.reason, '{MISSING_FACT_REASON_PREFIX}')
                )
            ) as has_run_determination,
        policy_rules.rule_number is not null
            and (
                outcomes.reason
                    = replace(policy_rules.reason_template, '{{section}}', coalesce(outcomes.section, ''))
                or starts_with(outcomes.reason, '{MISSING_FACT_REASON_PREFIX}')
            ) as has_run_reason,
    from outcomes
    left join policy_rules
        on outcomes.policy_name = policy_rules.policy_name
        and outcomes.rule_number = policy_rules.rule_number
),

outcome_counts as (
    select
        outcome_words.policy_name,
        count(*) as outcome_rows,
        count(distinct (outcome_words.subject_key, outcome_words.cnt_order)) as outcome_convictions,
        count_if(not outcome_words.has_run_determination) as determinations_outside_run_vocabulary,
        count_if(not outcome_words.has_run_reason) as reasons_outside_run_vocabulary,
    from outcome_words
    group by outcome_words.policy_name
)

select
    policies.policy_name,
    policies.policy_role,
    county_convictions.prop64_convictions as county_prop64_convictions,
    coalesce(outcome_counts.outcome_convictions, 0) as outcome_convictions,
    abs(coalesce(outcome_counts.outcome_convictions, 0) - county_convictions.prop64_convictions)
        as determined_convictions_difference,
    coalesce(outcome_counts.outcome_rows, 0) - coalesce(outcome_counts.outcome_convictions, 0)
        as repeated_determinations_difference,
    coalesce(outcome_counts.determinations_outside_run_vocabulary, 0)
        as determinations_outside_run_vocabulary,
    coalesce(outcome_counts.reasons_outside_run_vocabulary, 0) as reasons_outside_run_vocabulary,
    impact.prop64_convictions as impact_prop64_convictions,
    impact.eligible_convictions,
    abs(impact.prop64_convictions - county_convictions.prop64_convictions)
        as impact_convictions_difference,
    abs(impact.dismissal_convictions + impact.reduction_convictions - impact.eligible_convictions)
        as eligible_convictions_difference,
    abs(
        impact.dismissal_convictions + impact.reduction_convictions + impact.not_eligible_convictions
        + impact.hand_review_convictions + impact.maybe_eligible_convictions
        + impact.city_attorney_review_convictions - impact.prop64_convictions
    ) as determination_counts_difference,
    impact.subjects_with_prop64_conviction,
    impact.subjects_with_some_relief,
    impact.subjects_with_no_conviction_left,
    impact.subjects_with_no_felony_left,
    impact.subjects_with_some_relief - impact.subjects_with_no_conviction_left
        as no_conviction_left_margin,
    impact.subjects_with_some_relief - impact.subjects_with_no_felony_left
        as no_felony_left_margin,
    impact.subjects_with_prop64_conviction - impact.subjects_with_some_relief
        as some_relief_margin,
    impact.eligible_convictions - impact.subjects_with_some_relief
        + impact.dismissed_related_charge_convictions as relief_subjects_margin,
from policies
cross join county_convictions
left join outcome_counts on policies.policy_name = outcome_counts.policy_name
left join impact on policies.policy_name = impact.policy_name
order by policies.policy_order
"""

DETERMINATIONS_SQL = """
select
    outcomes.policy_name,
    outcomes.determination,
    count(*) as convictions,
from marts.fct_conviction_outcomes as outcomes
group by all
order by all
"""

LINES_SQL = """
with

run_files as (
    select run_files.load_id, run_files.file_order
    from raw.run_files as run_files
    inner join raw.current_run as current_run on run_files.run_id = current_run.run_id
),

staged_rows as (
    select doj_rows.load_id, count(*) as lines_staged,
    from staging.stg_doj__rows as doj_rows
    group by doj_rows.load_id
)

select
    run_files.file_order,
    doj_files.lines_read,
    doj_files.lines_loaded,
    doj_files.lines_quarantined,
    coalesce(staged_rows.lines_staged, 0) as lines_staged,
    abs(doj_files.lines_loaded + doj_files.lines_quarantined - doj_files.lines_read)
        as read_lines_difference,
    abs(coalesce(staged_rows.lines_staged, 0) - doj_files.lines_loaded) as staged_lines_difference,
from run_files
inner join raw.doj_files as doj_files on run_files.load_id = doj_files.load_id
left join staged_rows on run_files.load_id = staged_rows.load_id
order by run_files.file_order
"""

_POLICY_DIFFERENCES = {
    "determined_convictions_difference": (
        "every Prop 64 conviction in the county has a determination under every policy"
    ),
    "repeated_determinations_difference": "one determination per conviction and policy",
    "determinations_outside_run_vocabulary": (
        "determinations are those of the deciding rules of the run's policies"
    ),
    "reasons_outside_run_vocabulary": (
        "reasons are those of the deciding rules of the run's policies"
    ),
    "impact_convictions_difference": (
        "Prop 64 convictions of the impact equal those of the county, counted once"
    ),
    "eligible_convictions_difference": "eligible convictions are dismissals plus reductions",
    "determination_counts_difference": (
        "the determination counts of the impact add up to its Prop 64 convictions"
    ),
}
_POLICY_MARGINS = {
    "no_conviction_left_margin": (
        "subjects left with no conviction never exceed subjects with some relief"
    ),
    "no_felony_left_margin": "subjects left with no felony never exceed subjects with some relief",
    "some_relief_margin": (
        "subjects with some relief never exceed subjects with a Prop 64 conviction"
    ),
    "relief_subjects_margin": (
        "subjects with some relief never exceed the convictions that were given relief"
    ),
}


def collect(con, run: SuiteRun) -> SuiteInput:
    """Read the per-policy, per-determination and per-file counts and the suite's expectations."""
    frames = {
        "policies": read_frame(con, POLICIES_SQL, {}),
        "determinations": read_frame(con, DETERMINATIONS_SQL, {}),
        "lines": read_frame(con, LINES_SQL, {}),
    }
    policy_expectations = [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=1, description="the run decided at least one policy"
        )
    ]
    policy_expectations += [
        gxe.ExpectColumnMaxToBeBetween(column=column, max_value=0, description=text)
        for column, text in _POLICY_DIFFERENCES.items()
    ]
    policy_expectations += [
        gxe.ExpectColumnMinToBeBetween(column=column, min_value=0, description=text)
        for column, text in _POLICY_MARGINS.items()
    ]
    expectations = {
        "policies": policy_expectations,
        "determinations": [
            gxe.ExpectColumnValuesToBeInSet(
                column="determination",
                value_set=list(DETERMINATIONS),
                description="determinations within the export vocabulary",
            ),
        ],
        "lines": [
            gxe.ExpectColumnMaxToBeBetween(
                column="read_lines_difference",
                max_value=0,
                description="lines loaded plus lines quarantined equal lines read, per file",
            ),
            gxe.ExpectColumnMaxToBeBetween(
                column="staged_lines_difference",
                max_value=0,
                description="every loaded line is one staged row, per file",
            ),
        ],
    }
    return SuiteInput(frames=frames, expectations=expectations)
