"""Dashboard figures over hand-made publications: people in two counties are counted once.

County A (policy pa) has subjects k1, k2 and k3 with one Prop 64 conviction each; county B
(policy pb) has k3 and k4. Under the county policies k1 (in A) and k3 (in B) are relieved;
under dismiss-all-prop64 every conviction is dismissed. k3 appears in both counties.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from page_tables import chart_rows, page_charts, page_tables

from clearance.dashboards.figures import read_figures, read_publication
from clearance.dashboards.publish import (
    DASHBOARD,
    STATEWIDE,
    write_county_dashboard,
    write_statewide_dashboard,
)

HYPOTHETICAL = "dismiss-all-prop64"
# Table columns that hold words, not counts: the base of a share, a rule id and determination.
TEXT_COLUMNS = {"table-people": {3}, "table-withholding": {2}, "table-review": {2, 3}}

# (subject, eligible under the county policy, withholding rule, relief measures)
COUNTY_A = [
    ("k1", True, None, {"no_conviction": True}),
    ("k2", False, "r_old", {}),
    ("k3", False, "r_old", {}),
]
COUNTY_B = [
    ("k3", True, None, {"no_felony": True}),
    ("k4", False, "r_old", {}),
]


def _write_publication(folder: Path, county: str, policy: str, subjects) -> Path:
    folder.mkdir(parents=True)
    con = duckdb.connect(str(folder / "analyst.duckdb"))
    con.execute(
        """
        create table conviction_outcomes (
            policy_name varchar, policy_role varchar, policy_order integer, subject_key varchar,
            section varchar, level varchar, disposition_decade bigint, determination varchar,
            reason varchar, grants_relief boolean, rule_id varchar)
        """
    )
    con.execute(
        """
        create table subject_relief (
            policy_name varchar, policy_role varchar, policy_order integer, subject_key varchar,
            has_some_relief boolean, had_felony boolean, has_no_felony_left boolean,
            has_no_conviction_left boolean, had_conviction_last_7_years boolean,
            has_no_conviction_last_7_years_left boolean)
        """
    )
    con.execute(
        """
        create table relief_by_characteristic (
            policy_name varchar, policy_order integer, characteristic varchar, category varchar,
            subjects bigint, subjects_with_some_relief bigint,
            subjects_with_no_conviction_left bigint)
        """
    )
    for key, eligible, rule, measures in subjects:
        determination = "Eligible for Dismissal" if eligible else "Not eligible"
        con.execute(
            "insert into conviction_outcomes values (?, 'county', 1, ?, '11357', 'FELONY', 1990, "
            "?, ?, ?, ?)",
            [policy, key, determination, rule or "dismiss", eligible, rule or "dismiss"],
        )
        con.execute(
            "insert into conviction_outcomes values (?, 'hypothetical', 2, ?, '11357', 'FELONY', "
            "1990, 'Eligible for Dismissal', 'all', true, 'all')",
            [HYPOTHETICAL, key],
        )
        con.execute(
            # Every conviction here is a felony, so everyone had one.
            "insert into subject_relief values (?, 'county', 1, ?, ?, true, ?, ?, false, false)",
            [
                policy,
                key,
                eligible,
                bool(measures.get("no_felony")),
                bool(measures.get("no_conviction")),
            ],
        )
        con.execute(
            "insert into subject_relief values "
            "(?, 'hypothetical', 2, ?, true, true, true, true, false, false)",
            [HYPOTHETICAL, key],
        )
    relieved = sum(1 for _, eligible, _, _ in subjects if eligible)
    # The analyst database suppresses counts from 1 to 10 as null.
    con.execute(
        "insert into relief_by_characteristic values (?, 1, 'race', 'OTHER', null, ?, 0)",
        [policy, relieved if relieved > 10 else None],
    )
    con.close()
    summary = {
        "run_id": f"run-{county}",
        "county": county,
        "policy": {"name": policy, "parameters": {}},
        "compute_date": "2026-07-01",
        "subjects": {"with_prop64_conviction": len(subjects), "with_some_relief": relieved},
        "court": None,
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "run-manifest.json").write_text(json.dumps({"inputs": []}), encoding="utf-8")
    return folder


@pytest.fixture
def publish_root(tmp_path: Path) -> Path:
    root = tmp_path / "publications"
    for slug, county, policy, subjects in (
        ("county_a", "COUNTY A", "pa", COUNTY_A),
        ("county_b", "COUNTY B", "pb", COUNTY_B),
    ):
        run = _write_publication(root / slug / "run1", county, policy, subjects)
        (root / slug / "latest").symlink_to(run.name)
    return root


def test_statewide_counts_each_person_once(publish_root: Path) -> None:
    publications = [
        read_publication(publish_root / slug / "latest") for slug in ("county_a", "county_b")
    ]
    figures = read_figures(publications, "California", statewide=True)
    county, hypothetical = figures.policies
    assert county.key == "county"
    assert hypothetical.key == HYPOTHETICAL

    # Convictions are each county's own, so they add up: 3 + 2.
    assert county.convictions == 5
    assert county.eligible == 2
    # k1 to k4, with k3 once although both counties list it.
    assert county.people == 4
    # k1 relieved in A, k3 relieved in B.
    assert county.relieved == 2
    assert county.no_felony_left == 1
    assert county.no_conviction_left == 1
    # Every conviction dismissed: 4 people, not the 5 rows of subject_relief.
    assert hypothetical.people == 4
    assert hypothetical.relieved == 4
    assert figures.people_in_several_counties == 1


def test_statewide_withholding_rules_count_people_per_policy(publish_root: Path) -> None:
    publications = [
        read_publication(publish_root / slug / "latest") for slug in ("county_a", "county_b")
    ]
    figures = read_figures(publications, "California", statewide=True)
    # The fixture records each rule id as its reason too.
    assert figures.withholding_rules == [
        ("pa", "r_old", "Not eligible", "r_old", 2),
        ("pb", "r_old", "Not eligible", "r_old", 1),
    ]


def test_characteristic_suppressed_in_one_county_stays_suppressed(publish_root: Path) -> None:
    publications = [
        read_publication(publish_root / slug / "latest") for slug in ("county_a", "county_b")
    ]
    figures = read_figures(publications, "California", statewide=True)
    assert figures.relieved_by_characteristic["race"] == [("OTHER", None)]
    # People relieved summed over counties, as each county's page shows them: 1 + 1.
    assert figures.relieved_by_characteristic_total == 2


def test_statewide_page_is_written_owner_only(publish_root: Path) -> None:
    page = write_statewide_dashboard(publish_root)
    assert page == publish_root / STATEWIDE / DASHBOARD
    assert page.stat().st_mode & 0o777 == 0o600
    assert (publish_root / STATEWIDE).stat().st_mode & 0o777 == 0o700
    html = page.read_text(encoding="utf-8")
    assert "County A" in html
    # Every count of these publications is 0 or from 1 to 10, so no other number is printed.
    tables = page_tables(html)
    assert tables["table-people"][1] == [
        "People with a Prop 64 conviction",
        "suppressed",
        "",
        "",
    ]
    for table_id, rows in tables.items():
        for row in rows[1:]:
            for index, cell in enumerate(row[1:], start=1):
                if index in TEXT_COLUMNS.get(table_id, ()):
                    continue
                assert cell in ("suppressed", "0", "-", "", "0%"), (table_id, row)
    charts = page_charts(html)
    assert charts
    for chart in charts:
        for bar in chart_rows(chart):
            assert bar["value"] in (None, 0), bar


def test_statewide_page_needs_a_publication(tmp_path: Path) -> None:
    assert write_statewide_dashboard(tmp_path) is None


def test_statewide_leaves_out_run_without_dashboard_tables(publish_root: Path) -> None:
    run = publish_root / "county_b" / "latest"
    with duckdb.connect(str(run / "analyst.duckdb")) as con:
        con.execute("drop table relief_by_characteristic")
    page = write_statewide_dashboard(publish_root)
    assert page is not None
    html = page.read_text(encoding="utf-8")
    assert "County A" in html
    assert "County B" not in html


def _county_subjects(prefix: str, people: int, relieved: int) -> list:
    return [
        (f"{prefix}{index}", index < relieved, None if index < relieved else "r_old", {})
        for index in range(people)
    ]


def test_statewide_minus_one_county_gives_back_nothing_hidden(tmp_path: Path) -> None:
    # County A: 40 people, 25 relieved, 15 not eligible. County B: 25 people, 18 relieved and
    # 7 not eligible, so B's page hides its 18 (else 25 - 18 gives the 7). Statewide, people
    # relieved is 25 + 18 = 43, and 43 - 25 from A's page would give B's 18 back, so the
    # statewide page hides 43 too. Not eligible convictions likewise: 15 + 7 = 22.
    root = tmp_path / "publications"
    for slug, county, policy, subjects in (
        ("county_a", "COUNTY A", "pa", _county_subjects("a", 40, 25)),
        ("county_b", "COUNTY B", "pb", _county_subjects("b", 25, 18)),
    ):
        run = _write_publication(root / slug / "run1", county, policy, subjects)
        (root / slug / "latest").symlink_to(run.name)
    write_county_dashboard(root / "county_a" / "latest")
    write_county_dashboard(root / "county_b" / "latest")
    write_statewide_dashboard(root)

    relieved_label = "People relieved (at least one conviction dismissed or reduced)"
    pages = {
        name: page_tables(path.read_text(encoding="utf-8"))
        for name, path in (
            ("a", root / "county_a" / "latest" / DASHBOARD),
            ("b", root / "county_b" / "latest" / DASHBOARD),
            ("statewide", root / STATEWIDE / DASHBOARD),
        )
    }
    people = {name: {row[0]: row[1] for row in t["table-people"][1:]} for name, t in pages.items()}
    reasons = {
        name: {row[0]: row[1] for row in t["table-reasons"][1:]} for name, t in pages.items()
    }
    assert people["a"][relieved_label] == "25"
    assert people["b"][relieved_label] == "suppressed"
    assert people["b"]["People with a Prop 64 conviction"] == "25"
    assert people["statewide"][relieved_label] == "suppressed"
    assert people["statewide"]["People with a Prop 64 conviction"] == "65"

    assert reasons["a"]["Not eligible: all reasons"] == "15"
    assert reasons["b"]["Not eligible: all reasons"] == "suppressed"
    assert reasons["statewide"]["Not eligible: all reasons"] == "suppressed"
