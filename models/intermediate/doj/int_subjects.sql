with

doj_rows as (
    select * from {{ ref('stg_doj__rows') }}
),

subject_keys as (
    select * from {{ ref('stg_clearance__subject_keys') }}
),

convictions as (
    select * from {{ ref('int_convictions') }}
),

disqualifying_priors as (
    select * from {{ ref('int_disqualifying_priors') }}
),

subject_facts as (
    -- A date of birth that differs between rows widens the range. Unparseable ones add nothing.
    select
        subject_id,
        arg_min(gender, row_order) filter (where gender is not null) as gender,
        arg_min(race_descr, row_order) filter (where race_descr is not null) as race_descr,
        min(dob_start) as dob_start,
        max(dob_end) as dob_end,
        bool_or(stp_type_descr = 'DECEASED') as is_deceased,
    from doj_rows
    group by subject_id
),

registrations as (
    -- The first registration fell between the earliest start and the earliest end.
    select
        subject_id,
        min(date_start) as pc290_registration_date_start,
        min(date_end) as pc290_registration_date_end,
    from disqualifying_priors
    where list_name = 'pc290' and conviction_id is null
    group by subject_id
),

conviction_summaries as (
    select
        subject_id,
        count(*) as conviction_count,
        count(*) filter (where is_prop64) as prop64_conviction_count,
        count(*) filter (where prop64_section = '11357') as hs_11357_count,
        count(*) filter (where prop64_section = '11358') as hs_11358_count,
        count(*) filter (where prop64_section = '11359') as hs_11359_count,
        count(*) filter (where prop64_section = '11360') as hs_11360_count,
        max(disposition_date_start) as latest_conviction_date_start,
        max(disposition_date_end) as latest_conviction_date_end,
        bool_or(disposition_date_start is null) as has_undated_conviction,
        bool_and(is_prop64) as has_only_prop64_convictions,
        bool_or(is_prop64 and is_in_run_county) as has_prop64_conviction_in_county,
    from convictions
    group by subject_id
),

prior_sections as (
    select
        subject_id,
        list_name,
        unnest(string_split(code_section, ';')) as code_section,
    from disqualifying_priors
    where list_name in ('super_strike', 'pc290') and conviction_id is not null
),

prior_section_lists as (
    select
        subject_id,
        array_to_string(
            list_sort(list_distinct(list(code_section) filter (where list_name = 'super_strike'))), ';'
        ) as super_strike_sections,
        array_to_string(
            list_sort(list_distinct(list(code_section) filter (where list_name = 'pc290'))), ';'
        ) as pc290_sections,
    from prior_sections
    group by subject_id
),

final as (
    select
        subject_facts.subject_id,
        subject_keys.subject_key,
        subject_facts.gender,
        subject_facts.race_descr,
        subject_facts.dob_start,
        subject_facts.dob_end,
        coalesce(subject_facts.is_deceased, false) as is_deceased,
        registrations.subject_id is not null as is_pc290_registrant,
        registrations.pc290_registration_date_start,
        registrations.pc290_registration_date_end,
        coalesce(conviction_summaries.conviction_count, 0) as conviction_count,
        coalesce(conviction_summaries.prop64_conviction_count, 0) as prop64_conviction_count,
        coalesce(conviction_summaries.hs_11357_count, 0) as hs_11357_count,
        coalesce(conviction_summaries.hs_11358_count, 0) as hs_11358_count,
        coalesce(conviction_summaries.hs_11359_count, 0) as hs_11359_count,
        coalesce(conviction_summaries.hs_11360_count, 0) as hs_11360_count,
        conviction_summaries.latest_conviction_date_start,
        conviction_summaries.latest_conviction_date_end,
        coalesce(conviction_summaries.has_undated_conviction, false) as has_undated_conviction,
        -- A subject with no conviction at all gets false, not a vacuous true.
        coalesce(conviction_summaries.has_only_prop64_convictions, false) as has_only_prop64_convictions,
        nullif(prior_section_lists.super_strike_sections, '') as super_strike_sections,
        nullif(prior_section_lists.pc290_sections, '') as pc290_sections,
        coalesce(conviction_summaries.has_prop64_conviction_in_county, false) as has_prop64_conviction_in_county,
    from subject_facts
    left join subject_keys
        on subject_facts.subject_id = subject_keys.subject_id
    left join registrations
        on subject_facts.subject_id = registrations.subject_id
    left join conviction_summaries
        on subject_facts.subject_id = conviction_summaries.subject_id
    left join prior_section_lists
        on subject_facts.subject_id = prior_section_lists.subject_id
)

select * from final
