{#- Some sentence on the record, in every county, ends after the compute date: the subject is
    still serving it. The opposite of all_sentences_ended, with the same unknowns. -#}
{% macro predicate__serving_sentence(parameters) -%}
    {%- set ended = predicate__all_sentences_ended(parameters) -%}
    {%- set result -%}
        case {{ ended.result }} when 'true' then 'false' when 'false' then 'true' else 'unknown' end
    {%- endset -%}
    {%- do return({'result': result, 'fact': ended.fact, 'missing_fact': ended.missing_fact}) -%}
{%- endmacro %}
