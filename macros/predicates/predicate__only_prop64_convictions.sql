{% macro predicate__only_prop64_convictions(parameters) -%}
    {%- set result -%}
        case
            when has_only_prop64_convictions is null then 'unknown'
            when has_only_prop64_convictions then 'true'
            else 'false'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when has_only_prop64_convictions is null then 'offense of a conviction missing'
            else coalesce(prop64_conviction_count::varchar, '?') || ' of '
                || coalesce(conviction_count::varchar, '?') || ' convictions on record are Prop 64'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'offense of a conviction'"}) -%}
{%- endmacro %}
