with

convictions as (
    select * from {{ ref('int_convictions') }}
),

subjects as (
    select * from {{ ref('int_subjects') }}
),

-- Two CTEs read each of these two tables, and scanning a table twice costs less than buffering
-- one scan for both.
conviction_facts as not materialized (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

policy_decisions as not materialized (
    select * from {{ ref('int_policy_decisions') }}
),

policies as (
    select * from {{ ref('int_run_policies') }}
),

run as (
    select * from {{ ref('stg_clearance__run') }}
),

county_subjects as (
    select distinct conviction_facts.subject_id
    from conviction_facts
),

-- Impact counts every conviction of a subject with a Prop 64 conviction in the county, in
-- every county, because a background check shows them all.
--
-- Seven years is the look-back window background-check companies use. A conviction is surely
-- in it when its whole date range falls in the seven years before the compute date, and may be
-- in it when the range touches them or the date is missing. The window does not depend on the
-- policy, so it is worked out here, once per conviction.
subject_convictions as (
    select
        convictions.conviction_id,
        convictions.subject_id,
        convictions.cycle_number,
        convictions.is_felony,
        convictions.is_related_charge,
        convictions.disposition_date_start > {{ subtract_calendar_years('run.compute_date', 7) }}
            and convictions.disposition_date_end <= run.compute_date
            as is_surely_in_last_7_years,
        convictions.disposition_date_start is null
            or (
                convictions.disposition_date_end > {{ subtract_calendar_years('run.compute_date', 7) }}
                and convictions.disposition_date_start <= run.compute_date
            )
            as may_be_in_last_7_years,
    from convictions
    inner join county_subjects
        on convictions.subject_id = county_subjects.subject_id
    cross join run
),

-- Cycles in which the policy dismisses a Prop 64 conviction. A policy whose scope takes in
-- related charges also dismisses the related-charge convictions of those cycles, and only
-- those policies read this CTE.
dismissed_prop64_cycles as (
    select distinct
        policy_decisions.policy_name,
        conviction_facts.subject_id,
        conviction_facts.cycle_number,
    from policy_decisions
    inner join conviction_facts
        on policy_decisions.conviction_id = conviction_facts.conviction_id
    where
        policy_decisions.determination = 'Eligible for Dismissal'
        and policy_decisions.policy_name in (
            select policies.policy_name
            from policies
            where policies.policy_scope = 'prop64_and_related'
        )
),

conviction_relief as (
    select
        policies.policy_name,
        subject_convictions.subject_id,
        subject_convictions.is_felony,
        subject_convictions.is_surely_in_last_7_years,
        subject_convictions.may_be_in_last_7_years,
        case
            when policy_decisions.determination = 'Eligible for Dismissal' then 'dismissed'
            when policy_decisions.determination = 'Eligible for Reduction' then 'reduced'
            when policies.policy_scope = 'prop64_and_related'
                and subject_convictions.is_related_charge
                and dismissed_prop64_cycles.cycle_number is not null
                then 'dismissed'
            else 'none'
        end as relief,
        policy_decisions.conviction_id is null
            and policies.policy_scope = 'prop64_and_related'
            and coalesce(subject_convictions.is_related_charge, false)
            and dismissed_prop64_cycles.cycle_number is not null
            as is_dismissed_related_charge,
    from subject_convictions
    cross join policies
    left join policy_decisions
        on subject_convictions.conviction_id = policy_decisions.conviction_id
        and policies.policy_name = policy_decisions.policy_name
    left join dismissed_prop64_cycles
        on policies.policy_name = dismissed_prop64_cycles.policy_name
        and subject_convictions.subject_id = dismissed_prop64_cycles.subject_id
        and subject_convictions.cycle_number = dismissed_prop64_cycles.cycle_number
),

subject_measures as (
    select
        conviction_relief.policy_name,
        conviction_relief.subject_id,
        count(*) as conviction_count,
        count_if(conviction_relief.relief = 'dismissed') as dismissed_conviction_count,
        count_if(conviction_relief.relief = 'reduced') as reduced_conviction_count,
        count_if(conviction_relief.is_dismissed_related_charge) as dismissed_related_charge_count,
        bool_or(conviction_relief.relief <> 'none') as has_some_relief,
        coalesce(bool_or(conviction_relief.is_felony), false) as had_felony,
        -- A conviction of unknown level left without relief may be a felony.
        bool_and(conviction_relief.relief <> 'none' or conviction_relief.is_felony = false)
            as has_no_possible_felony_left,
        bool_and(conviction_relief.relief = 'dismissed') as has_no_conviction_left,
        coalesce(bool_or(conviction_relief.is_surely_in_last_7_years), false) as had_conviction_last_7_years,
        bool_and(conviction_relief.relief = 'dismissed' or not conviction_relief.may_be_in_last_7_years)
            as has_every_recent_conviction_dismissed,
    from conviction_relief
    group by conviction_relief.policy_name, conviction_relief.subject_id
),

subject_ages as (
    select
        subjects.subject_id,
        subjects.subject_key,
        subjects.gender,
        subjects.race_descr,
        {{ age_band(age_on('subjects.dob_end', 'run.compute_date')) }} as youngest_age_band,
        {{ age_band(age_on('subjects.dob_start', 'run.compute_date')) }} as oldest_age_band,
    from subjects
    cross join run
),

final as (
    select
        subject_measures.policy_name || ':' || subject_ages.subject_key as subject_relief_id,
        subject_measures.policy_name,
        policies.policy_role,
        policies.policy_order,
        subject_ages.subject_key,
        subject_ages.gender,
        subject_ages.race_descr,
        case
            when subject_ages.youngest_age_band = subject_ages.oldest_age_band then subject_ages.youngest_age_band
            else 'unknown'
        end as age_band,
        subject_measures.conviction_count,
        subject_measures.dismissed_conviction_count,
        subject_measures.reduced_conviction_count,
        subject_measures.dismissed_related_charge_count,
        subject_measures.has_some_relief,
        subject_measures.had_felony,
        subject_measures.had_felony and subject_measures.has_no_possible_felony_left as has_no_felony_left,
        subject_measures.has_no_conviction_left,
        subject_measures.had_conviction_last_7_years,
        subject_measures.had_conviction_last_7_years and subject_measures.has_every_recent_conviction_dismissed
            as has_no_conviction_last_7_years_left,
    from subject_measures
    inner join policies
        on subject_measures.policy_name = policies.policy_name
    left join subject_ages
        on subject_measures.subject_id = subject_ages.subject_id
)

select * from final
