{%- set measures = [
    'prop64_convictions', 'prop64_felony_convictions', 'prop64_non_felony_convictions',
    'prop64_unknown_level_convictions', 'eligible_convictions', 'dismissal_convictions',
    'reduction_convictions', 'not_eligible_convictions', 'hand_review_convictions',
    'maybe_eligible_convictions', 'city_attorney_review_convictions',
    'dismissed_related_charge_convictions', 'subjects_with_prop64_conviction',
    'subjects_with_some_relief', 'subjects_with_no_felony_left', 'subjects_with_no_conviction_left',
    'subjects_with_no_conviction_last_7_years_left',
] -%}

with

county_impact as (
    select * from {{ ref('fct_county_impact') }}
),

measures as (
    {%- for measure in measures %}
    select
        county_impact.policy_name,
        county_impact.policy_order,
        {{ loop.index }} as measure_order,
        '{{ measure }}' as measure,
        county_impact.{{ measure }}::bigint as measure_value,
    from county_impact
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        measures_a.policy_name || '|' || measures_b.policy_name || ':' || measures_a.measure
            as policy_impact_comparison_id,
        measures_a.policy_name as policy_a,
        measures_b.policy_name as policy_b,
        measures_a.measure_order,
        measures_a.measure,
        measures_a.measure_value as value_a,
        measures_b.measure_value as value_b,
        measures_b.measure_value - measures_a.measure_value as difference,
    from measures as measures_a
    inner join measures as measures_b
        on measures_a.measure = measures_b.measure
        and measures_a.policy_name <> measures_b.policy_name
)

select * from final
