with

runs as (

    select * from {{ source('raw', 'runs') }}

),

final as (

    select
        run_id,
        county,
        compute_date,
        policy_name,
        policy_parameters,
    from runs
    where run_id = '{{ var("run_id") }}'

)

select * from final
