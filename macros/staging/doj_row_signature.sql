{#- The DOJ columns that describe a count, in file order, without the sentence columns.
    Left out: RECORD_ID, which numbers the record and so is lineage rather than content, and
    the SSN, driver-licence and FBI columns, which never leave the raw layer, not even inside a
    hash, because a hash of a row whose other fields are known could be brute-forced back to
    the identifier. -#}
{% macro doj_non_sentence_columns() -%}
    {%- set left_out = ['RECORD_ID'] + doj_identifier_columns() + doj_sentence_columns() -%}
    {{- return(doj_columns() | reject('in', left_out) | list) -}}
{%- endmacro %}


{#- The sentence columns: rows of one count that differ only here are parts of one sentence. -#}
{% macro doj_sentence_columns() -%}
    {{- return([
        'SENT_SEG_SEP', 'SENT_ORDER', 'SENT_LOC_CODE', 'SENT_LOC_DESCR', 'SENT_LENGTH',
        'SENT_TIME_CODE', 'SENT_TIME_DESCR',
    ]) -}}
{%- endmacro %}


{#- Return a 64-bit hash of the given DOJ columns as written in `fields` (a line split by
    raw.doj_fields(), so a quoted field hashes with its quotes), after first_expression when one
    is given. DuckDB's hash() can change between DuckDB versions, so compare signatures only
    within one build. It is several times faster than md5 over some 90 fields. -#}
{% macro hash_doj_columns(columns, first_expression=none, fields='doj_fields') -%}
    hash(
        {%- if first_expression is not none %}
        {{ first_expression }},
        {%- endif %}
        {%- for column in columns %}
        {{ fields }}[{{ doj_columns().index(column) + 1 }}]{{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
