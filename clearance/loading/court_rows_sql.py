"""SQL that reads a court extract one physical line at a time and checks each row in DuckDB.

A mapping's patterns, date format and spellings become literals of the statement, because DuckDB
compiles a regular expression or a date format once only when it is a constant. Python's `re`
checks the patterns when the mapping is read, and DuckDB matches them with RE2, which lacks
backreferences and lookaround.
"""

from __future__ import annotations

import re

from clearance.loading.court_mapping import (
    COURT_COLUMNS,
    DATE_COLUMNS,
    NULLABLE_DATE_COLUMNS,
    CourtMapping,
)
from clearance.loading.line_parsing import READ_PHYSICAL_LINES_SQL

# ASCII whitespace besides the space that Python's str.strip() removes. DuckDB's one-argument
# trim() removes spaces only, but took half the time of trim() with these characters (duckdb
# 2.0.1), so a row takes the slower one only when it contains one of them.
_CONTROL_WHITESPACE = "\t\n\r\x0b\x0c"
_UPPER_COLUMNS = ("court_county", "case_type", "charge_level", "disposition", "relief_status")
_REQUIRED_VALUES = ("case_number", "charge_seq", "charge_code", "disposition")
_CHARGE_PREFIXES = {"664": "attempt", "182": "conspiracy"}

READ_LINES_SQL = "create or replace temp table court_lines as\n" + READ_PHYSICAL_LINES_SQL

COUNT_ROWS_SQL = """
select
    count(*) filter (where reason is null) as rows_loaded,
    count(*) filter (where reason is not null) as rows_quarantined,
from court_checked
"""

COUNT_REASONS_SQL = """
select column_name, reason, count(*) as rows, min(line_number) as first_line_number,
from court_checked
where reason is not null
group by column_name, reason
order by first_line_number
"""

INSERT_QUARANTINE_SQL = """
insert into raw.court_quarantine (load_id, file_name, line_number, column_name, reason)
select $load_id, $file_name, line_number, column_name, reason
from court_checked
where reason is not null
order by line_number
"""

DROP_WORK_TABLES_SQL = (
    "drop table if exists court_lines",
    "drop table if exists court_parsed",
    "drop table if exists court_checked",
)


def literal(text: str) -> str:
    """Return text as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def check_rows_sql(
    mapping: CourtMapping, positions: dict[str, int], field_count: int, spans_lines: bool
) -> tuple[str, str]:
    """Return the two statements that turn court_lines into court_parsed, then court_checked.

    court_checked has one row per data row of the file: its first line number, its canonical
    values, the parts of its case number and charge code, and the reason and court column of its
    first problem, or null reason for a row to load. Rows follow Python's CSV rules: a quoted
    field may contain the delimiter, doubled quotes and line breaks. Joining lines into rows costs
    about a third of the statement, so it runs only when spans_lines is true.
    """
    delimiter = literal(mapping.delimiter)
    value_columns = ",\n        ".join(
        _value_expression(name, positions) + f" as {name}" for name in COURT_COLUMNS
    )
    date_columns = [name for name in DATE_COLUMNS if name in positions]
    parsed_dates = ",\n        ".join(
        f"strftime(try_strptime({name}, {literal(mapping.date_format)}), '%Y-%m-%d') "
        f"as parsed_{name}"
        for name in date_columns
    )
    problem_cases = "\n            ".join(_problem_cases(mapping, date_columns))
    column_names = "\n            ".join(
        f"when {literal(canonical)} then {literal(court_name)}"
        for canonical, court_name in mapping.columns.items()
    )
    final_columns = ",\n    ".join(
        f"parsed_{name} as {name}"
        if name in date_columns
        else f"upper({name}) as {name}"
        if name in _UPPER_COLUMNS
        else f"{name}"
        for name in COURT_COLUMNS
        if name != "charge_seq"
    )
    parse_statement = f"""
create or replace temp table court_parsed as
with

{_records_sql(spans_lines)}

-- The delimiter inside a quoted field becomes the marker, so the record splits on the others.
-- Splitting on quotes puts the text inside quotes at even positions.
court_fields as (
    select
        line_number,
        record,
        string_split(
            case
                when contains(record, '"') then array_to_string(
                    list_transform(
                        string_split(record, '"'),
                        lambda part, i: case
                            when i % 2 = 0 then replace(part, {delimiter}, $delimiter_marker)
                            else part
                        end
                    ),
                    '"'
                )
                else record
            end,
            {delimiter}
        ) as fields,
        regexp_matches(record, {literal(f"[{_CONTROL_WHITESPACE}]")}) as has_control_whitespace,
    from court_records
),

court_values as (
    select
        line_number,
        record,
        len(fields) as field_count,
        not regexp_matches(record, {_non_blank_pattern(mapping.delimiter)}) as is_blank,
        {value_columns},
    from court_fields
),

