-- One DuckDB thread for this model: with two, the hash joins of its final select ran out of
-- memory under a 2 GB limit on a 5,000,000-row run (12.9 s single-threaded, duckdb 2.0.1).
{{ config(pre_hook="set threads = 1", post_hook="reset threads") }}

with

-- Several CTEs read this one, and DuckDB would otherwise copy every column of every row into
-- memory first, which ran out of memory under a 2 GB limit on a 5,000,000-row run.
doj_rows as not materialized (
    select * from {{ ref('stg_doj__rows') }}
),

clearance_run as (
    select * from {{ ref('stg_clearance__run') }}
),

list_matches as (
    select * from {{ ref('int_conviction_list_matches') }}
),

-- A count repeated on several rows is one conviction: its first row in input order counts.
-- The first row is found by an aggregate and a join on row_order, not by a window over every
-- column: both of these can spill to disk, and the window held millions of wide rows in memory,
-- which ran out of memory under a 2 GB limit on a 5,000,000-row run.
first_row_orders as (
    select
        subject_id,
        cnt_order,
        min(row_order) as row_order,
    from doj_rows
    where is_conviction
    group by subject_id, cnt_order
),

first_rows as not materialized (
    select
        doj_rows.subject_id,
        doj_rows.cnt_order,
        doj_rows.row_order,
        doj_rows.load_id,
        doj_rows.line_number,
        doj_rows.cycle_number,
        doj_rows.case_number,
        doj_rows.stp_ori_cnty_name,
        doj_rows.level,
        doj_rows.offense_text,
        doj_rows.statute_book,
        doj_rows.section,
        doj_rows.subsections,
        doj_rows.attempt_prefix,
        doj_rows.book_flag,
        doj_rows.is_prop64,
        doj_rows.sentence_signature,
        doj_rows.stp_event_date_start,
        doj_rows.stp_event_date_end,
        doj_rows.stp_event_date_precision,
        doj_rows.disp_date_start,
        doj_rows.disp_date_end,
        doj_rows.disp_date_precision,
        doj_rows.cyc_date_start,
        doj_rows.cyc_date_end,
        doj_rows.cyc_date_precision,
    from doj_rows
    inner join first_row_orders
        on doj_rows.row_order = first_row_orders.row_order
),

count_rows as (
    select
        doj_rows.subject_id,
        doj_rows.cnt_order,
        doj_rows.row_order,
        doj_rows.row_signature,
        doj_rows.sentence_length,
        doj_rows.sentence_unit,
        doj_rows.possible_other_p64,
        -- Rows equal to the first row outside the SENT_* columns are parts of one sentence.
        doj_rows.sentence_signature = first_rows.sentence_signature as is_sentence_part,
    from doj_rows
    inner join first_rows
        on doj_rows.subject_id = first_rows.subject_id
        and doj_rows.cnt_order = first_rows.cnt_order
),

sentence_parts as (
    -- Rows equal in every column are one part written twice, so they do not lengthen the sentence.
    select
        subject_id,
        cnt_order,
        row_signature,
        any_value(sentence_length) as sentence_length,
        any_value(sentence_unit) as sentence_unit,
    from count_rows
    where is_sentence_part
    group by subject_id, cnt_order, row_signature
),

sentence_part_checks as (
    select
        subject_id,
        cnt_order,
        sentence_length,
        sentence_unit,
        (sentence_length is null) <> (sentence_unit is null)
        or coalesce(sentence_unit not in ('D', 'M', 'Y'), false)
        or coalesce(sentence_length < 0 or sentence_length <> floor(sentence_length), false) as is_unreadable,
    from sentence_parts
),

sentence_totals as (
    select
        subject_id,
        cnt_order,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'Y'), 0) as integer) as sentence_years,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'M'), 0) as integer) as sentence_months,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'D'), 0) as integer) as sentence_days,
        bool_or(is_unreadable) as has_unknown_sentence_part,
    from sentence_part_checks
    group by subject_id, cnt_order
),

repeat_checks as (
    select
        subject_id,
        cnt_order,
        bool_or(not is_sentence_part) as has_conflicting_repeat,
    from count_rows
    group by subject_id, cnt_order
),

possible_other_p64_comments as (
    select
        subject_id,
        cnt_order,
        possible_other_p64,
        min(row_order) as first_row_order,
    from count_rows
    where possible_other_p64 is not null
    group by subject_id, cnt_order, possible_other_p64
),

possible_other_p64_texts as (
    select
        subject_id,
        cnt_order,
        string_agg(possible_other_p64, '; ' order by first_row_order) as possible_other_p64,
    from possible_other_p64_comments
    group by subject_id, cnt_order
),

court_action_ofns as (
    select
        subject_id,
        case_number,
        ofn,
        min(row_order) as first_row_order,
    from doj_rows
    where stp_type_descr = 'COURT ACTION' and ofn is not null
    group by subject_id, case_number, ofn
),

court_case_numbers as (
    select
        subject_id,
        case_number,
        string_agg(ofn, '; ' order by first_row_order) as case_numbers,
    from court_action_ofns
    group by subject_id, case_number
),

list_flags as (
    select
        subject_id,
        cnt_order,
        bool_or(list_name = 'super_strike') as is_super_strike,
        bool_or(list_name = 'possible_super_strike') as is_possible_super_strike,
        bool_or(list_name = 'pc290') as is_pc290_offense,
        bool_or(list_name = 'possible_pc290') as is_possible_pc290_offense,
        bool_or(list_name = 'la2019_super_strike') as is_la2019_super_strike,
        bool_or(list_name = 'la2019_pc290') as is_la2019_pc290_offense,
        bool_or(list_name = 'related_charge') as is_related_charge,
    from list_matches
    group by subject_id, cnt_order
),

