{#- A name as `LAST, FIRST MIDDLE` in upper case without accents or punctuation other than the
    comma, and with single spaces, so that court and DOJ spellings compare equal when only
    accents, case or spacing differ. -#}
{% macro normalized_person_name(text) -%}
    nullif(trim(regexp_replace(regexp_replace(upper(strip_accents({{ text }})), '[^A-Z, ]', '', 'g'), '\s+', ' ', 'g')), '')
{%- endmacro %}


{#- The part of a normalized name before its first comma: the last name, unless the name was
    written with given names first. -#}
{% macro name_last_part(normalized) -%}
    nullif(trim(split_part({{ normalized }}, ',', 1)), '')
{%- endmacro %}


{#- The first word after the first comma: the first given name, unless the name was written with
    given names first. -#}
{% macro name_first_word(normalized) -%}
    nullif(split_part(trim(substr({{ normalized }}, length(split_part({{ normalized }}, ',', 1)) + 2)), ' ', 1), '')
{%- endmacro %}