parsed as (
    select
        *,
        case
            when regexp_full_match(charge_seq, '[0-9]+')
                then coalesce(nullif(ltrim(charge_seq, '0'), ''), '0')
        end as charge_seq_number,
        {parsed_dates}{"," if parsed_dates else ""}
    from court_values
),

problems as (
    select
        *,
        case
            when is_blank then struct_pack(canonical := null::varchar, reason := 'blank line')
            when field_count <> {field_count} then struct_pack(
                canonical := null::varchar,
                reason := 'expected {field_count} fields, found ' || field_count
            )
            {problem_cases}
        end as problem,
    from parsed
),

-- One match of each pattern per row: group 1 is the whole match, empty when there is none.
final as (
    select
        *,
        {_pattern_match(mapping.case_number_pattern, "upper(case_number)")} as case_match,
        {_pattern_match(mapping.charge_code_pattern, "charge_code")} as charge_match,
    from problems
)

select * from final
"""
    check_statement = f"""
create or replace temp table court_checked as
with

-- The first row of a case number and charge sequence loads, and a later one is quarantined.
keyed as (
    select
        *,
        case when problem is null then min(line_number) over (
            partition by problem is null, case_number, charge_seq_number
        ) end as first_line_of_key,
    from court_parsed
),

checked as (
    select
        *,
        case
            when problem is null and first_line_of_key <> line_number then struct_pack(
                canonical := 'case_number',
                reason := 'duplicate case_number and charge_seq of line ' || first_line_of_key
            )
            else problem
        end as first_problem,
    from keyed
),

final as (
    select
        line_number,
        {final_columns},
        charge_seq_number as charge_seq,
        {_case_part_columns(mapping)},
        {_charge_part_columns(mapping)},
        case first_problem.canonical
            {column_names}
            else first_problem.canonical
        end as column_name,
        first_problem.reason as reason,
        -- Date counts for the invalid-date threshold cover every row with the right fields.
        not is_blank and field_count = {field_count} as has_fields,
        {_date_flag_columns(date_columns)}
    from checked
)

select * from final
"""
    return parse_statement, check_statement


COUNT_ODD_QUOTE_LINES_SQL = """
select count(*)
from court_lines
where line_number > 1 and (length(line) - length(replace(line, '"', ''))) % 2 = 1
"""


def _records_sql(spans_lines: bool) -> str:
    """Return CTEs ending in court_records: each data row's first line number and text."""
    if not spans_lines:
        return """court_records as (
    select
        line_number,
        coalesce(line, '') as record,
    from court_lines
    where line_number > 1
),"""
    return """quote_parity as (
    select
        line_number,
        line,
        (length(line) - length(replace(line, '"', ''))) % 2 = 1 as has_odd_quotes,
    from court_lines
    where line_number > 1
),

-- A line continues the row before it while a quote opened on an earlier line is still open,
-- that is while the lines before it hold an odd number of quotes in all.
-- NOTE: Python's reader takes a quote inside an unquoted field literally, but here it opens a
-- field, so the row runs on to the next line with an odd number of quotes and is quarantined.
row_starts as (
    select
        line_number,
        line,
        coalesce(sum(has_odd_quotes::integer) over (
            order by line_number rows between unbounded preceding and 1 preceding
        ), 0) % 2 = 0 as starts_row,
    from quote_parity
),

numbered_lines as (
    select
        line_number,
        line,
        sum(starts_row::integer) over (order by line_number) as row_order,
    from row_starts
),

court_records as (
    select
        min(line_number) as line_number,
        string_agg(coalesce(line, ''), chr(10) order by line_number) as record,
    from numbered_lines
    group by row_order
),"""


def date_share_sql(date_columns: list[str]) -> str:
    """Return the query of filled and invalid value counts and first invalid line per column."""
    counts = ",\n    ".join(
        f"count(*) filter (where has_fields and filled_{name}) as filled_{name},\n    "
        f"count(*) filter (where has_fields and invalid_{name}) as invalid_{name},\n    "
        f"min(line_number) filter (where has_fields and invalid_{name}) "
        f"as first_invalid_line_{name}"
        for name in date_columns
    )
    return f"select\n    {counts},\nfrom court_checked"


def _non_blank_pattern(delimiter: str) -> str:
    # A record of delimiters and whitespace has only empty fields, which Python's reader reads
    # as a blank row too. RE2 reads \x{...} as one character, so any delimiter is safe here.
    return literal(f"[^ {_CONTROL_WHITESPACE}\\x{{{ord(delimiter):x}}}]")


