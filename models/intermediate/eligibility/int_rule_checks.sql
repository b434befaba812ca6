with

conviction_facts as (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

policy_rules as (
    select * from {{ ref('stg_clearance__policy_rules') }}
),

-- Every rule of every policy is checked against every conviction in one pass, and
-- int_policy_decisions then picks the first rule that applies.
conviction_rules as (
    select
        conviction_facts.*,
        policy_rules.policy_name,
        policy_rules.policy_role,
        policy_rules.policy_order,
        policy_rules.policy_scope,
        policy_rules.rule_number,
        policy_rules.rule_id,
        policy_rules.predicate,
        policy_rules.parameters,
        policy_rules.determination,
        policy_rules.reason_template,
        policy_rules.grants_relief,
    from conviction_facts
    cross join policy_rules
),

checks as (
    select
        conviction_id,
        subject_id,
        section,
        policy_name,
        policy_role,
        policy_order,
        policy_scope,
        rule_number,
        rule_id,
        predicate,
        determination,
        reason_template,
        grants_relief,
        {{ predicate_check_columns('predicate', 'parameters') }},
    from conviction_rules
),

final as (
    select
        conviction_id || ':' || policy_name || ':' || rule_number as rule_check_id,
        conviction_id,
        subject_id,
        section,
        policy_name,
        policy_role,
        policy_order,
        policy_scope,
        rule_number,
        rule_id,
        predicate,
        determination,
        reason_template,
        grants_relief,
        result,
        fact,
        case when result = 'unknown' then missing_fact end as missing_fact,
    from checks
)

select * from final
