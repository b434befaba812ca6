{#- No conviction anywhere has a disposition date after the compute date minus `years` years,
    so a conviction exactly `years` years before still counts as outside the window (the 2019
    Los Angeles flow). no_conviction_in_last_years, the statewide tool's test, excludes that day.
    An undated conviction could be recent, so it leaves the rule unknown. -#}
{% macro predicate__no_conviction_after_years_before_compute(parameters) -%}
    {%- set years = "json_extract(" ~ parameters ~ ", '$.years')::integer" -%}
    {%- set cutoff = subtract_calendar_years('compute_date', years) -%}
    {%- set result -%}
        case
            when has_undated_conviction or latest_conviction_date_start is null then 'unknown'
            when latest_conviction_date_end <= {{ cutoff }} then 'true'
            when latest_conviction_date_start > {{ cutoff }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when has_undated_conviction or latest_conviction_date_start is null then 'a conviction has no disposition date'
            else 'latest conviction ' || {{ format_date_range('latest_conviction_date_start', 'latest_conviction_date_end') }}
                || case
                    when latest_conviction_date_end <= {{ cutoff }} then ', none after '
                    when latest_conviction_date_start > {{ cutoff }} then ', after '
                    else ', possibly after '
                end
                || {{ format_date(cutoff) }} || ' (' || {{ years }} || ' years before ' || {{ format_date('compute_date') }} || ')'
        end
    {%- endset -%}
    {%- set missing_fact -%}
        case
            when has_undated_conviction or latest_conviction_date_start is null then 'disposition date of a conviction'
            else 'date of the latest conviction'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': missing_fact}) -%}
{%- endmacro %}
