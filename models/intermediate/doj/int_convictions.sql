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
-- which ran out of memory under a 2 GB limit on a 5,000,000-row run. The aggregates below are
-- keyed on that first row_order, an integer, so that they group and join on it instead of on
-- two strings.
first_row_orders as (
    select
        subject_id,
        cnt_order,
        min(row_order) as row_order,
        -- arg_min would skip a null value and take the next row's.
        arg_min_null(sentence_signature, row_order) as sentence_signature,
        arg_min_null(case_number, row_order) as case_number,
    from doj_rows
    where is_conviction
    group by subject_id, cnt_order
),

-- Every row of a conviction's count, the non-conviction rows of the same count included. It is
-- not materialized, because the comment CTEs read only the rows with a comment, so they repeat
-- the join on those few rows instead of keeping every row in memory.
count_rows as not materialized (
    select
        first_row_orders.row_order as first_row_order,
        doj_rows.row_order,
        doj_rows.row_signature,
        doj_rows.sentence_length,
        doj_rows.sentence_unit,
        doj_rows.possible_other_p64,
        -- Rows equal to the first row outside the SENT_* columns are parts of one sentence.
        doj_rows.sentence_signature = first_row_orders.sentence_signature as is_sentence_part,
    from doj_rows
    inner join first_row_orders
        on doj_rows.subject_id = first_row_orders.subject_id
        and doj_rows.cnt_order = first_row_orders.cnt_order
),

distinct_count_rows as (
    -- Rows equal in every column are one part written twice, so they do not lengthen the sentence.
    select
        first_row_order,
        row_signature,
        is_sentence_part,
        any_value(sentence_length) as sentence_length,
        any_value(sentence_unit) as sentence_unit,
    from count_rows
    group by first_row_order, row_signature, is_sentence_part
),

sentence_part_checks as (
    select
        first_row_order,
        is_sentence_part,
        case when is_sentence_part then sentence_length end as sentence_length,
        case when is_sentence_part then sentence_unit end as sentence_unit,
        is_sentence_part and (
            (sentence_length is null) <> (sentence_unit is null)
            or coalesce(sentence_unit not in ('D', 'M', 'Y'), false)
            or coalesce(sentence_length < 0 or sentence_length <> floor(sentence_length), false)
        ) as is_unreadable,
    from distinct_count_rows
),

-- The first row is always a sentence part, so every conviction has a row here.
count_summaries as (
    select
        first_row_order,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'Y'), 0) as integer) as sentence_years,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'M'), 0) as integer) as sentence_months,
        cast(coalesce(sum(sentence_length) filter (where sentence_unit = 'D'), 0) as integer) as sentence_days,
        bool_or(is_unreadable) as has_unknown_sentence_part,
        bool_or(not is_sentence_part) as has_conflicting_repeat,
    from sentence_part_checks
    group by first_row_order
),

possible_other_p64_comments as (
    select
        first_row_order,
        possible_other_p64,
        min(row_order) as first_comment_row_order,
    from count_rows
    where possible_other_p64 is not null
    group by first_row_order, possible_other_p64
),

