-- A view: `clearance compare` reads one pair of policies at a time, and as a table it cost every run
-- 1.3-1.6 s on a million-line file with 225,000 Prop 64 convictions (2 cores).
{{ config(materialized='view') }}

with

conviction_outcomes as (
    select * from {{ ref('fct_conviction_outcomes') }}
),

-- Every ordered pair of the run's policies, conviction by conviction. Both policies of a pair
-- decide the same convictions, because every policy of a run decides every Prop 64 conviction
-- in the county.
pairs as (
    select
        outcomes_a.policy_name as policy_a,
        outcomes_b.policy_name as policy_b,
        outcomes_a.policy_order as policy_order_a,
        outcomes_b.policy_order as policy_order_b,
        outcomes_a.subject_key,
        outcomes_a.cnt_order,
        outcomes_a.section,
        outcomes_a.level,
        outcomes_a.determination as determination_a,
        outcomes_a.reason as reason_a,
        outcomes_a.rule_number as rule_number_a,
        outcomes_a.rule_id as rule_id_a,
        outcomes_a.grants_relief as grants_relief_a,
        outcomes_b.determination as determination_b,
        outcomes_b.reason as reason_b,
        outcomes_b.rule_number as rule_number_b,
        outcomes_b.rule_id as rule_id_b,
        outcomes_b.grants_relief as grants_relief_b,
    from conviction_outcomes as outcomes_a
    inner join conviction_outcomes as outcomes_b
        on outcomes_a.subject_key = outcomes_b.subject_key
        and outcomes_a.cnt_order = outcomes_b.cnt_order
        and outcomes_a.policy_name <> outcomes_b.policy_name
),

final as (
    select
        pairs.policy_a || '|' || pairs.policy_b || ':' || pairs.subject_key || ':' || pairs.cnt_order
            as policy_comparison_id,
        pairs.policy_a,
        pairs.policy_b,
        pairs.policy_order_a,
        pairs.policy_order_b,
        pairs.subject_key,
        pairs.cnt_order,
        pairs.section,
        pairs.level,
        pairs.determination_a,
        pairs.reason_a,
        pairs.rule_number_a,
        pairs.rule_id_a,
        pairs.grants_relief_a,
        pairs.determination_b,
        pairs.reason_b,
        pairs.rule_number_b,
        pairs.rule_id_b,
        pairs.grants_relief_b,
        case
            when pairs.determination_a = pairs.determination_b and pairs.reason_a = pairs.reason_b then 'same'
            when not pairs.grants_relief_a and pairs.grants_relief_b then 'gains relief'
            when pairs.grants_relief_a and not pairs.grants_relief_b then 'loses relief'
            when pairs.determination_a <> pairs.determination_b then 'other determination'
            else 'other reason'
        end as outcome_change,
        case
            when pairs.determination_a = pairs.determination_b and pairs.reason_a = pairs.reason_b then null
            else pairs.policy_b || ' rule ' || pairs.rule_number_b || ' ' || pairs.rule_id_b
                || ' decides instead of ' || pairs.policy_a || ' rule ' || pairs.rule_number_a || ' '
                || pairs.rule_id_a
        end as deciding_difference,
    from pairs
)

select * from final
