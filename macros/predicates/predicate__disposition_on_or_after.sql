{#- The 2019 Los Angeles and San Francisco screens compared the disposition date, not the
    conduct date, with 9 November 2016. A partial date is a range. -#}
{% macro predicate__disposition_on_or_after(parameters) -%}
    {%- set on_date = "json_extract_string(" ~ parameters ~ ", '$.date')::date" -%}
    {%- set result -%}
        case
            when disposition_date_start is null then 'unknown'
            when disposition_date_start >= {{ on_date }} then 'true'
            when disposition_date_end < {{ on_date }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when disposition_date_start is null then 'disposition date missing'
            else 'disposition ' || {{ format_date_range('disposition_date_start', 'disposition_date_end', 'disposition_date_precision') }}
                || case
                    when disposition_date_start >= {{ on_date }} then ', on or after '
                    when disposition_date_end < {{ on_date }} then ', before '
                    else ', partly before and partly on or after '
                end
                || {{ format_date(on_date) }}
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'disposition date'"}) -%}
{%- endmacro %}
