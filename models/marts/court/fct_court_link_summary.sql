-- One row per measure of the run's court linking: how many Prop 64 convictions of the county
-- are matched, DOJ only or court only, already relieved or pending relief, and linked by each
-- method. Court-only convictions are counted here and in no policy count.
with

convictions as (
    select * from {{ ref('int_court__prop64_convictions') }}
),

source_counts as (
    select
        record_source as measure,
        count(*) as convictions,
    from convictions
    group by record_source
),

relief_counts as (
    select
        prior_relief as measure,
        count(*) as convictions,
    from convictions
    where prior_relief is not null
    group by prior_relief
),

method_counts as (
    select
        'linked_by_' || link_method as measure,
        count(*) as convictions,
    from convictions
    where link_method is not null
    group by link_method
),

filled_counts as (
    select
        'case_number_from_court' as measure,
        count(*) as convictions,
    from convictions
    where is_case_number_from_court
),

final as (
    select measure, convictions, from source_counts
    union all
    select measure, convictions, from relief_counts
    union all
    select measure, convictions, from method_counts
    union all
    select measure, convictions, from filled_counts
)

select * from final
