"""The example queries of docs/analysts.md, run against the demo's two publications.

Each expected value is worked out apart from the query. It comes from summary.json (which the
exports step writes from the warehouse), from the restricted warehouse's marts, or from the
policies themselves: under `dismiss-all-prop64` every Prop 64 conviction in the county is
dismissed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from analyst_queries import read_example_queries
from demo_publication import DemoPublication

pytestmark = pytest.mark.slow

QUERIES = read_example_queries()
COUNTY_FOLDERS = ("los_angeles", "san_francisco")


def run_query(database: Path, title: str) -> list[dict[str, Any]]:
    """Run the example titled title on a database, read-only, and return its rows as dicts."""
    with duckdb.connect(str(database), read_only=True) as con:
        result = con.execute(QUERIES[title])
        columns = [column[0] for column in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


@pytest.fixture(scope="module", params=COUNTY_FOLDERS)
def county(request: pytest.FixtureRequest, demo_publication: DemoPublication) -> dict[str, Any]:
    """One county's analyst database, summary.json and restricted warehouse from the demo."""
    assert demo_publication.returncode == 0, demo_publication.stderr[-4000:]
    latest = demo_publication.latest(request.param)
    return {
        "analyst": latest / "analyst.duckdb",
        "summary": json.loads((latest / "summary.json").read_text(encoding="utf-8")),
        "warehouse": demo_publication.warehouse(request.param),
    }


def test_guide_lists_expected_examples() -> None:
    assert set(QUERIES) == {
        "Eligible convictions by reason",
        "People left with no felony by race",
        "Two policies compared",
        "Impact under every policy",
        "Eligible convictions by decade of disposition",
        "Convictions by section and level",
        "Rules that withhold relief from the most people",
        "Court linking",
    }


