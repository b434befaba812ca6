with

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
),

list_matches as (
    select * from {{ ref('int_conviction_list_matches') }}
),

registration_lists as (
    -- Both PC 290 lists count a registration: PC 290(c) and the 2019 Los Angeles flow.
    select unnest(['pc290', 'la2019_pc290']) as list_name
),

conviction_priors as (
    select
        subject_id,
        conviction_id,
        cycle_number,
        case_number,
        list_name,
        code_section,
        date_start,
        date_end,
    from list_matches
    where list_name <> 'related_charge'
),

registration_steps as (
    -- A REGISTRATION step for PC 290 makes the subject a registrant from the step's date.
    select
        subject_id,
        cycle_number,
        case_number,
        {{ date_range_with_fallback('stp_event_date', 'disp_date', 'registration_date') }},
    from doj_rows
    where stp_type_descr = 'REGISTRATION' and section = '290'
    qualify row_number() over (partition by subject_id, case_number order by row_order) = 1
),

registration_priors as (
    select
        registration_steps.subject_id,
        cast(null as varchar) as conviction_id,
        registration_steps.cycle_number,
        registration_steps.case_number,
        registration_lists.list_name,
        'PC 290 registration' as code_section,
        registration_steps.registration_date_start as date_start,
        registration_steps.registration_date_end as date_end,
    from registration_steps
    cross join registration_lists
),

final as (
    select * from conviction_priors
    union all
    select * from registration_priors
)

select * from final
