with

run_policy_rules as (

    select * from {{ source('raw', 'run_policy_rules') }}

),

current_run as (

    select * from {{ source('raw', 'current_run') }}

),

final as (

    select
        run_policy_rules.policy_name,
        run_policy_rules.policy_role,
        run_policy_rules.policy_order,
        run_policy_rules.policy_scope,
        run_policy_rules.rule_number,
        run_policy_rules.rule_id,
        run_policy_rules.predicate,
        run_policy_rules.parameters,
        run_policy_rules.determination,
        run_policy_rules.reason_template,
        run_policy_rules.grants_relief,
    from run_policy_rules
    inner join current_run
        on run_policy_rules.run_id = current_run.run_id

)

select * from final
