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

# Every data line of the file, with its physical line number (from 1, the header counted), stored
# under the load's id before any line is checked. The numbering window keeps this statement on one
# thread, so the costly check of each line's shape runs afterwards, over the stored lines, on every
# thread. Storing the lines where they stay, and deleting the few rejected ones later, spares a
# second copy of every line: 0.8 s per million lines (duckdb 2.0.1, 2 cores).
INSERT_LINES_SQL = f"""
insert into raw.doj_lines (load_id, line_number, line)
select
    $load_id,
    line_number,
    -- The reader returns an empty line as null; the check below names it a blank line.
    case
        when line is null then ''
        when line_number = 1 and $bom_text <> '' and starts_with(line, $bom_text)
            then substr(line, length($bom_text) + 1)
        else line
    end,
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
    from raw.doj_lines
    where load_id = $load_id
)

select line_number, reason
from checked
where reason is not null
"""

DELETE_REJECTED_LINES_SQL = """
delete from raw.doj_lines
where load_id = $load_id and line_number in (select line_number from doj_rejected)
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

DROP_REJECTED_LINES_SQL = "drop table if exists doj_rejected"

# Lines of a load that has no file record: the lines of a load are committed before its file
# record, so a process killed between the two leaves them behind, and no run ever reads them.
DELETE_UNRECORDED_LINES_SQL = """
delete from raw.doj_lines
where load_id not in (select load_id from raw.doj_files)
"""
