with

policy_rules as (
    select * from {{ ref('stg_clearance__policy_rules') }}
),

final as (
    select distinct
        policy_rules.policy_name,
        policy_rules.policy_role,
        policy_rules.policy_order,
        policy_rules.policy_scope,
    from policy_rules
)

select * from final
