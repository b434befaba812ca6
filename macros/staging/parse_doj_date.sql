{#- Parse a DOJ date field into the columns <name>_text, <name>_start, <name>_end and
    <name>_precision. `YYYYMMDD` is one day; `YYYYMM00` stands for the whole month and
    `YYYY0000` for the whole year, so a partial date becomes a range, never its first day.
    Anything else (wrong length, year 0000, month 13, 19990231) keeps its text and gets null
    start, end and precision. The field must already be cleaned of placeholders. -#}
{% macro parse_doj_date(column, name) -%}
    {%- set year -%} try_cast(substr({{ column }}, 1, 4) as integer) {%- endset -%}
    {%- set month -%} try_cast(substr({{ column }}, 5, 2) as integer) {%- endset -%}
    {%- set is_eight_digits -%}
        regexp_full_match({{ column }}, '[0-9]{8}') and substr({{ column }}, 1, 4) <> '0000'
    {%- endset -%}
    {%- set precision -%}
        case
            when not ({{ is_eight_digits }}) then null
            when substr({{ column }}, 5, 4) = '0000' then 'year'
            when substr({{ column }}, 7, 2) = '00' and {{ month }} between 1 and 12 then 'month'
            when try_strptime({{ column }}, '%Y%m%d') is not null then 'day'
        end
    {%- endset -%}
    {{ column }} as {{ name }}_text,
    case {{ precision }}
        when 'year' then make_date({{ year }}, 1, 1)
        when 'month' then make_date({{ year }}, {{ month }}, 1)
        when 'day' then cast(strptime({{ column }}, '%Y%m%d') as date)
    end as {{ name }}_start,
    case {{ precision }}
        when 'year' then make_date({{ year }}, 12, 31)
        when 'month' then last_day(make_date({{ year }}, {{ month }}, 1))
        when 'day' then cast(strptime({{ column }}, '%Y%m%d') as date)
    end as {{ name }}_end,
    {{ precision }} as {{ name }}_precision
{%- endmacro %}
