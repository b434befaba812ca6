"""Score court convictions against DOJ convictions by person with Splink on DuckDB.

The model is Fellegi-Sunter with fixed parameters, not trained per run: a county's run must give
the same links on the same files, and expectation maximisation on a few hundred unlinked
records is unstable. Pairs are only compared within the same county, section and disposition
date. That date is the day, or the DOJ's month or year when the DOJ date is partial. So the
comparisons below only decide whether two records of one conviction are the same person.
The link threshold (0.9) and the review band are applied in the dbt models int_court__links
and int_court__link_reviews.

NOTE: the m and u probabilities are estimates from the generator's calibrated quirk rates
(names swapped, shortened or mistyped, missing CII and date of birth), not from real court
extracts; docs/court-linking.md explains each one.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

# Among convictions of one section on one day in one county, about one pair in ten is the same
# conviction: an estimate for the prior that Splink turns into match weights.
_PRIOR_MATCH_PROBABILITY = 0.1

_NULL_LEVEL = {"is_null_level": True, "label_for_charts": "missing"}

_CII_COMPARISON = {
    "output_column_name": "cii_number",
    "comparison_levels": [
        {"sql_condition": "cii_number_l is null or cii_number_r is null", **_NULL_LEVEL},
        {
            "sql_condition": "cii_number_l = cii_number_r",
            "label_for_charts": "equal",
            "m_probability": 0.98,
            "u_probability": 0.0001,
        },
        {
            "sql_condition": "ELSE",
            "label_for_charts": "different",
            "m_probability": 0.02,
            "u_probability": 0.9999,
        },
    ],
}

_DOB_COMPARISON = {
    "output_column_name": "dob",
    "comparison_levels": [
        {"sql_condition": "dob_l is null or dob_r is null", **_NULL_LEVEL},
        {
            "sql_condition": "dob_l = dob_r",
            "label_for_charts": "equal",
            "m_probability": 0.97,
            "u_probability": 0.0005,
        },
        {
            "sql_condition": "ELSE",
            "label_for_charts": "different",
            "m_probability": 0.03,
            "u_probability": 0.9995,
        },
    ],
}

# Court names come as `LAST, FIRST MIDDLE`, with the given names first, with only the first
# given name, or with one letter mistyped. The swapped form puts the given names before the
# comma, so either side's first word after the comma can be the other side's last name.
_NAME_COMPARISON = {
    "output_column_name": "name",
    "comparison_levels": [
        {"sql_condition": "name_last_part_l is null or name_last_part_r is null", **_NULL_LEVEL},
        {
            "sql_condition": (
                "name_last_part_l = name_last_part_r and name_first_word_l = name_first_word_r"
            ),
            "label_for_charts": "last and first name equal",
            "m_probability": 0.82,
            "u_probability": 0.0005,
        },
        {
            "sql_condition": (
                "(name_first_word_l = name_last_part_r"
                " and split_part(name_last_part_l, ' ', 1) = name_first_word_r)"
                " or (name_first_word_r = name_last_part_l"
                " and split_part(name_last_part_r, ' ', 1) = name_first_word_l)"
            ),
            "label_for_charts": "last and first name swapped",
            "m_probability": 0.06,
            "u_probability": 0.0001,
        },
        {
            "sql_condition": (
                "name_last_part_l = name_last_part_r"
                " and jaro_winkler_similarity(name_first_word_l, name_first_word_r) >= 0.8"
            ),
            "label_for_charts": "last name equal, first name similar",
            "m_probability": 0.08,
            "u_probability": 0.002,
        },
        {
            "sql_condition": "name_last_part_l = name_last_part_r",
            "label_for_charts": "last name equal",
            "m_probability": 0.02,
            "u_probability": 0.01,
        },
        {
            "sql_condition": "ELSE",
            "label_for_charts": "different",
            "m_probability": 0.02,
            "u_probability": 0.9874,
        },
    ],
}

SPLINK_SETTINGS: dict[str, Any] = {
    "link_type": "link_only",
    "unique_id_column_name": "record_id",
    "probability_two_random_records_match": _PRIOR_MATCH_PROBABILITY,
    "blocking_rules_to_generate_predictions": [
        "l.county = r.county and l.section = r.section and l.block_day = r.block_day",
        "l.county = r.county and l.section = r.section and l.block_month = r.block_month",
        "l.county = r.county and l.section = r.section and l.block_year = r.block_year",
    ],
    "comparisons": [_CII_COMPARISON, _NAME_COMPARISON, _DOB_COMPARISON],
    "retain_intermediate_calculation_columns": True,
}


def comparison_level_labels() -> dict[str, dict[str, str]]:
    """Return the label of each level code of cii_level, name_level and dob_level.

    Splink 5.0 codes a comparison's null level -1 and its other levels from their count minus one
    down to 0, in settings order, so the first level listed gets the highest code.
    """
    labels: dict[str, dict[str, str]] = {}
    for comparison in SPLINK_SETTINGS["comparisons"]:
        levels = comparison["comparison_levels"]
        others = [level for level in levels if not level.get("is_null_level")]
        codes = {"-1": "missing"}
        for position, level in enumerate(others):
            codes[str(len(others) - 1 - position)] = level["label_for_charts"]
        column = {"cii_number": "cii_level", "name": "name_level", "dob": "dob_level"}
        labels[column[comparison["output_column_name"]]] = codes
    return labels


SCORE_SCHEMA = pa.schema(
    [
        ("court_charge_id", pa.string()),
        ("conviction_id", pa.string()),
        ("link_method", pa.string()),
        ("match_weight", pa.float64()),
        ("match_score", pa.float64()),
        ("cii_level", pa.string()),
        ("name_level", pa.string()),
        ("dob_level", pa.string()),
    ]
)


def score_person_links(records: pa.Table, memory_limit: str = "1GB") -> pa.Table:
    """Return every compared court-DOJ pair with its Splink match weight and probability.

    records holds both sides in the shape of int_court__person_link_inputs, with
    source_dataset `court` or `doj`. Splink works in its own in-memory DuckDB, so its work tables never reach
    the warehouse.
    """
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 1})
    try:
        con.register("link_records", records)
        con.execute(
            "create table court_records as select * from link_records where source_dataset = 'court'"
        )
        con.execute(
            "create table doj_records as select * from link_records where source_dataset = 'doj'"
        )
        con.unregister("link_records")
        # DuckDB 2.0.1 keeps a result open after fetchone(), and Splink then fails to run
        # its own queries on this connection, so every result is fetched whole.
        [(court_count,)] = con.execute("select count(*) from court_records").fetchall()
        [(doj_count,)] = con.execute("select count(*) from doj_records").fetchall()
        if court_count == 0 or doj_count == 0:
            # Schema.empty_table() imports pandas (pyarrow 26), which took 0.4 s of every
            # run without court files.
            return pa.Table.from_batches([], schema=SCORE_SCHEMA)

        # Splink takes about a second to import; a run without court files never needs it.
        from splink import Linker, SettingsCreator
        from splink.backends.duckdb import DuckDBAPI

        api = DuckDBAPI(connection=con)
        court = api.register("court_records", table_name="court")
        doj = api.register("doj_records", table_name="doj")
        linker = Linker(
            [court, doj], SettingsCreator.from_path_or_dict(SPLINK_SETTINGS), log_level=None
        )
        predictions = linker.inference.predict().as_duckdbpyrelation()
        con.register("predictions", predictions)
        # Splink puts the records of the alphabetically first data set ("court") on the left.
        return (
            con.execute(
                """
            select
                case when source_dataset_l = 'court' then record_id_l else record_id_r end
                    as court_charge_id,
                case when source_dataset_l = 'court' then record_id_r else record_id_l end
                    as conviction_id,
                case when gamma_cii_number = 1 then 'cii' else 'name_dob' end as link_method,
                match_weight,
                match_probability as match_score,
                gamma_cii_number::varchar as cii_level,
                gamma_name::varchar as name_level,
                gamma_dob::varchar as dob_level,
            from predictions
            """
            )
            .to_arrow_table()
            .cast(SCORE_SCHEMA)
        )
    finally:
        con.close()
