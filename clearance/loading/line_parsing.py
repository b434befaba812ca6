"""SQL that reads a DOJ file one physical line at a time and splits each line into its fields.

DuckDB's CSV reader is not used to split fields: with an unterminated quote it can swallow the
following lines, and its sniffer fails on messy files. Each line is read as one text column
instead, numbered, checked, then split in SQL with no Python loop per row.
"""

from __future__ import annotations

from clearance.doj_layout import DOJ_COLUMNS

FIELD_COUNT = len(DOJ_COLUMNS)

# One CSV field: a quoted field whose inner quotes are doubled, or an unquoted field without
# commas or quotes. A line with any double quote must be a comma-separated run of these.
_FIELD_PATTERN = r'(?:"(?:[^"]|"")*"|[^,"]*)'
QUOTED_LINE_PATTERN = f"{_FIELD_PATTERN}(?:,{_FIELD_PATTERN})*"

# The delimiter is a control byte absent from the file, so DuckDB returns each line whole. Quote,
# escape and comment are off, so no character of the line is interpreted. The reader is
# single-threaded so that row_number() follows the file's line order.
READ_LINES_SQL = r"""
create or replace temp table doj_lines as
select
    row_number() over () as line_number,
    line,
from read_csv(
    $path,
    auto_detect = false,
    header = false,
    columns = {'line': 'VARCHAR'},
    delim = $delimiter,
    quote = '',
    escape = '',
    comment = '',
    new_line = $new_line,
    encoding = $encoding,
    max_line_size = $max_line_size,
    parallel = false,
    strict_mode = false
)
"""

# The quoted-line split relies on parity: every double quote toggles between outside and inside a
# quoted field (a doubled quote toggles twice), so the even-numbered parts of a split on '"' are
# inside quotes. Their commas are swapped for the delimiter byte, which the file never contains,
# before splitting on commas, and swapped back once the field's quotes are removed.
PARSE_LINES_SQL = r"""
create or replace temp table doj_parsed as
with

data_lines as (
    select
        line_number,
        case
            when line_number = 1 and $bom_text <> '' and starts_with(line, $bom_text)
                then substr(line, length($bom_text) + 1)
            else line
        end as line,
    from doj_lines
    where line_number > $header_lines
),

shape_checks as (
    select
        line_number,
        line,
        case
            when line is null or trim(line, chr(32) || chr(9)) = '' then 'blank line'
            when contains(line, chr(0)) then 'NUL byte in line'
            when contains(line, $carriage_return_marker) then 'carriage return inside line'
            when starts_with(line, 'RECORD_ID,') then 'header row repeated inside the file'
            when not contains(line, '"') then null
            when (length(line) - length(replace(line, '"', ''))) % 2 = 1
                then 'unbalanced double quote'
            when not regexp_full_match(line, $quoted_line_pattern)
                then 'double quote inside an unquoted field'
        end as shape_problem,
    from data_lines
),

split_fields as (
    select
        line_number,
        shape_problem,
        case
            when shape_problem is not null then null
            when not contains(line, '"') then string_split(line, ',')
            else list_transform(
                string_split(
                    array_to_string(
                        list_transform(
                            string_split(line, '"'),
                            lambda part, i: case
                                when i % 2 = 0 then replace(part, ',', $delimiter)
                                else part
                            end
                        ),
                        '"'
                    ),
                    ','
                ),
                lambda field: case
                    when starts_with(field, '"')
                        then replace(replace(field[2:-2], '""', '"'), $delimiter, ',')
                    else field
                end
            )
        end as fields,
    from shape_checks
),

final as (
    select
        line_number,
        coalesce(
            shape_problem,
            case
                when len(fields) <> $field_count
                    then 'expected ' || $field_count || ' fields, found ' || len(fields)
            end
        ) as reason,
        fields,
    from split_fields
)

select * from final
"""

_COLUMN_LIST = ", ".join(f'"{name}"' for name in DOJ_COLUMNS)
_FIELD_LIST = ", ".join(f"fields[{position}]" for position in range(1, FIELD_COUNT + 1))

INSERT_ROWS_SQL = f"""
insert into raw.doj_rows (load_id, line_number, {_COLUMN_LIST})
select $load_id, line_number, {_FIELD_LIST}
from doj_parsed
where reason is null
"""

INSERT_QUARANTINE_SQL = """
insert into raw.doj_quarantine (load_id, file_name, line_number, reason)
select $load_id, $file_name, line_number, reason
from doj_parsed
where reason is not null
"""

COUNT_LINES_SQL = """
select
    count(*) filter (where reason is null) as lines_loaded,
    count(*) filter (where reason is not null) as lines_quarantined,
from doj_parsed
"""

COUNT_REASONS_SQL = """
select reason, count(*) as lines, min(line_number) as first_line_number,
from doj_parsed
where reason is not null
group by reason
order by first_line_number
"""

DROP_WORK_TABLES_SQL = (
    "drop table if exists doj_lines",
    "drop table if exists doj_parsed",
)
