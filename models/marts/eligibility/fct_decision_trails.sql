-- A view: `clearance explain` reads one subject's trail at a time, and as a table it cost every run
-- 1.3-1.6 s on a million-line file with 225,000 Prop 64 convictions (2 cores).
{{ config(materialized='view') }}

with

rule_checks as (
    select * from {{ ref('int_rule_checks') }}
),

policy_decisions as (
    select * from {{ ref('int_policy_decisions') }}
),

-- Every rule up to the deciding one: the ones before it either did not apply or were skipped
-- because a relief rule's fact was missing or uncertain. Rules after it were never reached.
trail_checks as (
    select
        rule_checks.*,
        policy_decisions.subject_key,
        policy_decisions.cnt_order,
        policy_decisions.rule_number as deciding_rule_number,
        policy_decisions.determination as decided_determination,
        policy_decisions.reason as decided_reason,
        policy_decisions.decision_note,
    from rule_checks
    inner join policy_decisions
        on rule_checks.conviction_id = policy_decisions.conviction_id
        and rule_checks.policy_name = policy_decisions.policy_name
    where rule_checks.rule_number <= policy_decisions.rule_number
),

final as (
    select
        trail_checks.policy_name || ':' || trail_checks.subject_key || ':' || trail_checks.cnt_order
            || ':' || trail_checks.rule_number as decision_trail_id,
        trail_checks.policy_name,
        trail_checks.policy_role,
        trail_checks.policy_order,
        trail_checks.subject_key,
        trail_checks.cnt_order,
        trail_checks.rule_number,
        trail_checks.rule_id,
        case
            when trail_checks.rule_number = trail_checks.deciding_rule_number then 'decided'
            when trail_checks.result = 'unknown' then 'skipped'
            else 'did not apply'
        end as step_outcome,
        case
            when trail_checks.rule_number = trail_checks.deciding_rule_number then trail_checks.decided_determination
            else trail_checks.determination
        end as determination,
        case
            when trail_checks.rule_number = trail_checks.deciding_rule_number then trail_checks.decided_reason
            else replace(trail_checks.reason_template, '{section}', coalesce(trail_checks.section, ''))
        end as reason,
        {{ without_date_of_birth('trail_checks.fact') }} as fact,
        trail_checks.missing_fact,
        case when trail_checks.rule_number = trail_checks.deciding_rule_number then trail_checks.decision_note end
            as decision_note,
    from trail_checks
)

select * from final
