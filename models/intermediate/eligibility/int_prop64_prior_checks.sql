{#- A view: only int_prop64_conviction_facts reads it, once, so DuckDB works the checks out inside
    that model's query instead of writing and reading back a table of some fifty columns per
    Prop 64 conviction. -#}
{{ config(materialized='view') }}

{%- set nouns = disqualifier_list_nouns() -%}

with

-- Several CTEs read the convictions, and scanning the table for each costs less than buffering
-- one scan for all of them.
convictions as not materialized (
    select * from {{ ref('int_convictions') }}
),

disqualifying_priors as (
    select * from {{ ref('int_disqualifying_priors') }}
),

policy_rules as (
    select * from {{ ref('stg_clearance__policy_rules') }}
),

-- The checks below are worked out only for the lists and comparisons that some rule of the run
-- names: on a million-line file they took about 6 s for every list, while a run under the
-- configurable policy and the hypotheticals names none. A rule is one predicate, or `all`
-- with a list of conditions.
rule_conditions as (
    select
        predicate as condition_predicate,
        parameters as condition_parameters,
    from policy_rules
    where predicate <> 'all'
    union all
    select
        json_extract_string(condition, '$.predicate') as condition_predicate,
        json_extract(condition, '$.parameters')::varchar as condition_parameters,
    from policy_rules,
        unnest(json_extract(policy_rules.parameters, '$.conditions[*]')) as conditions(condition)
    where policy_rules.predicate = 'all'
),

requested_lists as (
    select distinct
        unnest(json_extract_string(condition_parameters, '$.lists[*]')) as list_name,
        json_extract_string(condition_parameters, '$.compare') as comparison,
    from rule_conditions
    where condition_predicate = 'prior_on_list'
),

requested_counts as (
    select distinct json_extract_string(condition_parameters, '$.compare') as comparison,
    from rule_conditions
    where condition_predicate = 'prior_same_section_convictions'
),

requested_comparisons as (
    select comparison from requested_lists
    union
    select comparison from requested_counts
),

county_prop64_convictions as (
    select
        conviction_id,
        subject_id,
        case_number,
        cycle_number,
        prop64_section,
        conduct_date_start,
        conduct_date_end,
        conduct_date_precision,
        disposition_date_start,
        disposition_date_end,
        disposition_date_precision,
    from convictions
    where is_prop64 and is_in_run_county
),

-- Each conviction is compared once on its conduct date and once on its disposition date, so a
-- policy can pick either test.
comparisons as (
    select
        conviction_id,
        subject_id,
        case_number,
        cycle_number,
        prop64_section,
        'conduct' as comparison,
        conduct_date_start as reference_date_start,
        conduct_date_end as reference_date_end,
        {{ format_date_range('conduct_date_start', 'conduct_date_end', 'conduct_date_precision') }}
            as reference_date_text,
    from county_prop64_convictions
    where 'conduct' in (select comparison from requested_comparisons)
    union all
    select
        conviction_id,
        subject_id,
        case_number,
        cycle_number,
        prop64_section,
        'disposition' as comparison,
        disposition_date_start as reference_date_start,
        disposition_date_end as reference_date_end,
        {{ format_date_range('disposition_date_start', 'disposition_date_end', 'disposition_date_precision') }}
            as reference_date_text,
    from county_prop64_convictions
    where 'disposition' in (select comparison from requested_comparisons)
),

disqualifier_lists as (
    select
        unnest([{% for name in nouns %}'{{ name }}'{{ ", " if not loop.last }}{% endfor %}]) as list_name,
        unnest([{% for name in nouns %}'{{ nouns[name] }}'{{ ", " if not loop.last }}{% endfor %}]) as list_noun,
),

-- A conviction in the same court case never disqualifies (People v. Smit, 2018).
list_candidates as (
    select
        comparisons.conviction_id,
        comparisons.comparison,
        disqualifying_priors.list_name,
        disqualifying_priors.date_start,
        case
            when disqualifying_priors.conviction_id is null then disqualifying_priors.code_section
            else disqualifier_lists.list_noun || ' ' || disqualifying_priors.code_section
        end
        || case
            when disqualifying_priors.date_start is null then ' with no date'
            when disqualifying_priors.conviction_id is null
                then ' ' || {{ format_date_range('disqualifying_priors.date_start', 'disqualifying_priors.date_end') }}
            else ' disposed ' || {{ format_date_range('disqualifying_priors.date_start', 'disqualifying_priors.date_end') }}
        end as prior_text,
        {{ prior_status(
            'disqualifying_priors.date_start', 'disqualifying_priors.date_end',
            'comparisons.reference_date_start', 'comparisons.reference_date_end',
            'comparisons.comparison'
        ) }} as status,
        comparisons.reference_date_start is not null
            and disqualifying_priors.date_start is not null
            and disqualifying_priors.date_start = comparisons.reference_date_end
            and disqualifying_priors.date_end = comparisons.reference_date_start
            as is_same_day,
    from comparisons
    inner join disqualifying_priors
        on comparisons.subject_id = disqualifying_priors.subject_id
        and comparisons.case_number is distinct from disqualifying_priors.case_number
    inner join disqualifier_lists
        on disqualifying_priors.list_name = disqualifier_lists.list_name
),

list_checks as (
    select
        comparisons.conviction_id,
        comparisons.comparison,
        disqualifier_lists.list_name,
        case
            when bool_or(list_candidates.status = 'true') then 'true'
            when bool_or(list_candidates.status = 'unknown') then 'unknown'
            else 'false'
        end as result,
        case
            when bool_or(list_candidates.status = 'true')
                then arg_min(list_candidates.prior_text, list_candidates.date_start)
                    filter (where list_candidates.status = 'true')
                    || ', before this ' || comparisons.comparison || ' on ' || any_value(comparisons.reference_date_text)
            when bool_or(list_candidates.status = 'unknown')
                then arg_min(list_candidates.prior_text, coalesce(list_candidates.date_start, date '0001-01-01'))
                    filter (where list_candidates.status = 'unknown')
                    || case
                        when any_value(comparisons.reference_date_start) is null
                            then ', and this ' || comparisons.comparison || ' date is missing'
                        when bool_or(list_candidates.is_same_day and list_candidates.status = 'unknown')
                            then ', the same day as this ' || comparisons.comparison || ' on '
                                || any_value(comparisons.reference_date_text)
                        else ', possibly before this ' || comparisons.comparison || ' on '
                            || any_value(comparisons.reference_date_text)
                    end
            when any_value(comparisons.reference_date_start) is null
                then 'no ' || disqualifier_lists.list_noun || ' on record'
            else 'no ' || disqualifier_lists.list_noun || ' before this ' || comparisons.comparison
                || ' on ' || any_value(comparisons.reference_date_text)
        end as fact,
        case
            when not bool_or(list_candidates.status = 'true') and bool_or(list_candidates.status = 'unknown')
                then case
                    when any_value(comparisons.reference_date_start) is null then comparisons.comparison || ' date'
                    when starts_with(disqualifier_lists.list_noun, 'possible ')
                        then 'disposition date of a ' || disqualifier_lists.list_noun
                    else 'disposition date of a possible ' || disqualifier_lists.list_noun
                end
        end as missing_fact,
    from comparisons
    inner join requested_lists
        on comparisons.comparison = requested_lists.comparison
    inner join disqualifier_lists
        on requested_lists.list_name = disqualifier_lists.list_name
    left join list_candidates
        on comparisons.conviction_id = list_candidates.conviction_id
        and comparisons.comparison = list_candidates.comparison
        and disqualifier_lists.list_name = list_candidates.list_name
    group by comparisons.conviction_id, comparisons.comparison, disqualifier_lists.list_name, disqualifier_lists.list_noun
),

-- Earlier Prop 64 convictions of the same section, in any county. Counting by cycle takes one
-- per earlier, separate cycle, so two counts of one case are one prior.
same_section_candidates as (
    select
        comparisons.conviction_id,
        comparisons.comparison,
        not coalesce(comparisons.cycle_number = convictions.cycle_number, false) as is_other_cycle,
        convictions.cycle_number,
        convictions.disposition_date_start,
        {{ format_date_range('convictions.disposition_date_start', 'convictions.disposition_date_end', 'convictions.disposition_date_precision') }}
            as disposition_date_text,
        {{ prior_status(
            'convictions.disposition_date_start', 'convictions.disposition_date_end',
            'comparisons.reference_date_start', 'comparisons.reference_date_end',
            'comparisons.comparison'
        ) }} as status,
    from comparisons
    inner join convictions
        on comparisons.subject_id = convictions.subject_id
        and comparisons.prop64_section = convictions.prop64_section
        and comparisons.case_number is distinct from convictions.case_number
    where comparisons.comparison in (select comparison from requested_counts)
),

same_section_counts as (
    select
        comparisons.conviction_id,
        comparisons.comparison,
        count(same_section_candidates.status) filter (where same_section_candidates.status = 'true')
            as conviction_definite,
        count(same_section_candidates.status) filter (where same_section_candidates.status <> 'false')
            as conviction_possible,
        string_agg(same_section_candidates.disposition_date_text, ', ' order by same_section_candidates.disposition_date_start)
            filter (where same_section_candidates.status = 'true') as conviction_dates,
        count(distinct same_section_candidates.cycle_number)
            filter (where same_section_candidates.status = 'true' and same_section_candidates.is_other_cycle)
            as cycle_definite,
        count(distinct coalesce(same_section_candidates.cycle_number, 'no cycle'))
            filter (where same_section_candidates.status <> 'false' and same_section_candidates.is_other_cycle)
            as cycle_possible,
        string_agg(distinct same_section_candidates.disposition_date_text, ', ' order by same_section_candidates.disposition_date_text)
            filter (where same_section_candidates.status = 'true' and same_section_candidates.is_other_cycle)
            as cycle_dates,
        any_value(comparisons.reference_date_text) as reference_date_text,
    from comparisons
    left join same_section_candidates
        on comparisons.conviction_id = same_section_candidates.conviction_id
        and comparisons.comparison = same_section_candidates.comparison
    where comparisons.comparison in (select comparison from requested_counts)
    group by comparisons.conviction_id, comparisons.comparison
),

-- Each kind of check is turned into columns on its own rows, so a run whose rules name none of
-- them groups nothing, and the two kinds never multiply each other's rows. Each list and
-- comparison is one struct aggregate rather than three. With rules naming six of them, on the
-- 1,000,000-row benchmark file and two DuckDB 2.0.1 threads, the model then took 3.8 s of CPU
-- instead of 7.0 s, and 1.3 GB instead of 1.9 GB of memory at the peak.
list_checks_by_conviction as (
    select
        conviction_id,
        {%- for list_name in nouns %}
        {%- for comparison in prior_comparisons() %}
        any_value(struct_pack(result, fact, missing_fact)) filter (
            where list_name = '{{ list_name }}' and comparison = '{{ comparison }}'
        ) as {{ list_name }}_{{ comparison }},
        {%- endfor %}
        {%- endfor %}
    from list_checks
    group by conviction_id
),

list_columns as (
    select
        conviction_id,
        {%- for list_name in nouns %}
        {%- for comparison in prior_comparisons() %}
        {%- for part in ['result', 'fact', 'missing_fact'] %}
        {{ list_name }}_{{ comparison }}.{{ part }} as prior_{{ list_name }}_{{ comparison }}_{{ part }},
        {%- endfor %}
        {%- endfor %}
        {%- endfor %}
    from list_checks_by_conviction
),

count_columns as (
    select
        conviction_id,
        {%- for comparison in prior_comparisons() %}
        {%- for count_by in ['conviction', 'cycle'] %}
        any_value({{ count_by }}_definite) filter (
            where comparison = '{{ comparison }}'
        ) as same_section_by_{{ count_by }}_{{ comparison }}_definite,
        any_value({{ count_by }}_possible) filter (
            where comparison = '{{ comparison }}'
        ) as same_section_by_{{ count_by }}_{{ comparison }}_possible,
        any_value({{ count_by }}_dates) filter (
            where comparison = '{{ comparison }}'
        ) as same_section_by_{{ count_by }}_{{ comparison }}_dates,
        {%- endfor %}
        any_value(reference_date_text) filter (
            where comparison = '{{ comparison }}'
        ) as {{ comparison }}_date_text,
        {%- endfor %}
    from same_section_counts
    group by conviction_id
),

final as (
    select
        county_prop64_convictions.conviction_id,
        list_columns.* exclude (conviction_id),
        count_columns.* exclude (conviction_id),
    from county_prop64_convictions
    left join list_columns
        on county_prop64_convictions.conviction_id = list_columns.conviction_id
    left join count_columns
        on county_prop64_convictions.conviction_id = count_columns.conviction_id
)

select * from final
