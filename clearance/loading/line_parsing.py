"""SQL that reads a DOJ file one physical line at a time and checks each line's shape.

DuckDB's CSV reader is not used to split fields: with an unterminated quote it can swallow the
following lines, and its sniffer fails on messy files. Each line is read as one text column
instead, numbered and checked in SQL with no Python loop per row, and stored whole.
"""

from __future__ import annotations

from clearance.doj_layout import DOJ_COLUMNS

FIELD_COUNT = len(DOJ_COLUMNS)

# The delimiter is a control byte absent from the file, so DuckDB returns each line whole. Quote,
# escape and comment are off, so no character of the line is interpreted. The reader is
# single-threaded so that row_number() follows the file's line order.
READ_PHYSICAL_LINES_SQL = r"""
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

# One CSV field: a quoted field whose inner quotes are doubled, or an unquoted field without
# commas or quotes.
FIELD_PATTERN = r'(?:"(?:[^"]|"")*"|[^,"]*)'
# A good line: exactly FIELD_COUNT such fields. One regular expression decides most lines in a
# single pass; the reason for a line that fails it is worked out only for that line.
GOOD_LINE_PATTERN = f"{FIELD_PATTERN}(?:,{FIELD_PATTERN}){{{FIELD_COUNT - 1}}}"
FIELDS_PATTERN = f"{FIELD_PATTERN}(?:,{FIELD_PATTERN})*"

# Every data line of the file, with its physical line number (from 1, the header counted), into
# a work table that the load's transaction drops again. The numbering window keeps this statement
# on one thread, so the costly check of each line's shape runs afterwards, over the work table, on
# every thread. The work table is a compressed table of the warehouse, not a temp table held in
# memory, which kept the load under 1.2 GB instead of 1.9 GB on the 1,000,000-row `make bench`
# file (duckdb 2.0.1). Its blocks are free again after the load, and later writes reuse them.
CREATE_WORK_LINES_SQL = f"""
create or replace table raw.doj_load_lines as
select
    line_number,
    -- The reader returns an empty line as null; the check below names it a blank line.
    case
        when line is null then ''
        when line_number = 1 and $bom_text <> '' and starts_with(line, $bom_text)
            then substr(line, length($bom_text) + 1)
        else line
    end as line,
from ({READ_PHYSICAL_LINES_SQL})
where line_number > $header_lines
"""

# The stored lines of the load that cannot be loaded, with the reason. Most lines are decided by
# one regular expression; the reason is worked out only for a line that fails it.
CREATE_REJECTED_LINES_SQL = """
create or replace temp table doj_rejected as
with

checked as (
    select
        line_number,
        case
            when contains(line, chr(0)) then 'NUL byte in line'
            when contains(line, $carriage_return_marker) then 'carriage return inside line'
            when starts_with(line, 'RECORD_ID,') then 'header row repeated inside the file'
            when regexp_full_match(line, $good_line_pattern) then null
            when trim(line, chr(32) || chr(9)) = '' then 'blank line'
            when (length(line) - length(replace(line, '"', ''))) % 2 = 1
                then 'unbalanced double quote'
            when not regexp_full_match(line, $fields_pattern)
                then 'double quote inside an unquoted field'
            else
                'expected ' || $field_count || ' fields, found '
                || len(raw.doj_fields(line))
        end as reason,
    from raw.doj_load_lines
)

select line_number, reason
from checked
where reason is not null
"""

# The good lines, in line order. A filter keeps the order of the work table, which the exports
# rely on, where a join with doj_rejected would not. $rejected_lines is a bit string with one bit
# per stored line, from REJECTED_LINES_BITS_SQL, so each line is looked up in constant time.
INSERT_GOOD_LINES_SQL = """
insert into raw.doj_lines (load_id, line_number, line)
select $load_id, line_number, line
from raw.doj_load_lines
where get_bit($rejected_lines::bit, (line_number - $first_line_number)::integer) = 0
"""

INSERT_ALL_LINES_SQL = """
insert into raw.doj_lines (load_id, line_number, line)
select $load_id, line_number, line
from raw.doj_load_lines
"""

# bitstring_agg takes its bounds only as constants, so the caller formats in two integers.
REJECTED_LINES_BITS_SQL = """
select bitstring_agg(line_number, {first_line_number:d}, {last_line_number:d})::varchar
from doj_rejected
"""

INSERT_QUARANTINE_SQL = """
insert into raw.doj_quarantine (load_id, file_name, line_number, reason)
select $load_id, $file_name, line_number, reason
from doj_rejected
"""

COUNT_REASONS_SQL = """
select reason, count(*) as lines, min(line_number) as first_line_number,
from doj_rejected
group by reason
order by first_line_number
"""

DROP_WORK_TABLES_SQL = (
    "drop table if exists doj_rejected",
    "drop table if exists raw.doj_load_lines",
)