def _value_expression(name: str, positions: dict[str, int]) -> str:
    if name not in positions:
        return "null::varchar"
    field = f"fields[{positions[name] + 1}]"
    unquoted = (
        f"case when starts_with({field}, '\"') "
        f"then replace(replace({field}[2:-2], '\"\"', '\"'), $delimiter_marker, $delimiter) "
        f"else {field} end"
    )
    trimmed = (
        f"case when has_control_whitespace then trim({unquoted}, {literal(' ' + _CONTROL_WHITESPACE)}) "
        f"else trim({unquoted}) end"
    )
    return f"nullif({trimmed}, '')"


def _problem_cases(mapping: CourtMapping, date_columns: list[str]) -> list[str]:
    """Return the `when` branches of the row checks after the field count, in loader order."""
    cases = [
        f"when {name} is not null and parsed_{name} is null then struct_pack("
        f"canonical := {literal(name)}, "
        f"reason := {literal(_invalid_date_reason(mapping, name))})"
        for name in date_columns
        if name not in NULLABLE_DATE_COLUMNS
    ]
    cases += [
        f"when {name} is null then struct_pack("
        f"canonical := {literal(name)}, reason := {literal(f'missing {name}')})"
        for name in _REQUIRED_VALUES
    ]
    cases.append(
        "when charge_seq_number is null then struct_pack("
        "canonical := 'charge_seq', reason := 'charge_seq is not a whole number')"
    )
    return cases


def insert_field_warnings_sql(mapping: CourtMapping, date_columns: list[str]) -> str | None:
    """Return the insert of one raw.court_field_warnings row per nulled date of a loaded row.

    Returns None when the file has no nullable date column.
    """
    selects = [
        f"select line_number, {literal(mapping.columns[name])} as column_name, "
        f"{literal(_invalid_date_reason(mapping, name) + '; loaded as empty')} as reason\n"
        f"from court_checked\nwhere reason is null and invalid_{name}"
        for name in date_columns
        if name in NULLABLE_DATE_COLUMNS
    ]
    if not selects:
        return None
    union = "\nunion all\n".join(selects)
    return f"""
insert into raw.court_field_warnings (load_id, file_name, line_number, column_name, reason)
select $load_id, $file_name, line_number, column_name, reason
from (
{union}
)
order by line_number, column_name
"""


def _invalid_date_reason(mapping: CourtMapping, name: str) -> str:
    return f"invalid date in {name}: expected {mapping.date_format}"


def _date_flag_columns(date_columns: list[str]) -> str:
    flags = [
        f"{name} is not null as filled_{name},\n        "
        f"{name} is not null and parsed_{name} is null as invalid_{name},"
        for name in date_columns
    ]
    return "\n        ".join(flags)


def _pattern_match(pattern: str, text: str) -> str:
    # Python's fullmatch anchors both ends. The outer group shifts every group number by one.
    group_count = re.compile(pattern).groups
    names = ", ".join(f"'group_{number}'" for number in range(1, group_count + 2))
    return f"regexp_extract({text}, {literal(f'^((?:{pattern}))$')}, [{names}])"


def _group(match: str, pattern: str, name: str) -> str:
    number = re.compile(pattern).groupindex[name] + 1
    return f"nullif({match}.group_{number}, '')"


def _case_part_columns(mapping: CourtMapping) -> str:
    pattern = mapping.case_number_pattern
    matched = "case_match.group_1 <> ''"
    level = _lookup(_group("case_match", pattern, "type"), mapping.case_types)
    year = _group("case_match", pattern, "year")
    serial = _group("case_match", pattern, "serial")
    return (
        f"case when {matched} then {level} end as case_level,\n        "
        f"case when {matched} then {year} end as case_year,\n        "
        f"case when regexp_full_match({serial}, '[0-9]+') "
        f"then coalesce(nullif(ltrim({serial}, '0'), ''), '0') end as case_serial"
    )


def _charge_part_columns(mapping: CourtMapping) -> str:
    pattern = mapping.charge_code_pattern
    groups = re.compile(pattern).groupindex
    matched = "charge_match.group_1 <> ''"
    prefix = (
        _lookup(_group("charge_match", pattern, "prefix"), _CHARGE_PREFIXES)
        if "prefix" in groups
        else "null::varchar"
    )
    book = _group("charge_match", pattern, "book")
    subsection = (
        f"upper({_group('charge_match', pattern, 'subsection')})"
        if "subsection" in groups
        else "null::varchar"
    )
    return (
        f"case when {matched} then {prefix} end as charge_prefix,\n        "
        f"case when {matched} then coalesce({_lookup(book, mapping.books)}, {book}) end "
        "as charge_book,\n        "
        f"case when {matched} then {_group('charge_match', pattern, 'section')} end "
        "as charge_section,\n        "
        f"case when {matched} then {subsection} end as charge_subsection"
    )


def _lookup(expression: str, values: dict[str, str]) -> str:
    if not values:
        return "null::varchar"
    branches = " ".join(
        f"when {literal(key)} then {literal(value)}" for key, value in values.items()
    )
    return f"case {expression} {branches} end"
