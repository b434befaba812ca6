{#- DuckDB's memory limit for the run (CLEARANCE_DUCKDB_MEMORY_LIMIT), which profiles.yml sets
    once when dbt opens the warehouse. profiles.yml and clearance/settings.py have the same
    default, and a test checks that the three agree. -#}
{% macro run_memory_limit() -%}
    {{- return(env_var('CLEARANCE_DUCKDB_MEMORY_LIMIT', '2GB')) -}}
{%- endmacro %}


{#- DuckDB's memory limit while a run loads and stages its DOJ lines
    (CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT), never above the run's. stg_doj__cleaned_rows sets it
    for itself. clearance/settings.py has the same rule for the load (load_memory_limit). -#}
{% macro load_memory_limit() -%}
    {%- set load = env_var('CLEARANCE_DUCKDB_LOAD_MEMORY_LIMIT', '1GB') -%}
    {%- set run = run_memory_limit() -%}
    {{- return(load if memory_bytes(load) <= memory_bytes(run) else run) -}}
{%- endmacro %}


{#- Return a DuckDB memory size such as `2GB`, `1.5 GiB` or `800MB` in bytes. DuckDB reads KB,
    MB, GB and TB as powers of 1000, and KiB, MiB, GiB and TiB as powers of 1024. A size without
    one of these units, such as DuckDB's `-1` for no limit, gives 0. memory_bytes in
    clearance/settings.py reads sizes the same way, and a test checks that the two agree. -#}
{% macro memory_bytes(size) -%}
    {%- set text = size | upper | replace(' ', '') | replace('BYTES', 'B') -%}
    {%- set units = [
        ('TIB', 1024 ** 4), ('GIB', 1024 ** 3), ('MIB', 1024 ** 2), ('KIB', 1024),
        ('TB', 1000 ** 4), ('GB', 1000 ** 3), ('MB', 1000 ** 2), ('KB', 1000), ('B', 1),
    ] -%}
    {%- set parsed = namespace(bytes=none) -%}
    {%- for unit, factor in units -%}
        {%- if parsed.bytes is none and text.endswith(unit) -%}
            {%- set parsed.bytes = (text[:(text | length) - (unit | length)] | float) * factor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(parsed.bytes if parsed.bytes is not none else 0) -}}
{%- endmacro %}