conviction_dates as (
    select
        subject_id,
        cnt_order,
        {{ date_range_with_fallback('stp_event_date', 'disp_date', 'disposition_date') }},
    from first_rows
),

conviction_dates_with_conduct as (
    select
        conviction_dates.*,
        {{ date_range_with_fallback('first_rows.cyc_date', 'conviction_dates.disposition_date', 'conduct_date') }},
    from conviction_dates
    inner join first_rows
        on conviction_dates.subject_id = first_rows.subject_id
        and conviction_dates.cnt_order = first_rows.cnt_order
),

sentence_ends as (
    -- Parts are summed per unit and added as calendar intervals (years, then months, then days),
    -- so 6 months from 31 August ends on the last day of February.
    select
        conviction_dates_with_conduct.subject_id,
        conviction_dates_with_conduct.cnt_order,
        cast(
            conviction_dates_with_conduct.disposition_date_start
            + to_years(sentence_totals.sentence_years)
            + to_months(sentence_totals.sentence_months)
            + to_days(sentence_totals.sentence_days)
            as date
        ) as sentence_end_date_start,
        cast(
            conviction_dates_with_conduct.disposition_date_end
            + to_years(sentence_totals.sentence_years)
            + to_months(sentence_totals.sentence_months)
            + to_days(sentence_totals.sentence_days)
            as date
        ) as sentence_end_date_end,
        sentence_totals.has_unknown_sentence_part,
    from conviction_dates_with_conduct
    inner join sentence_totals
        on conviction_dates_with_conduct.subject_id = sentence_totals.subject_id
        and conviction_dates_with_conduct.cnt_order = sentence_totals.cnt_order
),

final as (
    select
        first_rows.subject_id || '-' || first_rows.cnt_order as conviction_id,
        first_rows.subject_id,
        first_rows.cnt_order,
        first_rows.cycle_number,
        first_rows.case_number,
        first_rows.row_order as first_row_order,
        first_rows.load_id as first_load_id,
        first_rows.line_number as first_line_number,
        first_rows.stp_ori_cnty_name as county,
        coalesce(first_rows.stp_ori_cnty_name = clearance_run.county, false) as is_in_run_county,
        first_rows.level,
        first_rows.level = 'FELONY' as is_felony,
        first_rows.offense_text,
        first_rows.statute_book,
        first_rows.section,
        first_rows.subsections,
        first_rows.attempt_prefix,
        first_rows.book_flag,
        coalesce(first_rows.is_prop64, false) as is_prop64,
        case when first_rows.is_prop64 then first_rows.section end as prop64_section,
        conviction_dates_with_conduct.disposition_date_start,
        conviction_dates_with_conduct.disposition_date_end,
        conviction_dates_with_conduct.disposition_date_precision,
        conviction_dates_with_conduct.conduct_date_start,
        conviction_dates_with_conduct.conduct_date_end,
        conviction_dates_with_conduct.conduct_date_precision,
        case
            when not sentence_ends.has_unknown_sentence_part
                then sentence_ends.sentence_end_date_start - conviction_dates_with_conduct.disposition_date_start
        end as sentence_days_total,
        case when not sentence_ends.has_unknown_sentence_part then sentence_ends.sentence_end_date_start end
            as sentence_end_date_start,
        case when not sentence_ends.has_unknown_sentence_part then sentence_ends.sentence_end_date_end end
            as sentence_end_date_end,
        sentence_ends.has_unknown_sentence_part,
        court_case_numbers.case_numbers,
        repeat_checks.has_conflicting_repeat,
        possible_other_p64_texts.possible_other_p64,
        coalesce(list_flags.is_super_strike, false) as is_super_strike,
        coalesce(list_flags.is_possible_super_strike, false) as is_possible_super_strike,
        coalesce(list_flags.is_pc290_offense, false) as is_pc290_offense,
        coalesce(list_flags.is_possible_pc290_offense, false) as is_possible_pc290_offense,
        coalesce(list_flags.is_la2019_super_strike, false) as is_la2019_super_strike,
        coalesce(list_flags.is_la2019_pc290_offense, false) as is_la2019_pc290_offense,
        coalesce(list_flags.is_related_charge, false) as is_related_charge,
    from first_rows
    left join clearance_run on true
    inner join conviction_dates_with_conduct
        on first_rows.subject_id = conviction_dates_with_conduct.subject_id
        and first_rows.cnt_order = conviction_dates_with_conduct.cnt_order
    inner join sentence_ends
        on first_rows.subject_id = sentence_ends.subject_id
        and first_rows.cnt_order = sentence_ends.cnt_order
    inner join repeat_checks
        on first_rows.subject_id = repeat_checks.subject_id
        and first_rows.cnt_order = repeat_checks.cnt_order
    left join court_case_numbers
        on first_rows.subject_id = court_case_numbers.subject_id
        and first_rows.case_number = court_case_numbers.case_number
    left join possible_other_p64_texts
        on first_rows.subject_id = possible_other_p64_texts.subject_id
        and first_rows.cnt_order = possible_other_p64_texts.cnt_order
    left join list_flags
        on first_rows.subject_id = list_flags.subject_id
        and first_rows.cnt_order = list_flags.cnt_order
)

select * from final