possible_other_p64_texts as (
    select
        first_row_order,
        string_agg(possible_other_p64, '; ' order by first_comment_row_order) as possible_other_p64,
    from possible_other_p64_comments
    group by first_row_order
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
    -- Sorting a list of (first row, OFN) pairs gives the order of string_agg(ofn order by the
    -- first row) at about two thirds of its cost in DuckDB 2.0.1. No two pairs share a first
    -- row, so the sort never compares OFNs.
    select
        subject_id,
        case_number,
        array_to_string(
            list_transform(list_sort(list(struct_pack(first_row_order, ofn))), lambda pair: pair.ofn), '; '
        ) as case_numbers,
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

-- Everything found per conviction, joined on the narrow keys before the wide first rows.
-- Materialized, because otherwise DuckDB's join order optimizer moved the join of the wide
-- rows below these joins and built hash tables of the wide rows. On the 1,000,000-row
-- benchmark file that took 0.5 s more CPU, and 1,014 MB instead of 421 MB at the peak.
conviction_summaries as materialized (
    select
        first_row_orders.row_order,
        count_summaries.sentence_years,
        count_summaries.sentence_months,
        count_summaries.sentence_days,
        count_summaries.has_unknown_sentence_part,
        count_summaries.has_conflicting_repeat,
        court_case_numbers.case_numbers,
        possible_other_p64_texts.possible_other_p64,
        coalesce(list_flags.is_super_strike, false) as is_super_strike,
        coalesce(list_flags.is_possible_super_strike, false) as is_possible_super_strike,
        coalesce(list_flags.is_pc290_offense, false) as is_pc290_offense,
        coalesce(list_flags.is_possible_pc290_offense, false) as is_possible_pc290_offense,
        coalesce(list_flags.is_la2019_super_strike, false) as is_la2019_super_strike,
        coalesce(list_flags.is_la2019_pc290_offense, false) as is_la2019_pc290_offense,
        coalesce(list_flags.is_related_charge, false) as is_related_charge,
    from first_row_orders
    inner join count_summaries
        on first_row_orders.row_order = count_summaries.first_row_order
    left join court_case_numbers
        on first_row_orders.subject_id = court_case_numbers.subject_id
        and first_row_orders.case_number = court_case_numbers.case_number
    left join possible_other_p64_texts
        on first_row_orders.row_order = possible_other_p64_texts.first_row_order
    left join list_flags
        on first_row_orders.subject_id = list_flags.subject_id
        and first_row_orders.cnt_order = list_flags.cnt_order
),

-- A first row is always a conviction row, so the filter only shrinks the join's probe side.
first_rows as (
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
        doj_rows.cyc_date_start,
        doj_rows.cyc_date_end,
        doj_rows.cyc_date_precision,
        {{ date_range_with_fallback('doj_rows.stp_event_date', 'doj_rows.disp_date', 'disposition_date') }},
        conviction_summaries.* exclude (row_order),
    from doj_rows
    inner join conviction_summaries
        on doj_rows.row_order = conviction_summaries.row_order
    where doj_rows.is_conviction
),

first_rows_with_conduct as (
    select
        first_rows.*,
        {{ date_range_with_fallback('first_rows.cyc_date', 'first_rows.disposition_date', 'conduct_date') }},
    from first_rows
),

sentence_ends as (
    -- Parts are summed per unit and added as calendar intervals (years, then months, then days),
    -- so 6 months from 31 August ends on the last day of February.
    select
        *,
        cast(
            disposition_date_start + to_years(sentence_years) + to_months(sentence_months) + to_days(sentence_days)
            as date
        ) as sentence_end_date_start,
        cast(
            disposition_date_end + to_years(sentence_years) + to_months(sentence_months) + to_days(sentence_days)
            as date
        ) as sentence_end_date_end,
    from first_rows_with_conduct
),

final as (
    select
        sentence_ends.subject_id || '-' || sentence_ends.cnt_order as conviction_id,
        sentence_ends.subject_id,
        sentence_ends.cnt_order,
        sentence_ends.cycle_number,
        sentence_ends.case_number,
        sentence_ends.row_order as first_row_order,
        sentence_ends.load_id as first_load_id,
        sentence_ends.line_number as first_line_number,
        sentence_ends.stp_ori_cnty_name as county,
        coalesce(sentence_ends.stp_ori_cnty_name = clearance_run.county, false) as is_in_run_county,
        sentence_ends.level,
        sentence_ends.level = 'FELONY' as is_felony,
        sentence_ends.offense_text,
        sentence_ends.statute_book,
        sentence_ends.section,
        sentence_ends.subsections,
        sentence_ends.attempt_prefix,
        sentence_ends.book_flag,
        coalesce(sentence_ends.is_prop64, false) as is_prop64,
        case when sentence_ends.is_prop64 then sentence_ends.section end as prop64_section,
        sentence_ends.disposition_date_start,
        sentence_ends.disposition_date_end,
        sentence_ends.disposition_date_precision,
        sentence_ends.conduct_date_start,
        sentence_ends.conduct_date_end,
        sentence_ends.conduct_date_precision,
        case
            when not sentence_ends.has_unknown_sentence_part
                then sentence_ends.sentence_end_date_start - sentence_ends.disposition_date_start
        end as sentence_days_total,
        case when not sentence_ends.has_unknown_sentence_part then sentence_ends.sentence_end_date_start end
            as sentence_end_date_start,
        case when not sentence_ends.has_unknown_sentence_part then sentence_ends.sentence_end_date_end end
            as sentence_end_date_end,
        sentence_ends.has_unknown_sentence_part,
        sentence_ends.case_numbers,
        sentence_ends.has_conflicting_repeat,
        sentence_ends.possible_other_p64,
        sentence_ends.is_super_strike,
        sentence_ends.is_possible_super_strike,
        sentence_ends.is_pc290_offense,
        sentence_ends.is_possible_pc290_offense,
        sentence_ends.is_la2019_super_strike,
        sentence_ends.is_la2019_pc290_offense,
        sentence_ends.is_related_charge,
    from sentence_ends
    left join clearance_run on true
)

select * from final
