{#- A view: int_policy_decisions works the checks out inside its own query, twice, which took
    1.3 s where writing them as a table and reading it back took 1.8 to 1.9 s (1,000,000-row
    benchmark file, 2 cores, duckdb 2.0.1). `clearance explain` reads them through
    fct_decision_trails for one subject, in about 0.3 s on that file.
    NOTE: the view reads the current run's rules when queried. After a run whose build failed,
    they can be newer than the tables it joins, as the tables of a half-built run already can. -#}
{{ config(materialized='view') }}

{#- The columns that identify a rule check and carry the rule's settings. -#}
{%- set rule_columns = [
    'conviction_id', 'subject_id', 'section', 'policy_name', 'policy_role', 'policy_order',
    'policy_scope', 'rule_number', 'rule_id', 'rule_predicate', 'determination',
    'reason_template', 'grants_relief', 'note_template',
] -%}

with

conviction_facts as (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

policy_rules as (
    select * from {{ ref('stg_clearance__policy_rules') }}
),

-- A rule is one predicate, or `all` with a list of conditions in its parameters. Each condition
-- becomes its own row here, numbered from 1; a single predicate is condition 1.
single_conditions as (
    select
        policy_rules.*,
        1 as condition_number,
        policy_rules.predicate as condition_predicate,
        policy_rules.parameters as condition_parameters,
    from policy_rules
    where policy_rules.predicate <> 'all'
),

condition_indexes as (
    select
        policy_rules.*,
        unnest(range(json_array_length(policy_rules.parameters, '$.conditions')::bigint)) as condition_index,
    from policy_rules
    where policy_rules.predicate = 'all'
),

listed_conditions as (
    select
        condition_indexes.* exclude (condition_index),
        condition_indexes.condition_index + 1 as condition_number,
        json_extract_string(
            condition_indexes.parameters, '$.conditions[' || condition_indexes.condition_index || '].predicate'
        ) as condition_predicate,
        json_extract(
            condition_indexes.parameters, '$.conditions[' || condition_indexes.condition_index || '].parameters'
        )::varchar as condition_parameters,
    from condition_indexes
),

rule_conditions as (
    select * from single_conditions
    union all by name
    select * from listed_conditions
),

-- Every condition of every rule of every policy is checked against every conviction in one
-- pass, and int_policy_decisions then picks the first rule that applies.
conviction_conditions as (
    select
        conviction_facts.*,
        rule_conditions.policy_name,
        rule_conditions.policy_role,
        rule_conditions.policy_order,
        rule_conditions.policy_scope,
        rule_conditions.rule_number,
        rule_conditions.rule_id,
        rule_conditions.predicate as rule_predicate,
        rule_conditions.determination,
        rule_conditions.reason_template,
        rule_conditions.grants_relief,
        json_extract_string(rule_conditions.parameters, '$.note') as note_template,
        rule_conditions.condition_number,
        rule_conditions.condition_predicate,
        rule_conditions.condition_parameters,
    from conviction_facts
    cross join rule_conditions
),

condition_checks as (
    select
        conviction_id,
        subject_id,
        section,
        policy_name,
        policy_role,
        policy_order,
        policy_scope,
        rule_number,
        rule_id,
        rule_predicate,
        determination,
        reason_template,
        grants_relief,
        note_template,
        condition_number,
        {{ predicate_check_columns('condition_predicate', 'condition_parameters') }},
    from conviction_conditions
),

-- A rule of one predicate is its condition's check. Only `all` rules need the aggregate below,
-- which on a million-line file cost about 1 s when every rule went through it.
single_checks as (
    select
        {% for column in rule_columns -%}
        {{ column }},
        {% endfor -%}
        result,
        fact,
        missing_fact,
    from condition_checks
    where rule_predicate <> 'all'
),

-- A rule holds when every condition holds and fails when one fails, whatever the others are.
-- Its fact is the failing condition's when it fails, else every condition's.
all_checks as (
    select
        {% for column in rule_columns -%}
        {{ column }},
        {% endfor -%}
        case
            when bool_or(result = 'false') then 'false'
            when bool_and(result = 'true') then 'true'
            else 'unknown'
        end as result,
        case
            when bool_or(result = 'false') then arg_min(fact, condition_number) filter (where result = 'false')
            else string_agg(fact, '; ' order by condition_number)
        end as fact,
        arg_min(missing_fact, condition_number) filter (where result = 'unknown') as missing_fact,
    from condition_checks
    where rule_predicate = 'all'
    group by all
),

checks as (
    select * exclude (rule_predicate), rule_predicate as predicate, from single_checks
    union all by name
    select * exclude (rule_predicate), rule_predicate as predicate, from all_checks
),

final as (
    select
        conviction_id || ':' || policy_name || ':' || rule_number as rule_check_id,
        conviction_id,
        subject_id,
        section,
        policy_name,
        policy_role,
        policy_order,
        policy_scope,
        rule_number,
        rule_id,
        predicate,
        determination,
        reason_template,
        grants_relief,
        note_template,
        result,
        fact,
        case when result = 'unknown' then missing_fact end as missing_fact,
    from checks
)

select * from final
