{#- The subject was 20 or younger when convicted: the 21st birthday fell after the disposition date.
    An empty date never counts as under 21, and a date of birth that differs between rows is the
    range over all of them. -#}
{% macro predicate__turned_21_after_disposition(parameters) -%}
    {%- set earliest_21st = add_calendar_years('dob_start', 21) -%}
    {%- set latest_21st = add_calendar_years('dob_end', 21) -%}
    {%- set result -%}
        case
            when dob_start is null or disposition_date_start is null then 'unknown'
            when {{ earliest_21st }} > disposition_date_end then 'true'
            when {{ latest_21st }} <= disposition_date_start then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when dob_start is null then 'date of birth missing'
            when disposition_date_start is null then 'disposition date missing'
            else 'date of birth ' || {{ format_date_range('dob_start', 'dob_end') }}
                || ', 21 on ' || {{ format_date_range(earliest_21st, latest_21st) }}
                || case
                    when {{ earliest_21st }} > disposition_date_end then ', after disposition '
                    when {{ latest_21st }} <= disposition_date_start then ', on or before disposition '
                    else ', possibly after disposition '
                end
                || {{ format_date_range('disposition_date_start', 'disposition_date_end', 'disposition_date_precision') }}
        end
    {%- endset -%}
    {%- set missing_fact -%}
        case
            when dob_start is null then 'date of birth'
            when disposition_date_start is null then 'disposition date'
            when dob_start <> dob_end then 'date of birth'
            else 'disposition date'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
