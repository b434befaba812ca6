{#- Prop 64 took effect on 9 November 2016 and reaches only conduct before that day. The conduct
    date is the cycle's arrest date, else the disposition date; a partial date is a range. -#}
{% macro predicate__conduct_on_or_after(parameters) -%}
    {%- set on_date = "json_extract_string(" ~ parameters ~ ", '$.date')::date" -%}
    {%- set result -%}
        case
            when conduct_date_start is null then 'unknown'
            when conduct_date_start >= {{ on_date }} then 'true'
            when conduct_date_end < {{ on_date }} then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when conduct_date_start is null then 'conduct date missing'
            else 'conduct ' || {{ format_date_range('conduct_date_start', 'conduct_date_end', 'conduct_date_precision') }}
                || case
                    when conduct_date_start >= {{ on_date }} then ', on or after '
                    when conduct_date_end < {{ on_date }} then ', before '
                    else ', partly before and partly on or after '
                end
                || {{ format_date(on_date) }}
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'conduct date'"}) -%}
{%- endmacro %}
