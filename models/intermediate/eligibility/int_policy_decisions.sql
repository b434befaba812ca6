with

rule_checks as (
    select * from {{ ref('int_rule_checks') }}
),

conviction_facts as (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

-- The first rule that applies decides. Missing and uncertain facts never grant relief: a rule
-- that grants relief on an unknown fact is skipped, and one that withholds relief on an unknown
-- fact cannot be ruled out, so it decides, as a hand review.
deciding_checks as (
    select *
    from rule_checks
    where rule_checks.result = 'true'
        or (rule_checks.result = 'unknown' and not rule_checks.grants_relief)
    qualify row_number() over (
        partition by rule_checks.conviction_id, rule_checks.policy_name
        order by rule_checks.rule_number
    ) = 1
),

skipped_rules as (
    select
        rule_checks.conviction_id,
        rule_checks.policy_name,
        count(*) as skipped_rule_count,
        string_agg(
            'rule ' || rule_checks.rule_number || ' ' || rule_checks.rule_id
            || ' skipped: ' || rule_checks.fact,
            '; '
            order by rule_checks.rule_number
        ) as skipped_rules,
    from rule_checks
    inner join deciding_checks
        on rule_checks.conviction_id = deciding_checks.conviction_id
        and rule_checks.policy_name = deciding_checks.policy_name
        and rule_checks.rule_number < deciding_checks.rule_number
    where rule_checks.result = 'unknown' and rule_checks.grants_relief
    group by rule_checks.conviction_id, rule_checks.policy_name
),

decisions as (
    select
        deciding_checks.conviction_id,
        deciding_checks.policy_name,
        deciding_checks.policy_role,
        deciding_checks.policy_order,
        deciding_checks.policy_scope,
        deciding_checks.rule_number,
        deciding_checks.rule_id,
        deciding_checks.result = 'true' and deciding_checks.grants_relief as grants_relief,
        case
            when deciding_checks.result = 'unknown' then 'Hand Review'
            else deciding_checks.determination
        end as determination,
        case
            when deciding_checks.result = 'unknown' then 'Missing fact: ' || deciding_checks.missing_fact
            else replace(deciding_checks.reason_template, '{section}', coalesce(deciding_checks.section, ''))
        end as reason,
        deciding_checks.fact as decision_fact,
        case
            when deciding_checks.result = 'true'
                then replace(deciding_checks.note_template, '{section}', coalesce(deciding_checks.section, ''))
        end as decision_note,
    from deciding_checks
),

final as (
    select
        decisions.conviction_id || ':' || decisions.policy_name as policy_decision_id,
        decisions.conviction_id,
        conviction_facts.subject_id,
        conviction_facts.subject_key,
        conviction_facts.cnt_order,
        decisions.policy_name,
        decisions.policy_role,
        decisions.policy_order,
        decisions.policy_scope,
        decisions.rule_number,
        decisions.rule_id,
        decisions.determination,
        decisions.reason,
        decisions.grants_relief,
        decisions.decision_fact,
        decisions.decision_note,
        coalesce(skipped_rules.skipped_rule_count, 0) as skipped_rule_count,
        skipped_rules.skipped_rules,
    from decisions
    inner join conviction_facts
        on decisions.conviction_id = conviction_facts.conviction_id
    left join skipped_rules
        on decisions.conviction_id = skipped_rules.conviction_id
        and decisions.policy_name = skipped_rules.policy_name
)

select * from final
