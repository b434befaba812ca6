with

run_subject_keys as (

    select * from {{ source('raw', 'run_subject_keys') }}

),

final as (

    select
        subject_id,
        subject_key,
    from run_subject_keys
    where run_id = '{{ var("run_id") }}'

)

select * from final
