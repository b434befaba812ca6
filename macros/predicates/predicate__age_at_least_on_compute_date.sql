{#- Ages count calendar years on the compute date; a date of birth that differs between rows is the
    range over all of them, so the rule holds only if the latest possible birth date is old enough. -#}
{% macro predicate__age_at_least_on_compute_date(parameters) -%}
    {%- set years = "json_extract(" ~ parameters ~ ", '$.years')::integer" -%}
    {%- set youngest_age = age_on('dob_end', 'compute_date') -%}
    {%- set oldest_age = age_on('dob_start', 'compute_date') -%}
    {%- set result -%}
        case
            when dob_start is null then 'unknown'
            when {{ add_calendar_years('dob_end', years) }} <= compute_date then 'true'
            when {{ add_calendar_years('dob_start', years) }} > compute_date then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when dob_start is null then 'date of birth missing'
            else 'date of birth ' || {{ format_date_range('dob_start', 'dob_end') }}
                || ', age '
                || case
                    when {{ youngest_age }} = {{ oldest_age }} then {{ oldest_age }}::varchar
                    else {{ youngest_age }} || ' to ' || {{ oldest_age }}
                end
                || ' on ' || {{ format_date('compute_date') }}
                || case
                    when {{ add_calendar_years('dob_end', years) }} <= compute_date then ', ' || {{ years }} || ' or older'
                    when {{ add_calendar_years('dob_start', years) }} > compute_date then ', under ' || {{ years }}
                    else ', possibly ' || {{ years }} || ' or older'
                end
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'date of birth'"}) -%}
{%- endmacro %}
