{#- Every sentence on the record, in every county, has ended on or before the compute date. A
    sentence ends at its disposition date plus all its parts; one that cannot be dated leaves
    the rule unknown. -#}
{% macro predicate__all_sentences_ended(parameters) -%}
    {%- set result -%}
        case
            when has_unknown_sentence_end or latest_sentence_end_start is null then 'unknown'
            when latest_sentence_end_end <= compute_date then 'true'
            when latest_sentence_end_start > compute_date then 'false'
            else 'unknown'
        end
    {%- endset -%}
    {%- set fact -%}
        case
            when has_unknown_sentence_end or latest_sentence_end_start is null then 'a sentence end is unknown'
            else 'latest sentence ends ' || {{ format_date_range('latest_sentence_end_start', 'latest_sentence_end_end') }}
                || case
                    when latest_sentence_end_end <= compute_date then ', on or before '
                    when latest_sentence_end_start > compute_date then ', after '
                    else ', possibly after '
                end
                || {{ format_date('compute_date') }}
        end
    {%- endset -%}
    {%- do return({'result': result, 'fact': fact, 'missing_fact': "'end of a sentence'"}) -%}
{%- endmacro %}
