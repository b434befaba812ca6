with

conviction_outcomes as (
    select * from {{ ref('fct_conviction_outcomes') }}
),

-- The rule that decided a conviction without relief is the rule that withheld it. A subject
-- counts once per rule, however many of their convictions that rule decided.
withheld as (
    select
        conviction_outcomes.policy_name,
        conviction_outcomes.policy_order,
        conviction_outcomes.rule_number,
        conviction_outcomes.rule_id,
        count(*) as convictions,
        count(distinct conviction_outcomes.subject_key) as subjects,
        string_agg(distinct conviction_outcomes.determination, '; ' order by conviction_outcomes.determination)
            as determinations,
    from conviction_outcomes
    where not conviction_outcomes.grants_relief
    group by all
),

final as (
    select
        withheld.policy_name || ':' || withheld.rule_number as withholding_rule_id,
        withheld.policy_name,
        withheld.policy_order,
        withheld.rule_number,
        withheld.rule_id,
        withheld.determinations,
        withheld.convictions,
        withheld.subjects,
        rank() over (partition by withheld.policy_name order by withheld.subjects desc) as subject_rank,
    from withheld
)

select * from final
