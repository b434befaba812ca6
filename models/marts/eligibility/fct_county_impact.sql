with

conviction_outcomes as (
    select * from {{ ref('fct_conviction_outcomes') }}
),

subject_relief as (
    select * from {{ ref('fct_subject_relief') }}
),

policies as (
    select * from {{ ref('int_run_policies') }}
),

run as (
    select * from {{ ref('stg_clearance__run') }}
),

-- Eligible convictions, the figure counties announced, are the Prop 64 convictions in the
-- county whose determination is a dismissal or a reduction.
conviction_counts as (
    select
        conviction_outcomes.policy_name,
        count(*) as prop64_convictions,
        count_if(conviction_outcomes.is_felony) as prop64_felony_convictions,
        count_if(not conviction_outcomes.is_felony) as prop64_non_felony_convictions,
        count_if(conviction_outcomes.is_felony is null) as prop64_unknown_level_convictions,
        count_if(conviction_outcomes.grants_relief) as eligible_convictions,
        count_if(conviction_outcomes.determination = 'Eligible for Dismissal') as dismissal_convictions,
        count_if(conviction_outcomes.determination = 'Eligible for Reduction') as reduction_convictions,
        count_if(conviction_outcomes.determination = 'Not eligible') as not_eligible_convictions,
        count_if(conviction_outcomes.determination = 'Hand Review') as hand_review_convictions,
        count_if(conviction_outcomes.determination = 'Maybe Eligible - Flag for Review') as maybe_eligible_convictions,
        count_if(conviction_outcomes.determination = 'To be reviewed by City Attorneys') as city_attorney_review_convictions,
        min(conviction_outcomes.disposition_date_start) as earliest_prop64_disposition_date,
    from conviction_outcomes
    group by conviction_outcomes.policy_name
),

subject_counts as (
    select
        subject_relief.policy_name,
        count(*) as subjects_with_prop64_conviction,
        sum(subject_relief.conviction_count) as subject_convictions,
        sum(subject_relief.dismissed_related_charge_count) as dismissed_related_charge_convictions,
        count_if(subject_relief.has_some_relief) as subjects_with_some_relief,
        count_if(subject_relief.has_no_felony_left) as subjects_with_no_felony_left,
        count_if(subject_relief.has_no_conviction_left) as subjects_with_no_conviction_left,
        count_if(subject_relief.has_no_conviction_last_7_years_left) as subjects_with_no_conviction_last_7_years_left,
    from subject_relief
    group by subject_relief.policy_name
),

final as (
    select
        policies.policy_name,
        policies.policy_role,
        policies.policy_order,
        policies.policy_scope,
        run.county,
        run.compute_date,
        coalesce(conviction_counts.prop64_convictions, 0) as prop64_convictions,
        coalesce(conviction_counts.prop64_felony_convictions, 0) as prop64_felony_convictions,
        coalesce(conviction_counts.prop64_non_felony_convictions, 0) as prop64_non_felony_convictions,
        coalesce(conviction_counts.prop64_unknown_level_convictions, 0) as prop64_unknown_level_convictions,
        coalesce(conviction_counts.eligible_convictions, 0) as eligible_convictions,
        coalesce(conviction_counts.dismissal_convictions, 0) as dismissal_convictions,
        coalesce(conviction_counts.reduction_convictions, 0) as reduction_convictions,
        coalesce(conviction_counts.not_eligible_convictions, 0) as not_eligible_convictions,
        coalesce(conviction_counts.hand_review_convictions, 0) as hand_review_convictions,
        coalesce(conviction_counts.maybe_eligible_convictions, 0) as maybe_eligible_convictions,
        coalesce(conviction_counts.city_attorney_review_convictions, 0) as city_attorney_review_convictions,
        coalesce(subject_counts.subject_convictions, 0) as subject_convictions,
        coalesce(subject_counts.dismissed_related_charge_convictions, 0) as dismissed_related_charge_convictions,
        coalesce(subject_counts.subjects_with_prop64_conviction, 0) as subjects_with_prop64_conviction,
        coalesce(subject_counts.subjects_with_some_relief, 0) as subjects_with_some_relief,
        coalesce(subject_counts.subjects_with_no_felony_left, 0) as subjects_with_no_felony_left,
        coalesce(subject_counts.subjects_with_no_conviction_left, 0) as subjects_with_no_conviction_left,
        coalesce(subject_counts.subjects_with_no_conviction_last_7_years_left, 0)
            as subjects_with_no_conviction_last_7_years_left,
        conviction_counts.earliest_prop64_disposition_date,
    from policies
    cross join run
    left join conviction_counts
        on policies.policy_name = conviction_counts.policy_name
    left join subject_counts
        on policies.policy_name = subject_counts.policy_name
)

select * from final
