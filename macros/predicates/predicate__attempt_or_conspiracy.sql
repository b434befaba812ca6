{% macro predicate__attempt_or_conspiracy(parameters) -%}
    {%- set result -%}
        case when attempt_prefix in ('attempt', 'conspiracy') then 'true' else 'false' end
    {%- endset -%}
    {%- set fact -%}
        case attempt_prefix
            when 'attempt' then 'attempt (PC 664)'
            when 'conspiracy' then 'conspiracy (PC 182)'
            else 'neither attempt nor conspiracy'
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "null"}) -%}
{%- endmacro %}
