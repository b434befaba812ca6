with

conviction_outcomes as (
    select * from {{ ref('fct_conviction_outcomes') }}
),

final as (
    select
        conviction_outcomes.policy_name || ':' || conviction_outcomes.determination || ':' || conviction_outcomes.reason
            as outcome_reason_id,
        conviction_outcomes.policy_name,
        conviction_outcomes.policy_role,
        conviction_outcomes.policy_order,
        conviction_outcomes.determination,
        conviction_outcomes.reason,
        count(*) as convictions,
        count(distinct conviction_outcomes.subject_key) as subjects,
    from conviction_outcomes
    group by all
)

select * from final
