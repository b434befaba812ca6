with

convictions as (
    select * from {{ ref('int_convictions') }}
),

subjects as (
    select * from {{ ref('int_subjects') }}
),

run as (
    select * from {{ ref('stg_clearance__run') }}
),

-- A county's prosecutor and court act only on convictions entered in that county, so
-- convictions in other counties count only as history.
county_prop64_convictions as (
    select *
    from convictions
    where convictions.is_prop64 and convictions.is_in_run_county
),

final as (
    select
        county_prop64_convictions.conviction_id,
        county_prop64_convictions.subject_id,
        subjects.subject_key,
        county_prop64_convictions.cnt_order,
        county_prop64_convictions.cycle_number,
        run.county,
        run.compute_date,
        county_prop64_convictions.prop64_section as section,
        county_prop64_convictions.subsections,
        county_prop64_convictions.attempt_prefix,
        county_prop64_convictions.book_flag,
        county_prop64_convictions.level,
        county_prop64_convictions.is_felony,
        county_prop64_convictions.disposition_date_start,
        county_prop64_convictions.disposition_date_end,
        county_prop64_convictions.disposition_date_precision,
        county_prop64_convictions.conduct_date_start,
        county_prop64_convictions.conduct_date_end,
        county_prop64_convictions.conduct_date_precision,
        subjects.dob_start,
        subjects.dob_end,
        subjects.is_deceased,
        subjects.conviction_count,
        subjects.prop64_conviction_count,
        subjects.has_only_prop64_convictions,
        subjects.latest_conviction_date_start,
        subjects.latest_conviction_date_end,
        subjects.has_undated_conviction,
    from county_prop64_convictions
    left join subjects
        on county_prop64_convictions.subject_id = subjects.subject_id
    cross join run
)

select * from final
