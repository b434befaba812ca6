{#- The DOJ columns that describe a count, in file order, without the sentence columns.
    Left out: RECORD_ID, which numbers the record and so is lineage rather than content, and
    the SSN, driver-licence and FBI columns, which never leave the raw layer, not even inside a
    hash, because a hash of a row whose other fields are known could be brute-forced back to
    the identifier. -#}
{% macro doj_non_sentence_columns() -%}
    {{- return([
        'SUBJECT_STATUS', 'SUBJECT_ID', 'REQ_SEG_SEP', 'REQ_CII_NUMBER', 'REQ_NAME', 'REQ_GENDER',
        'REQ_DOB', 'PII_SEG_SEP', 'CII_NUMBER', 'PRI_NAME', 'GENDER', 'PRI_DOB', 'PRI_IDN',
        'PRI_INN', 'PDR_SEG_SEP', 'RACE_CODE', 'RACE_DESCR', 'EYE_COLOR_CODE', 'EYE_COLOR_DESCR',
        'HAIR_COLOR_CODE', 'HAIR_COLOR_DESCR', 'HEIGHT', 'WEIGHT', 'SINGLE_SOURCE',
        'MULTI_SOURCE', 'POB_CODE', 'POB_NAME', 'POB_TYPE', 'CITIZENSHIP_LIST', 'CYC_SEG_SEP',
        'CYC_ORDER', 'CYC_DATE', 'STP_SEG_SEP', 'STP_ORDER', 'STP_EVENT_DATE', 'STP_TYPE_CODE',
        'STP_TYPE_DESCR', 'STP_ORI_TYPE', 'STP_ORI_TYPE_DESCR', 'STP_ORI_CODE', 'STP_ORI_DESCR',
        'STP_ORI_CNTY_CODE', 'STP_ORI_CNTY_NAME', 'CNT_SEG_SEP', 'CNT_ORDER', 'DISP_DATE', 'OFN',
        'OFFENSE_CODE', 'OFFENSE_DESCR', 'OFFENSE_TOC', 'OFFENSE_QUAL_LST', 'DISP_OFFENSE_CODE',
        'DISP_OFFENSE_DESCR', 'DISP_OFFENSE_TOC', 'DISP_OFFENSE_QUAL_LST', 'CONV_OFFENSE_ORDER',
        'CONV_OFFENSE_CODE', 'CONV_OFFENSE_DESCR', 'CONV_OFFENSE_TOC', 'CONV_OFFENSE_QUAL_LST',
        'FE_NUM_ORDER', 'FE_NUM_ARR_AGY', 'FE_NUM_BNCH_WARR', 'FE_NUM_CITE', 'FE_NUM_DOCKET',
        'FE_NUM_INCIDENT', 'FE_NUM_BOOKING', 'FE_NUM_NUMBER', 'FE_NUM_REMAND', 'FE_NUM_OOS_INN',
        'FE_NUM_CRT_CASE', 'FE_NUM_WARRANT', 'DISP_ORDER', 'DISP_CODE', 'DISP_DESCR',
        'CONV_STAT_CODE', 'CONV_STAT_DESCR', 'CYC_AGE', 'CII_TYPE', 'CII_TYPE_ALPHA',
        'COMMENT_TEXT', 'END_OF_REC',
    ]) -}}
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
