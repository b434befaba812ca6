{#- The columns `result` ('true', 'false' or 'unknown'), `fact` and `missing_fact` of a rule check,
    dispatched on the rule's predicate. Every macro named `predicate__<name>` is one predicate: it
    takes the SQL expression of the rule's JSON parameters and returns a mapping of the three
    expressions, reading the conviction facts row by column name. -#}
{% macro predicate_check_columns(predicate, parameters) -%}
    {%- set checks = [] -%}
    {%- for macro_name in context.keys() | sort if macro_name.startswith('predicate__') -%}
        {%- do checks.append((macro_name[11:], context[macro_name](parameters))) -%}
    {%- endfor %}
    case {{ predicate }}
        {%- for name, check in checks %}
        when '{{ name }}' then {{ check.result }}
        {%- endfor %}
        else error('unknown predicate in policy rules: ' || {{ predicate }})
    end as result,
    case {{ predicate }}
        {%- for name, check in checks %}
        when '{{ name }}' then {{ check.fact }}
        {%- endfor %}
    end as fact,
    case {{ predicate }}
        {%- for name, check in checks %}
        when '{{ name }}' then {{ check.missing_fact }}
        {%- endfor %}
    end as missing_fact
{%- endmacro %}
