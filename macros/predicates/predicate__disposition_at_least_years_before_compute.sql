{#- An empty disposition date never counts as long ago; a partial one holds only if its last
    possible day is on or before the compute date minus the given years. -#}
{% macro predicate__disposition_at_least_years_before_compute(parameters) -%}
    {%- set years = "json_extract(" ~ parameters ~ ", '$.years')::integer" -%}
    {%- set cutoff = subtract_calendar_years('compute_date', years) -%}
    {%- set result -%}
        case
            when disposition_date_start is null then 'unknown'
            when disposition_date_end <= {{ cutoff }} then 'true'
            when disposition_date_start > {{ cutoff }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when disposition_date_start is null then 'disposition date missing'
            else 'disposition ' || {{ format_date_range('disposition_date_start', 'disposition_date_end', 'disposition_date_precision') }}
                || case
                    when disposition_date_end <= {{ cutoff }} then ', ' || {{ years }} || ' or more years before '
                    when disposition_date_start > {{ cutoff }} then ', less than ' || {{ years }} || ' years before '
                    else ', possibly ' || {{ years }} || ' or more years before '
                end
                || {{ format_date('compute_date') }}
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'disposition date'"}) -%}
{%- endmacro %}
