with

runs as (

    select * from {{ source('raw', 'runs') }}

),

current_run as (

    select * from {{ source('raw', 'current_run') }}

),

final as (

    select
        runs.run_id,
        runs.county,
        runs.compute_date,
        runs.policy_name,
        runs.policy_parameters,
    from runs
    inner join current_run
        on runs.run_id = current_run.run_id

)

select * from final
