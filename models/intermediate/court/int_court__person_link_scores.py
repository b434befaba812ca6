"""One row per court-DOJ pair that Splink compared, with its match weight and probability.

Grain: one court Prop 64 conviction and one DOJ Prop 64 conviction that share county, section
and a disposition date, neither linked by case number. clearance/linking/person_links.py defines
the model and its parameters.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from clearance.linking.person_links import score_person_links
    from clearance.settings import duckdb_memory_limit

    records = dbt.ref("int_court__person_link_inputs").to_arrow_table()
    scores = score_person_links(records, memory_limit=duckdb_memory_limit())
    # Returned as a DuckDB relation, because for an Arrow table dbt-duckdb 1.11 imports
    # pyarrow.dataset, which imports pandas and took about 0.4 s of every build.
    return session.from_arrow(scores)
