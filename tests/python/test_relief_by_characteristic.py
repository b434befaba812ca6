"""The suppression of `relief_by_characteristic`, on hand-made `fct_subject_relief` rows.

Each rule of `clearance.publishing.characteristics` has the smallest case that triggers it and
one that does not. Every subject is of one gender and one age band, so only race has several
categories, and the race cells are the ones checked.
"""

from __future__ import annotations

import random
from typing import Any

import duckdb
import pytest

from clearance.publishing.characteristics import MEASURES, relief_by_characteristic_select

COUNTY_POLICY = "county-policy"
FLAGS = (
    "has_some_relief",
    "had_felony",
    "has_no_felony_left",
    "has_no_conviction_left",
    "had_conviction_last_7_years",
    "has_no_conviction_last_7_years_left",
)


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("attach ':memory:' as warehouse")
    con.execute("create schema warehouse.marts")
    flag_columns = ", ".join(f"{flag} boolean" for flag in FLAGS)
    con.execute(
        f"""
        create table warehouse.marts.fct_subject_relief (
            policy_name varchar, policy_role varchar, policy_order integer, gender varchar,
            race_descr varchar, age_band varchar, {flag_columns})
        """
    )
    return con


def add_subjects(
    con: duckdb.DuckDBPyConnection,
    race: str | None,
    count: int,
    policy: str = COUNTY_POLICY,
    gender: str = "F",
    age_band: str = "30-39",
    **flags: int,
) -> None:
    """Insert count subjects of one race, of whom flags gives how many have each flag set."""
    unknown = set(flags) - set(FLAGS)
    assert not unknown, unknown
    order = 1 if policy == COUNTY_POLICY else 2
    role = "county" if policy == COUNTY_POLICY else "hypothetical"
    # Subject i has a flag when i is below that flag's count.
    flag_values = ", ".join(f"range < ${flag}" for flag in FLAGS)
    con.execute(
        f"""
        insert into warehouse.marts.fct_subject_relief
        select $policy, $role, $order, $gender, $race, $age_band, {flag_values},
        from range($count)
        """,
        {
            "policy": policy,
            "role": role,
            "order": order,
            "gender": gender,
            "race": race,
            "age_band": age_band,
            "count": count,
            **{flag: flags.get(flag, 0) for flag in FLAGS},
        },
    )