def test_eligible_by_reason_matches_summary(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Eligible convictions by reason")
    convictions = county["summary"]["convictions"]

    assert rows
    assert sum(row["convictions"] for row in rows) == convictions["eligible"]
    for determination in ("Eligible for Dismissal", "Eligible for Reduction"):
        by_determination = sum(
            row["convictions"] for row in rows if row["determination"] == determination
        )
        assert by_determination == convictions["by_determination"].get(determination, 0)
    for row in rows:
        # summary.json counts a reason over every determination that gives it.
        assert row["convictions"] <= convictions["by_reason"][row["reason"]]
        assert 1 <= row["subjects"] <= row["convictions"]


def is_small(count: int) -> bool:
    return 1 <= count <= 10


def test_no_felony_by_race_matches_mart(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "People left with no felony by race")
    with duckdb.connect(str(county["warehouse"]), read_only=True) as con:
        exact = {
            race: {
                "subjects": subjects,
                "subjects_with_felony": felony,
                "subjects_with_no_felony_left": no_felony_left,
            }
            for race, subjects, felony, no_felony_left in con.execute(
                """
                select
                    coalesce(race_descr, 'unknown'),
                    count(*),
                    count_if(had_felony),
                    count_if(has_no_felony_left),
                from marts.fct_subject_relief
                where policy_role = 'county'
                group by all
                """
            ).fetchall()
        }
    published = {row["race"]: row for row in rows}

    assert set(published) == set(exact)
    subjects_left = county["summary"]["subjects_left"][county["summary"]["policy"]["name"]]
    assert (
        sum(counts["subjects_with_no_felony_left"] for counts in exact.values())
        == subjects_left["no_felony"]
    )
    for race, counts in exact.items():
        subjects_hidden = is_small(counts["subjects"])
        felony_hidden = (
            is_small(counts["subjects_with_felony"])
            or is_small(counts["subjects"] - counts["subjects_with_felony"])
            or subjects_hidden
        )
        left_hidden = (
            is_small(counts["subjects_with_no_felony_left"])
            or is_small(counts["subjects_with_felony"] - counts["subjects_with_no_felony_left"])
            or felony_hidden
        )
        hidden = {
            "subjects": subjects_hidden,
            "subjects_with_felony": felony_hidden,
            "subjects_with_no_felony_left": left_hidden,
        }
        for measure, count in counts.items():
            value = published[race][measure]
            if hidden[measure]:
                assert value is None, (race, measure)
            if value is not None:
                assert value == count, (race, measure)
    for measure in ("subjects", "subjects_with_felony", "subjects_with_no_felony_left"):
        # Several races, so a single hidden race would be the total minus the shown ones.
        assert len(exact) > 1
        assert sum(1 for row in rows if row[measure] is None) != 1, measure


def test_policy_comparison_matches_mart(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Two policies compared")
    convictions = county["summary"]["convictions"]
    with duckdb.connect(str(county["warehouse"]), read_only=True) as con:
        from_mart = con.execute(
            """
            select outcome_change, count(*), count(distinct subject_key),
            from marts.fct_policy_comparisons
            where policy_a = $county_policy and policy_b = 'dismiss-all-prop64'
            group by outcome_change
            order by outcome_change
            """,
            {"county_policy": county["summary"]["policy"]["name"]},
        ).fetchall()
    changes = {row["outcome_change"]: row["convictions"] for row in rows}

    assert [tuple(row.values()) for row in rows] == from_mart
    assert sum(changes.values()) == convictions["total"]
    # Dismissing every conviction takes relief from none, and gives it to each conviction the
    # county's policy leaves without relief.
    assert "loses relief" not in changes
    assert changes.get("gains relief", 0) == convictions["total"] - convictions["eligible"]


def test_conviction_numbers_follow_history(county: dict[str, Any]) -> None:
    # The restricted mart keeps cnt_order, which the analyst table leaves out: numbering the
    # mart's rows by it, per policy and subject, gives the numbers the analyst table must show.
    with duckdb.connect(str(county["warehouse"]), read_only=True) as con:
        mart_rows = con.execute(
            """
            select
                policy_name, subject_key, cnt_order,
                section, subsections, level, disposition_decade, determination,
            from marts.fct_conviction_outcomes
            """
        ).fetchall()
    histories: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for policy, key, cnt_order, *facts in mart_rows:
        histories.setdefault((policy, key), []).append((cnt_order, *facts))
    expected = {
        (policy, key, number): tuple(facts)
        for (policy, key), history in histories.items()
        for number, (_, *facts) in enumerate(sorted(history), start=1)
    }
    with duckdb.connect(str(county["analyst"]), read_only=True) as con:
        analyst_rows = con.execute(
            """
            select
                policy_name, subject_key, conviction_number,
                section, subsections, level, disposition_decade, determination,
            from conviction_outcomes
            """
        ).fetchall()

    assert any(number > 1 for _, _, number in expected)
    assert {row[:3]: row[3:] for row in analyst_rows} == expected
    assert len(analyst_rows) == len(expected)


def test_impact_per_policy_matches_summary(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Impact under every policy")
    summary = county["summary"]

    assert [row["policy_name"] for row in rows] == [
        summary["policy"]["name"],
        "dismiss-all-prop64",
        "dismiss-all-prop64-and-related",
    ]
    assert [row["policy_role"] for row in rows] == ["county", "hypothetical", "hypothetical"]
    for row in rows:
        assert {
            "no_felony": row["subjects_with_no_felony_left"],
            "no_conviction": row["subjects_with_no_conviction_left"],
            "no_conviction_last_7_years": row["subjects_with_no_conviction_last_7_years_left"],
        } == summary["subjects_left"][row["policy_name"]]
    county_row, dismiss_all, dismiss_all_related = rows
    assert county_row["eligible_convictions"] == summary["convictions"]["eligible"]
    assert county_row["subjects_with_some_relief"] == summary["subjects"]["with_some_relief"]
    for hypothetical in (dismiss_all, dismiss_all_related):
        assert hypothetical["eligible_convictions"] == summary["convictions"]["total"]
        assert (
            hypothetical["subjects_with_some_relief"]
            == summary["subjects"]["with_prop64_conviction"]
        )


def test_decades_add_up_to_summary(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Eligible convictions by decade of disposition")
    convictions = county["summary"]["convictions"]
    compute_year = int(county["summary"]["compute_date"][:4])
    earliest_year = int(convictions["earliest_disposition_date"][:4])

    assert sum(row["convictions"] for row in rows) == convictions["total"]
    assert sum(row["eligible_convictions"] for row in rows) == convictions["eligible"]
    decades = [row["disposition_decade"] for row in rows if row["disposition_decade"] is not None]
    assert decades
    for decade in decades:
        assert decade % 10 == 0
        assert earliest_year // 10 * 10 <= decade <= compute_year


def test_section_and_level_match_summary(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Convictions by section and level")
    convictions = county["summary"]["convictions"]
    by_determination = convictions["by_determination"]

    by_section: dict[str, int] = {}
    for row in rows:
        by_section[row["section"]] = by_section.get(row["section"], 0) + row["convictions"]
    assert by_section == convictions["by_section"]
    felonies = sum(row["convictions"] for row in rows if row["level"] == "FELONY")
    assert felonies == convictions["felony"]
    unknown = sum(row["convictions"] for row in rows if row["level"] == "unknown")
    assert unknown == convictions["unknown_level"]
    dismissed = sum(row["dismissed"] for row in rows)
    assert dismissed == by_determination.get("Eligible for Dismissal", 0)
    reduced = sum(row["reduced"] for row in rows)
    assert reduced == by_determination.get("Eligible for Reduction", 0)


def test_withholding_rules_cover_unrelieved(county: dict[str, Any]) -> None:
    rows = run_query(county["analyst"], "Rules that withhold relief from the most people")
    convictions = county["summary"]["convictions"]

    assert sum(row["convictions"] for row in rows) == convictions["total"] - convictions["eligible"]
    most = max(row["subjects"] for row in rows)
    for row in rows:
        assert (row["subject_rank"] == 1) == (row["subjects"] == most)


def test_court_linking_empty_without_court_files(county: dict[str, Any]) -> None:
    # The demo runs take no court files.
    assert run_query(county["analyst"], "Court linking") == []
