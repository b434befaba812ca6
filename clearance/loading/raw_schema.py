"""DDL for the raw layer. Every statement is idempotent so any run can call it first."""

from __future__ import annotations

import duckdb

from clearance.doj_layout import DOJ_COLUMNS

_DOJ_COLUMN_DDL = ",\n    ".join(f'"{name}" varchar' for name in DOJ_COLUMNS)

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
    f"""
    create table if not exists raw.doj_rows (
        load_id varchar not null,
        line_number bigint not null,
        {_DOJ_COLUMN_DDL}
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
)


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables when they do not exist yet."""
    for statement in RAW_SCHEMA_DDL:
        con.execute(statement)