def published(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Return the table's rows keyed by policy, characteristic and category."""
    result = con.execute(relief_by_characteristic_select())
    columns = [column[0] for column in result.description]
    rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    return {(row["policy_name"], row["characteristic"], row["category"]): row for row in rows}


def race(rows: dict, category: str, policy: str = COUNTY_POLICY) -> dict[str, Any]:
    return rows[(policy, "race", category)]


def test_count_of_ten_is_null_and_eleven_shown(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 10)
    add_subjects(warehouse, "B", 10)
    add_subjects(warehouse, "C", 11)

    rows = published(warehouse)

    assert race(rows, "A")["subjects"] is None
    assert race(rows, "B")["subjects"] is None
    assert race(rows, "C")["subjects"] == 11


def test_zero_shown_when_complement_large(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 10)
    add_subjects(warehouse, "B", 10)
    add_subjects(warehouse, "C", 11)

    rows = published(warehouse)

    # 11 people of C without relief: the 0 points at no one.
    assert race(rows, "C")["subjects_with_some_relief"] == 0
    # 10 people of A without relief: the 0 would tell that none of them was relieved.
    assert race(rows, "A")["subjects_with_some_relief"] is None


def test_complement_of_ten_hides_measure(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 21, has_some_relief=11)
    add_subjects(warehouse, "B", 21, has_some_relief=11)
    add_subjects(warehouse, "C", 22, has_some_relief=11)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_some_relief"] is None
    assert race(rows, "B")["subjects_with_some_relief"] is None
    assert race(rows, "C")["subjects_with_some_relief"] == 11
    assert race(rows, "A")["subjects"] == 21


def test_left_measure_complement_uses_felony_base(warehouse: duckdb.DuckDBPyConnection) -> None:
    # 40 people in each race: against `subjects` every complement is large, against the people
    # with a felony A and B leave 10 with a felony and C leaves 11.
    add_subjects(warehouse, "A", 40, had_felony=25, has_no_felony_left=15)
    add_subjects(warehouse, "B", 40, had_felony=25, has_no_felony_left=15)
    add_subjects(warehouse, "C", 40, had_felony=26, has_no_felony_left=15)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_no_felony_left"] is None
    assert race(rows, "B")["subjects_with_no_felony_left"] is None
    assert race(rows, "C")["subjects_with_no_felony_left"] == 15
    assert race(rows, "A")["subjects_with_felony"] == 25


def test_left_measure_complement_uses_recent_base(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(
        warehouse, "A", 60, had_conviction_last_7_years=30, has_no_conviction_last_7_years_left=20
    )
    add_subjects(
        warehouse, "B", 60, had_conviction_last_7_years=30, has_no_conviction_last_7_years_left=20
    )
    add_subjects(
        warehouse, "C", 60, had_conviction_last_7_years=31, has_no_conviction_last_7_years_left=20
    )

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_no_conviction_last_7_years_left"] is None
    assert race(rows, "C")["subjects_with_no_conviction_last_7_years_left"] == 20
    assert race(rows, "C")["subjects_with_conviction_last_7_years"] == 31


def test_hidden_base_hides_left_measure(warehouse: duckdb.DuckDBPyConnection) -> None:
    # No one has a felony. In A and B the 0 felonies are hidden (5 people without one), so a
    # shown 0 left with no felony would give that back.
    add_subjects(warehouse, "A", 5)
    add_subjects(warehouse, "B", 5)
    add_subjects(warehouse, "C", 15)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_felony"] is None
    assert race(rows, "A")["subjects_with_no_felony_left"] is None
    assert race(rows, "B")["subjects_with_no_felony_left"] is None
    assert race(rows, "C")["subjects_with_felony"] == 0
    assert race(rows, "C")["subjects_with_no_felony_left"] == 0


def test_one_hidden_category_hides_smallest_other(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 5)
    add_subjects(warehouse, "B", 30)
    add_subjects(warehouse, "C", 20)

    rows = published(warehouse)

    assert race(rows, "A")["subjects"] is None
    assert race(rows, "C")["subjects"] is None
    assert race(rows, "B")["subjects"] == 30


def test_two_hidden_categories_hide_no_other(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 5)
    add_subjects(warehouse, "A2", 6)
    add_subjects(warehouse, "B", 30)
    add_subjects(warehouse, "C", 20)

    rows = published(warehouse)

    assert race(rows, "B")["subjects"] == 30
    assert race(rows, "C")["subjects"] == 20


def test_complementary_prefers_nonzero_to_zero(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 15, has_some_relief=14)
    add_subjects(warehouse, "B", 20, has_some_relief=0)
    add_subjects(warehouse, "C", 40, has_some_relief=25)
    add_subjects(warehouse, "D", 50, has_some_relief=35)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_some_relief"] is None
    assert race(rows, "C")["subjects_with_some_relief"] is None
    assert race(rows, "B")["subjects_with_some_relief"] == 0
    assert race(rows, "D")["subjects_with_some_relief"] == 35


def test_complementary_falls_back_to_zero(warehouse: duckdb.DuckDBPyConnection) -> None:
    # Without hiding B's 0, the published total relief (14) minus 0 would give A's 14 back, and
    # with A's 15 people, the one person of A without relief.
    add_subjects(warehouse, "A", 15, has_some_relief=14)
    add_subjects(warehouse, "B", 20, has_some_relief=0)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_some_relief"] is None
    assert race(rows, "B")["subjects_with_some_relief"] is None


def test_zero_with_zero_base_not_taken(warehouse: duckdb.DuckDBPyConnection) -> None:
    # B's 0 left with no felony is certain from its shown 0 people with a felony, so hiding it
    # protects nothing and C's 12 is hidden instead.
    add_subjects(warehouse, "A", 30, had_felony=25, has_no_felony_left=20)
    add_subjects(warehouse, "B", 30, had_felony=0, has_no_felony_left=0)
    add_subjects(warehouse, "C", 30, had_felony=25, has_no_felony_left=12)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_no_felony_left"] is None
    assert race(rows, "B")["subjects_with_no_felony_left"] == 0
    assert race(rows, "C")["subjects_with_no_felony_left"] is None


def test_complementary_per_policy(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 5)
    add_subjects(warehouse, "B", 30)
    add_subjects(warehouse, "C", 20)
    add_subjects(warehouse, "A", 15, policy="other-policy")
    add_subjects(warehouse, "B", 30, policy="other-policy")
    add_subjects(warehouse, "C", 20, policy="other-policy")

    rows = published(warehouse)

    assert race(rows, "C")["subjects"] is None
    assert race(rows, "C", "other-policy")["subjects"] == 20


def test_single_category_keeps_one_hidden(warehouse: duckdb.DuckDBPyConnection) -> None:
    # The one category equals the county's total, which county_impact publishes anyway.
    add_subjects(warehouse, "A", 15, has_some_relief=14)

    rows = published(warehouse)

    assert race(rows, "A")["subjects_with_some_relief"] is None
    assert race(rows, "A")["subjects"] == 15


def test_missing_race_counts_as_unknown(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, None, 12)
    add_subjects(warehouse, "A", 12)

    rows = published(warehouse)

    assert race(rows, "unknown")["subjects"] == 12
    assert rows[(COUNTY_POLICY, "gender", "F")]["subjects"] == 24
    assert rows[(COUNTY_POLICY, "age_band", "30-39")]["subjects"] == 24


def test_counts_are_bigint(warehouse: duckdb.DuckDBPyConnection) -> None:
    add_subjects(warehouse, "A", 12)

    result = warehouse.execute(relief_by_characteristic_select())
    types = {column[0]: column[1] for column in result.description}

    for measure, _ in MEASURES:
        assert types[measure] == "BIGINT", measure


@pytest.mark.parametrize("seed", range(8))
def test_random_warehouse_gives_nothing_back(
    warehouse: duckdb.DuckDBPyConnection, seed: int
) -> None:
    """On random rows, every count that rules 1 and 2 hide is null, every shown count is exact,
    and no measure has exactly one hidden race: five races always leave one to hide."""
    generator = random.Random(seed)
    exact: dict[tuple[str, str], dict[str, int]] = {}
    for category in ("A", "B", "C", "D", "E"):
        size = generator.choice((3, 9, 12, 25, 60, 150, 400))
        felony = generator.randint(0, size)
        recent = generator.randint(0, size)
        counts = {
            "has_some_relief": generator.randint(0, size),
            "had_felony": felony,
            "has_no_felony_left": generator.randint(0, felony),
            "has_no_conviction_left": generator.randint(0, size),
            "had_conviction_last_7_years": recent,
            "has_no_conviction_last_7_years_left": generator.randint(0, recent),
        }
        add_subjects(warehouse, category, size, gender=generator.choice("FM"), **counts)
        exact[category] = {
            "subjects": size,
            "subjects_with_some_relief": counts["has_some_relief"],
            "subjects_with_felony": felony,
            "subjects_with_no_felony_left": counts["has_no_felony_left"],
            "subjects_with_no_conviction_left": counts["has_no_conviction_left"],
            "subjects_with_conviction_last_7_years": recent,
            "subjects_with_no_conviction_last_7_years_left": counts[
                "has_no_conviction_last_7_years_left"
            ],
        }

    rows = published(warehouse)

    for measure, base in MEASURES:
        hidden = 0
        for category, counts in exact.items():
            value = race(rows, category)[measure]
            small = 1 <= counts[measure] <= 10
            small_complement = base is not None and 1 <= counts[base] - counts[measure] <= 10
            if small or small_complement:
                assert value is None, (measure, category)
            if value is None:
                hidden += 1
            else:
                assert value == counts[measure], (measure, category)
        assert hidden != 1, measure
