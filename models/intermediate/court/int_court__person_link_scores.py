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
    # Returned as a DuckDB relation: for an Arrow table, dbt-duckdb imports pyarrow.dataset,
    # which imports pandas, about 0.4 s of every build even without court files.
    return session.from_arrow(scores)
