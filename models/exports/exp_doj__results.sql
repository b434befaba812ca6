with

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
),

convictions as (
    select * from {{ ref('int_convictions') }}
),

subjects as (
    select * from {{ ref('int_subjects') }}
),

policy_decisions as (
    select * from {{ ref('int_policy_decisions') }}
),

run as (
    select * from {{ ref('stg_clearance__run') }}
),

county_policy_decisions as (
    select
        policy_decisions.conviction_id,
        policy_decisions.determination,
        policy_decisions.reason,
    from policy_decisions
    where policy_decisions.policy_role = 'county'
),

-- Only Prop 64 convictions in the run's county are decided there. Convictions in other
-- counties count as history, but they get no determination in this county's export.
county_prop64_convictions as (
    select
        convictions.conviction_id,
        convictions.subject_id,
        convictions.first_load_id,
        convictions.first_line_number,
        convictions.case_numbers,
        convictions.possible_other_p64,
        convictions.conduct_date_start,
        convictions.conduct_date_end,
        convictions.disposition_date_start,
        convictions.disposition_date_end,
        convictions.disposition_date_precision,
        county_policy_decisions.determination,
        county_policy_decisions.reason,
    from convictions
    left join county_policy_decisions
        on convictions.conviction_id = county_policy_decisions.conviction_id
    where convictions.is_prop64 and convictions.is_in_run_county
),

-- Years are days / 365.25, as the 2019 statewide tool printed them. A partial date is a range,
-- so it gives a shortest and a longest time since, each printed once here.
conviction_years as (
    select
        county_prop64_convictions.*,
        subjects.conviction_count,
        subjects.super_strike_sections,
        subjects.pc290_sections,
        subjects.pc290_registration_date_start,
        subjects.has_undated_conviction,
        subjects.prop64_conviction_count,
        subjects.hs_11357_count,
        subjects.hs_11358_count,
        subjects.hs_11359_count,
        subjects.hs_11360_count,
        subjects.is_deceased,
        printf('%.1f', date_diff('day', county_prop64_convictions.disposition_date_end, run.compute_date) / 365.25)
            as years_since_conviction_min_text,
        printf('%.1f', date_diff('day', county_prop64_convictions.disposition_date_start, run.compute_date) / 365.25)
            as years_since_conviction_max_text,
        printf('%.1f', date_diff('day', subjects.latest_conviction_date_end, run.compute_date) / 365.25)
            as years_since_any_conviction_min_text,
        printf('%.1f', date_diff('day', subjects.latest_conviction_date_start, run.compute_date) / 365.25)
            as years_since_any_conviction_max_text,
    from county_prop64_convictions
    inner join subjects
        on county_prop64_convictions.subject_id = subjects.subject_id
    cross join run
),

formatted_convictions as (
    select
        conviction_id,
        first_load_id,
        first_line_number,
        coalesce(case_numbers, '-') as case_number,
        cast(conviction_count as varchar) as convictions_on_record,
        coalesce(possible_other_p64, '-') as possible_other_p64_charges,
        -- Prop 64 took effect on 9 November 2016 and applies to conduct before that day, so
        -- the column reads the conduct date (arrest date, else disposition date).
        case
            when conduct_date_start >= date '2016-11-09' then 'Y'
            when conduct_date_end < date '2016-11-09' then 'N'
            else 'Unknown'
        end as occurred_after_prop64,
        coalesce(super_strike_sections, '-') as superstrike_code_sections,
        coalesce(pc290_sections, '-') as pc290_code_sections,
        case
            when pc290_registration_date_start is not null then 'Y' else 'N'
        end as pc290_registration,
        -- A partial date keeps the DOJ file's own convention of 00 for the unknown day or month.
        case disposition_date_precision
            when 'day' then strftime(disposition_date_start, '%m/%d/%Y')
            when 'month' then strftime(disposition_date_start, '%m/00/%Y')
            when 'year' then strftime(disposition_date_start, '00/00/%Y')
            else 'Unknown'
        end as date_of_conviction,
        case
            when years_since_conviction_min_text is null then 'Unknown'
            when years_since_conviction_min_text = years_since_conviction_max_text then years_since_conviction_min_text
            else years_since_conviction_min_text || '-' || years_since_conviction_max_text
        end as years_since_this_conviction,
        -- An undated conviction could be the latest one, so the time since any conviction is
        -- then unknown rather than the time since the latest dated one.
        case
            when has_undated_conviction then 'Unknown'
            when years_since_any_conviction_min_text is null then 'Unknown'
            when years_since_any_conviction_min_text = years_since_any_conviction_max_text then years_since_any_conviction_min_text
            else years_since_any_conviction_min_text || '-' || years_since_any_conviction_max_text
        end as years_since_any_conviction,
        cast(prop64_conviction_count as varchar) as prop64_conviction_count,
        cast(hs_11357_count as varchar) as hs_11357_conviction_count,
        cast(hs_11358_count as varchar) as hs_11358_conviction_count,
        cast(hs_11359_count as varchar) as hs_11359_conviction_count,
        cast(hs_11360_count as varchar) as hs_11360_conviction_count,
        case when is_deceased then 'Deceased' else '-' end as deceased,
        determination as eligibility_determination,
        reason as eligibility_reason,
    from conviction_years
),

final as (
    select
        doj_rows.load_id,
        doj_rows.line_number,
        doj_rows.row_order,
        formatted_convictions.conviction_id,
        formatted_convictions.conviction_id is not null as is_prop64_conviction_row,
        formatted_convictions.case_number,
        formatted_convictions.convictions_on_record,
        -- The flag shows on every row where it fires, not only on a conviction's first row.
        coalesce(
            formatted_convictions.possible_other_p64_charges, doj_rows.possible_other_p64
        ) as possible_other_p64_charges,
        formatted_convictions.occurred_after_prop64,
        formatted_convictions.superstrike_code_sections,
        formatted_convictions.pc290_code_sections,
        formatted_convictions.pc290_registration,
        formatted_convictions.date_of_conviction,
        formatted_convictions.years_since_this_conviction,
        formatted_convictions.years_since_any_conviction,
        formatted_convictions.prop64_conviction_count,
        formatted_convictions.hs_11357_conviction_count,
        formatted_convictions.hs_11358_conviction_count,
        formatted_convictions.hs_11359_conviction_count,
        formatted_convictions.hs_11360_conviction_count,
        formatted_convictions.deceased,
        formatted_convictions.eligibility_determination,
        formatted_convictions.eligibility_reason,
    from doj_rows
    left join formatted_convictions
        on
            doj_rows.load_id = formatted_convictions.first_load_id
            and doj_rows.line_number = formatted_convictions.first_line_number
    -- Every other line gets 18 blank columns, which the writer adds without a row here.
    where
        formatted_convictions.conviction_id is not null
        or doj_rows.possible_other_p64 is not null
)

select * from final
order by row_order
