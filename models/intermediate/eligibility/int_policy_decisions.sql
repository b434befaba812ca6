with

-- Two CTEs read the checks, a view, and working them out twice costs less than buffering them.
rule_checks as not materialized (
    select * from {{ ref('int_rule_checks') }}
),

conviction_facts as (
    select * from {{ ref('int_prop64_conviction_facts') }}
),

-- The first rule that applies decides. Missing and uncertain facts never grant relief: a rule
-- that grants relief on an unknown fact is skipped, and one that withholds relief on an unknown
-- fact cannot be ruled out, so it decides, as a hand review. A narrow aggregate finds the
-- deciding rule and the checks that may be skipped before it, and a join on the rule number then
-- reads the deciding check. On the 1,000,000-row benchmark file (DuckDB 2.0.1) the two took
-- 0.4 s of CPU, where a window over the wide checks, or arg_min of them, took 0.7 s.
policy_checks as (
    select
        conviction_id,
        policy_name,
        min(rule_number) filter (where result = 'true' or (result = 'unknown' and not grants_relief))
            as deciding_rule_number,
        list(struct_pack(rule_number, rule_id, fact)) filter (where result = 'unknown' and grants_relief)
            as unknown_relief_checks,
    from rule_checks
    group by conviction_id, policy_name
),

deciding_checks as (
    select
        rule_checks.*,
        policy_checks.unknown_relief_checks,
    from rule_checks
    inner join policy_checks
        on rule_checks.conviction_id = policy_checks.conviction_id
        and rule_checks.policy_name = policy_checks.policy_name
        and rule_checks.rule_number = policy_checks.deciding_rule_number
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
        list_sort(
            list_filter(
                deciding_checks.unknown_relief_checks,
                lambda rule_check: rule_check.rule_number < deciding_checks.rule_number
            )
        ) as skipped_checks,
    from deciding_checks
),

decisions_with_skipped_rules as (
    select
        decisions.* exclude (skipped_checks),
        coalesce(len(decisions.skipped_checks), 0) as skipped_rule_count,
        case
            when len(decisions.skipped_checks) > 0
                then array_to_string(
                    list_transform(
                        decisions.skipped_checks,
                        lambda rule_check: 'rule ' || rule_check.rule_number || ' ' || rule_check.rule_id || ' skipped: ' || rule_check.fact
                    ),
                    '; '
                )
        end as skipped_rules,
    from decisions
),

final as (
    select
        decisions_with_skipped_rules.conviction_id || ':' || decisions_with_skipped_rules.policy_name as policy_decision_id,
        decisions_with_skipped_rules.conviction_id,
        conviction_facts.subject_id,
        conviction_facts.subject_key,
        conviction_facts.cnt_order,
        decisions_with_skipped_rules.policy_name,
        decisions_with_skipped_rules.policy_role,
        decisions_with_skipped_rules.policy_order,
        decisions_with_skipped_rules.policy_scope,
        decisions_with_skipped_rules.rule_number,
        decisions_with_skipped_rules.rule_id,
        decisions_with_skipped_rules.determination,
        decisions_with_skipped_rules.reason,
        decisions_with_skipped_rules.grants_relief,
        decisions_with_skipped_rules.decision_fact,
        decisions_with_skipped_rules.decision_note,
        decisions_with_skipped_rules.skipped_rule_count,
        decisions_with_skipped_rules.skipped_rules,
    from decisions_with_skipped_rules
    inner join conviction_facts
        on decisions_with_skipped_rules.conviction_id = conviction_facts.conviction_id
)

select * from final
