"""DDL for the raw layer. Every statement is idempotent so any run can call it first."""

from __future__ import annotations

import duckdb

from clearance.doj_layout import DOJ_COLUMNS

# A good line never contains a carriage return (the loader quarantines such lines), so CR can stand
# in for a comma inside a quoted field while the line is split on its other commas.
_COMMA_MARKER = "chr(13)"

_DOJ_COLUMN_SELECT = ",\n        ".join(
    f'raw.doj_unquote(fields[{position}]) as "{name}"'
    for position, name in enumerate(DOJ_COLUMNS, start=1)
)

# DuckDB macros that split a stored line into its fields. They live in the warehouse so the
# loader, the dbt models and an analyst's query all split lines the same way.
DOJ_LINE_MACROS: tuple[str, ...] = (
    # The line with each comma inside a quoted field replaced by the marker. Splitting on '"'
    # gives the parts outside quotes at odd positions and inside quotes at even ones, because a
    # doubled quote inside a field opens and closes an empty part.
    f"""
    create or replace macro raw.doj_masked_line(line) as
        case
            when contains(line, '"') then array_to_string(
                list_transform(
                    string_split(line, '"'),
                    lambda part, i: case
                        when i % 2 = 0 then replace(part, ',', {_COMMA_MARKER})
                        else part
                    end
                ),
                '"'
            )
            else line
        end
    """,
    # The fields of a line as written: a quoted field keeps its quotes and its marked commas.
    """
    create or replace macro raw.doj_fields(line) as
        string_split(raw.doj_masked_line(line), ',')
    """,
    # The value of one field from raw.doj_fields: quotes removed, doubled quotes and commas back.
    f"""
    create or replace macro raw.doj_unquote(field) as
        case
            when starts_with(field, '"')
                then replace(replace(field[2:-2], '""', '"'), {_COMMA_MARKER}, ',')
            else field
        end
    """,
)

RAW_SCHEMA_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    """
    create table if not exists raw.doj_files (
        load_id varchar primary key,
        file_name varchar not null,
        file_path varchar not null,
        file_hash varchar not null unique,
        file_bytes bigint not null,
        encoding varchar not null,
        has_header boolean not null,
        line_ending varchar not null,
        lines_read bigint not null,
        lines_loaded bigint not null,
        lines_quarantined bigint not null,
        loaded_at timestamp not null
    )
    """,
    # Each good line is kept whole, as decoded: the exports copy it, so it is split only for
    # the fields that a query reads.
    """
    create table if not exists raw.doj_lines (
        load_id varchar not null,
        line_number bigint not null,
        line varchar not null
    )
    """,
    *DOJ_LINE_MACROS,
    f"""
    create or replace view raw.doj_rows as
    select
        load_id,
        line_number,
        {_DOJ_COLUMN_SELECT},
    from (
        select load_id, line_number, raw.doj_fields(line) as fields,
        from raw.doj_lines
        -- Lines of a load without a file record are unchecked and about to be deleted.
        semi join raw.doj_files using (load_id)
    )
    """,
    """
    create table if not exists raw.doj_quarantine (
        load_id varchar not null,
        file_name varchar not null,
        line_number bigint not null,
        reason varchar not null
    )
    """,
    """
    create table if not exists raw.runs (
        run_id varchar primary key,
        county varchar not null,
        policy_name varchar not null,
        policy_parameters varchar not null,
        compute_date date not null,
        started_at timestamp not null
    )
    """,
    # The run that dbt builds. A table instead of a dbt variable because a changed variable
    # makes dbt parse the whole project again (about 2 s), on every run.
    """
    create table if not exists raw.current_run (
        run_id varchar not null
    )
    """,
    """
    create table if not exists raw.run_files (
        run_id varchar not null,
        load_id varchar not null,
        file_order integer not null
    )
    """,
    """
    create table if not exists raw.run_policy_rules (
        run_id varchar not null,
        policy_name varchar not null,
        policy_role varchar not null,
        policy_order integer not null,
        policy_scope varchar not null,
        rule_number integer not null,
        rule_id varchar not null,
        predicate varchar not null,
        parameters varchar not null,
        determination varchar not null,
        reason_template varchar not null,
        grants_relief boolean not null
    )
    """,
    """
    create table if not exists raw.run_subject_keys (
        run_id varchar not null,
        subject_id varchar not null,
        subject_key varchar not null
    )
    """,
    # The run manifest (run-manifest.json of the run's publication), so a published figure
    # can be traced to its exact inputs from the warehouse too.
    """
    create table if not exists raw.run_manifests (
        run_id varchar primary key,
        county varchar not null,
        created_at timestamp not null,
        manifest json not null
    )
    """,
)


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables, court tables included, when they do not exist yet."""
    from clearance.loading.court_schema import create_court_schema

    for statement in RAW_SCHEMA_DDL:
        con.execute(statement)
    create_court_schema(con)
