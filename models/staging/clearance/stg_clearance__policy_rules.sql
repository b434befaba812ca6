with

run_policy_rules as (

    select * from {{ source('raw', 'run_policy_rules') }}

),

final as (

    select
        policy_name,
        policy_role,
        policy_order,
        policy_scope,
        rule_number,
        rule_id,
        predicate,
        parameters,
        determination,
        reason_template,
        grants_relief,
    from run_policy_rules
    where run_id = '{{ var("run_id") }}'

)

select * from final
