{#- Macros that read code sections out of DOJ offense texts such as
    `664-11357(C) HS-ATTEMPT POSS` or `484(A)/490.5 PC-PETTY THEFT`. They expect upper-case
    text and are meant to run on distinct texts, because regular expressions are the costly part
    of staging. -#}

{#- The four sections Proposition 64 reduced or made lawful (Health and Safety Code 11361.8). -#}
{% macro prop64_section_numbers() -%}
    ('11357', '11358', '11359', '11360')
{%- endmacro %}


{#- Regular expressions (RE2) for the pieces of a code section. A section is a number, an
    optional decimal part, up to two letters and a digit written straight after it (`288A`,
    `273AB`, `11357B2`) and bracketed subsections (`(B)(4)`). A statute book is one of the codes
    the DOJ file writes after the section. -#}
{% macro code_section_regex(name) -%}
    {%- set section = '\\d+(?:\\.\\d+)?[A-Z]{0,2}\\d?(?:\\([0-9A-Z]{1,3}\\))*' -%}
    {%- set book = '(HS|PC|VC|BP|WI|MV)(?:[^A-Z]|$)' -%}
    {%- set section_chain = '(' ~ section ~ '(?:\\s*[-/ ]\\s*' ~ section ~ ')*)\\s*' -%}
    {%- set prefix = '(?:(?:664|182)\\s*[-/ ]\\s*)?' -%}
    {%- set patterns = {
        'section': section,
        'section_parts': '^(\\d+(?:\\.\\d+)?)([A-Z]{0,2})(\\d?)((?:\\([0-9A-Z]{1,3}\\))*)$',
        'book_code_at_start': '^\\s*' ~ section_chain ~ book,
        'book_code_anywhere': section_chain ~ book,
        'leading_section': '^\\s*(' ~ prefix ~ section ~ ')(?:[^0-9A-Z]|$)',
        'leading_number': '^\\s*(' ~ prefix ~ '\\d+(?:\\.\\d+)?(?:\\([0-9A-Z]{1,3}\\))*)',
    } -%}
    {{- return("'" ~ patterns[name] ~ "'") -}}
{%- endmacro %}


{#- Return a struct {sections_text, written_book} holding the code-section part of an offense
    text and the statute book written after it. The section runs up to and including its book,
    so the dash in `664-11357(C) HS` belongs to it. Without a book the section is the leading
    number with its letters and bracketed subsections (`11360(B) SELL/FURNISH` is 11360(b)).
    A text that does not start with a number, such as a comment reading `CHARGED AS 11359 HS`,
    yields its first section that has a book. -#}
{% macro extract_code_section(text) -%}
    {%- set book_at_start = code_section_regex('book_code_at_start') -%}
    {%- set leading_section = code_section_regex('leading_section') -%}
    {%- set leading_number = code_section_regex('leading_number') -%}
    {%- set book_anywhere = code_section_regex('book_code_anywhere') -%}
    case
        when regexp_matches({{ text }}, {{ book_at_start }})
            then struct_pack(
                sections_text := regexp_extract({{ text }}, {{ book_at_start }}, 1),
                written_book := regexp_extract({{ text }}, {{ book_at_start }}, 2)
            )
        when regexp_matches({{ text }}, {{ leading_section }})
            then struct_pack(
                sections_text := regexp_extract({{ text }}, {{ leading_section }}, 1),
                written_book := cast(null as varchar)
            )
        when regexp_matches({{ text }}, {{ leading_number }})
            then struct_pack(
                sections_text := regexp_extract({{ text }}, {{ leading_number }}, 1),
                written_book := cast(null as varchar)
            )
        when regexp_matches({{ text }}, {{ book_anywhere }})
            then struct_pack(
                sections_text := regexp_extract({{ text }}, {{ book_anywhere }}, 1),
                written_book := regexp_extract({{ text }}, {{ book_anywhere }}, 2)
            )
    end
{%- endmacro %}


{#- Return the attempt or conspiracy a section list starts with: `attempt` for PC 664,
    `conspiracy` for PC 182, written before the section with a slash, a dash, a space or
    nothing at all (`664/11359`, `664-11357(C)`, `66411357(C)`). Otherwise null. -#}
{% macro attempt_prefix(tokens) -%}
    case
        when len({{ tokens }}) > 1 and {{ tokens }}[1] = '664' then 'attempt'
        when len({{ tokens }}) > 1 and {{ tokens }}[1] = '182' then 'conspiracy'
        when regexp_matches({{ tokens }}[1], '^664\d{3}') then 'attempt'
        when regexp_matches({{ tokens }}[1], '^182\d{3}') then 'conspiracy'
    end
{%- endmacro %}


{#- Return the section tokens with the attempt or conspiracy prefix removed, leaving the
    underlying section first. -#}
{% macro strip_attempt_prefix(tokens) -%}
    case
        when len({{ tokens }}) > 1 and {{ tokens }}[1] in ('664', '182') then {{ tokens }}[2:]
        when regexp_matches({{ tokens }}[1], '^(664|182)\d{3}')
            then list_prepend(substr({{ tokens }}[1], 4), {{ tokens }}[2:])
        else {{ tokens }}
    end
{%- endmacro %}


{#- Return the list of structs {statute_book, section, subsections} for section tokens that
    share one written statute book. A letter written straight after the number is part of the
    section id (288A is section 288a, 273AB is 273ab), except for the four Prop 64 sections,
    which have no lettered variants: 11357A is 11357(a) and 11357B2 is 11357(b)(2). The Prop 64
    sections written with book PC or with no book are read as Health and Safety sections; the
    row's book_flag records the miscoding. Subsections are lower case, '' for none. -#}
{% macro parse_section_tokens(tokens, written_book) -%}
    list_transform(
        list_transform(
            {{ tokens }},
            lambda token: regexp_extract(
                token,
                {{ code_section_regex('section_parts') }},
                ['number', 'letters', 'letter_digit', 'brackets']
            )
        ),
        lambda part: struct_pack(
            statute_book := case
                when part.number in {{ prop64_section_numbers() }}
                    and coalesce({{ written_book }}, 'PC') = 'PC'
                    then 'HS'
                else {{ written_book }}
            end,
            section := case
                when part.number in {{ prop64_section_numbers() }} then part.number
                else part.number || lower(part.letters)
            end,
            subsections := case
                    when part.number in {{ prop64_section_numbers() }}
                        then regexp_replace(lower(part.letters), '([a-z])', '(\1)', 'g')
                    else ''
                end
                || case when part.letter_digit = '' then '' else '(' || part.letter_digit || ')' end
                || lower(part.brackets)
        )
    )
{%- endmacro %}


{#- True when a parsed section is a Prop 64 one: HS 11357, 11358, 11359 or 11360. -#}
{% macro is_prop64_section(section) -%}
    ({{ section }}.statute_book = 'HS' and {{ section }}.section in {{ prop64_section_numbers() }})
{%- endmacro %}


{#- The side of an 11357 subsection: `ab` for (a) and (b), `cd` for (c) and (d). Before
    Prop 64, (a) was concentrated cannabis and (b) 28.5 g or less, while (c) was more than
    28.5 g and (d) possession on school grounds, so the two sides are different offenses. -#}
{% macro section_11357_side(subsections) -%}
    case
        when {{ subsections }} like '(a)%' or {{ subsections }} like '(b)%' then 'ab'
        when {{ subsections }} like '(c)%' or {{ subsections }} like '(d)%' then 'cd'
    end
{%- endmacro %}


{#- True when the offense section `offense` accounts for the Prop 64 section `named` in a
    comment: the same section, not 11357 on the other side of (a)/(b) versus (c)/(d), and not
    an offense without a subsection facing a comment with one. -#}
{% macro offense_covers_section(offense, named) -%}
    (
        {{ offense }}.section = {{ named }}.section
        and coalesce(
            not (
                {{ offense }}.section = '11357'
                and {{ section_11357_side(offense ~ '.subsections') }}
                    <> {{ section_11357_side(named ~ '.subsections') }}
            ),
            true
        )
        and not ({{ offense }}.subsections = '' and {{ named }}.subsections <> '')
    )
{%- endmacro %}


{#- True when some section of the list `named` is covered by no section of the list `offenses`,
    as offense_covers_section decides. -#}
{% macro names_uncovered_section(named, offenses) -%}
    coalesce(list_bool_or(list_transform(
        {{ named }},
        lambda named_section: not coalesce(list_bool_or(list_transform(
            {{ offenses }},
            lambda offense_section: {{ offense_covers_section('offense_section', 'named_section') }}
        )), false)
    )), false)
{%- endmacro %}
