"""Person link scores when one side is missing, as in every run without court files.

The result is an empty table of the score schema, made without importing Splink or pandas,
because the dbt model runs in every build. Splink takes about a second to import and pandas
about 0.4 s.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pyarrow as pa
import pytest

from clearance.linking.person_links import SCORE_SCHEMA, score_person_links

# DuckDB makes the records, as the dbt model does with to_arrow_table().
DOJ_ONLY = "select 'doj' as source_dataset, 'c1' as record_id"
NO_RECORDS = "select 'doj' as source_dataset, 'c1' as record_id where false"


@pytest.mark.parametrize("query", [DOJ_ONLY, NO_RECORDS], ids=["doj only", "no records"])
def test_one_side_missing_gives_empty_scores(query: str) -> None:
    records: pa.Table = duckdb.sql(query).to_arrow_table()

    scores = score_person_links(records)

    assert scores.num_rows == 0
    assert scores.schema == SCORE_SCHEMA


def test_empty_scores_skip_splink_and_pandas() -> None:
    # The model returns the scores as a relation, which dbt-duckdb 1.11 registers and copies
    # into a table on the same connection.
    script = textwrap.dedent(
        f"""
        import sys
        import duckdb
        from clearance.linking.person_links import score_person_links

        con = duckdb.connect()
        scores = con.from_arrow(score_person_links(con.sql({DOJ_ONLY!r}).to_arrow_table()))
        con.register("model_result", scores)
        con.execute("create table person_link_scores as select * from model_result")
        print(sorted(name for name in ("splink", "pandas") if name in sys.modules))
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
