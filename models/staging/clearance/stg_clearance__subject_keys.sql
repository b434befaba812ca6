with

run_subject_keys as (

    select * from {{ source('raw', 'run_subject_keys') }}

),

current_run as (

    select * from {{ source('raw', 'current_run') }}

),

final as (

    select
        run_subject_keys.subject_id,
        run_subject_keys.subject_key,
    from run_subject_keys
    inner join current_run
        on run_subject_keys.run_id = current_run.run_id

)

select * from final
