"""DDL for the court tables of the raw layer. Every statement is idempotent."""

from __future__ import annotations

import duckdb

from clearance.loading.court_mapping import COURT_COLUMNS

_CANONICAL_COLUMNS = ",\n        ".join(f"{name} varchar" for name in COURT_COLUMNS)

COURT_SCHEMA_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    # A court file is reused only with the same mapping too, because another mapping turns the
    # same bytes into other canonical rows.
    """
    create table if not exists raw.court_files (
        load_id varchar primary key,
        file_name varchar not null,
        file_path varchar not null,
        file_hash varchar not null,
        mapping_path varchar not null,
        mapping_hash varchar not null,
        court_county varchar not null,
        date_format varchar not null,
        column_map varchar not null,
        doj_ofn_pattern varchar not null,
        ofn_type_group integer not null,
        ofn_year_group integer not null,
        ofn_serial_group integer not null,
        case_types varchar not null,
        rows_read bigint not null,
        rows_loaded bigint not null,
        rows_quarantined bigint not null,
        loaded_at timestamp not null,
        unique (file_hash, mapping_hash)
    )
    """,
    # Canonical columns as text, dates rewritten as YYYY-MM-DD, and the parts of the case number
    # and charge code that the mapping's patterns read.
    f"""
    create table if not exists raw.court_rows (
        load_id varchar not null,
        line_number bigint not null,
        {_CANONICAL_COLUMNS},
        case_level varchar,
        case_year varchar,
        case_serial varchar,
        charge_prefix varchar,
        charge_book varchar,
        charge_section varchar,
        charge_subsection varchar
    )
    """,
    """
    create table if not exists raw.court_quarantine (
        load_id varchar not null,
        file_name varchar not null,
        line_number bigint not null,
        column_name varchar,
        reason varchar not null
    )
    """,
    # A value the loader set to null in a row it loaded, such as an invalid date of birth.
    """
    create table if not exists raw.court_field_warnings (
        load_id varchar not null,
        file_name varchar not null,
        line_number bigint not null,
        column_name varchar not null,
        reason varchar not null
    )
    """,
    """
    create table if not exists raw.run_court_files (
        run_id varchar not null,
        load_id varchar not null,
        file_order integer not null
    )
    """,
)


def create_court_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the court tables of the raw layer when they do not exist yet."""
    for statement in COURT_SCHEMA_DDL:
        con.execute(statement)
