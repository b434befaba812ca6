"""Dashboard pages of real runs: generated Los Angeles (with its court file) and San Francisco
published into one root, so each run writes its page and the statewide page.

The numbers in the pages' tables must equal queries on each run's analyst.duckdb, and every
page must open in headless Chromium (Debian's package, through chromedriver) with no console
error and no failed request. Screenshots at desktop and phone widths go to
target/dashboard-screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import pytest
from clearance_command import clearance
from page_tables import count, page_tables

from clearance.dashboards.publish import DASHBOARD, STATEWIDE

pytestmark = pytest.mark.slow

SCALE = "0.01"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "target" / "dashboard-screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW_SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def publish_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dashboards")
    generated = clearance(
        work, "generate", "--county", "LOS ANGELES", "--county", "SAN FRANCISCO",
        "--seed", "1", "--scale", SCALE, "--out", str(work / "input"),
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr[-4000:]
    root = work / "publications"
    runs = (
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", True),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", False),
    )
    for county, slug, policy, with_court in runs:
        court = []
        if with_court:
            court = [
                "--court", str(work / "input" / f"{slug}_court.csv"),
                "--court-mapping", str(work / "input" / f"{slug}_court_mapping.yaml"),
            ]  # fmt: skip
        completed = clearance(
            work, "run", "--doj", str(work / "input" / f"{slug}_doj.csv"), *court,
            "--county", county, "--policy", policy, "--out", str(root),
            CLEARANCE_WAREHOUSE=str(work / f"{slug}.duckdb"), DAGSTER_HOME=str(work),
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr[-4000:]
    return root


def _analyst(root: Path, slug: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(root / slug / "latest" / "analyst.duckdb"), read_only=True)


def _tables(path: Path) -> dict[str, list[list[str]]]:
    return page_tables(path.read_text(encoding="utf-8"))


def _shown(text: str, expected: int) -> bool:
    """Return whether a printed count matches: the number itself, or `suppressed`."""
    return count(text) in (None, expected)


@pytest.mark.parametrize("slug", ["los_angeles", "san_francisco"])
def test_county_page_numbers_equal_marts(publish_root: Path, slug: str) -> None:
    tables = _tables(publish_root / slug / "latest" / DASHBOARD)
    with _analyst(publish_root, slug) as con:
        impact = con.execute(
            """
            select prop64_convictions, eligible_convictions, subjects_with_prop64_conviction,
                subjects_with_some_relief, subjects_with_no_felony_left,
                subjects_with_no_conviction_left, subjects_with_no_conviction_last_7_years_left,
            from county_impact where policy_role = 'county'
            """
        ).fetchone()
        reasons = con.execute(
            "select reason, convictions from outcome_reasons where policy_role = 'county'"
        ).fetchall()
        rules = con.execute(
            "select rule_id, subjects from withholding_rules where policy_order = 1"
        ).fetchall()
        decades = con.execute(
            """
            select coalesce(disposition_decade || 's', 'date unknown'), count(*)
            from conviction_outcomes where policy_role = 'county' group by all
            """
        ).fetchall()
        bases = con.execute(
            """
            select count_if(had_felony), count_if(had_conviction_last_7_years)
            from subject_relief where policy_role = 'county'
            """
        ).fetchone()
        race = con.execute(
            """
            select category, subjects_with_some_relief from relief_by_characteristic
            where policy_order = 1 and characteristic = 'race'
            """
        ).fetchall()

    people = {row[0]: row[1] for row in tables["table-people"][1:]}
    assert count(people["People with a Prop 64 conviction"]) == impact[2]
    measures = [
        "People relieved (at least one conviction dismissed or reduced)",
        "People who had a felony and are left with none",
        "People left with no conviction",
        "People who had a conviction in the last 7 years and are left with none there",
    ]
    for label, expected in zip(measures, impact[3:], strict=True):
        assert _shown(people[label], expected), label

    assert _shown(people["People who had a felony conviction"], bases[0])
    assert _shown(people["People who had a conviction in the last 7 years"], bases[1])

    reason_rows = {row[0].strip(): row[1] for row in tables["table-reasons"][1:]}
    assert count(reason_rows["All Prop 64 convictions"]) == impact[0]
    for reason, convictions in reasons:
        assert _shown(reason_rows[reason], convictions), reason
    # The largest reason is printed, so the comparison is not all suppressed.
    largest_reason, largest = max(reasons, key=lambda item: item[1])
    assert count(reason_rows[largest_reason]) == largest

    decade_rows = {row[0]: row[1] for row in tables["table-decades"][1:]}
    for decade, convictions in decades:
        assert _shown(decade_rows[decade], convictions), decade
    assert count(decade_rows["All decades"]) == impact[0]

    # Rules that deny relief and rules that send to review are listed apart, by rule id. A
    # rule with convictions in both lists splits its people, so only a rule listed once
    # shows the analyst database's count.
    rule_rows: dict[str, list[str]] = {}
    for table in ("table-withholding", "table-review"):
        for row in tables[table][1:]:
            rule_rows.setdefault(row[2], []).append(row[1])
    assert set(rule_rows) == {rule for rule, _ in rules}
    for rule, subjects in rules:
        if len(rule_rows[rule]) == 1:
            assert _shown(rule_rows[rule][0], subjects), rule

    race_rows = {row[0].upper(): row[1] for row in tables["table-race"][1:]}
    for category, relieved in race:
        if relieved is None:
            assert race_rows[category] == "suppressed", category
        else:
            assert _shown(race_rows[category], relieved), category

    # Every printed count of 1 to 10 would be a small cell.
    for table_id, rows in tables.items():
        for row in rows[1:]:
            for cell in row[1:]:
                if cell.replace(",", "").isdigit():
                    assert not 1 <= int(cell.replace(",", "")) <= 10, (table_id, row)


def test_court_block_shows_summary_court_figures(publish_root: Path) -> None:
    folder = publish_root / "los_angeles" / "latest"
    court = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["court"]
    rows = {row[0]: row[1] for row in _tables(folder / DASHBOARD)["table-court"][1:]}
    assert _shown(rows["In DOJ and court records"], court["matched"])
    assert _shown(rows["In court records only"], court["court_only"])
    assert court["matched"] > 10
    assert count(rows["In DOJ and court records"]) == court["matched"]
    assert "table-court" not in _tables(publish_root / "san_francisco" / "latest" / DASHBOARD)


def test_statewide_page_adds_counties_and_counts_people_once(publish_root: Path) -> None:
    tables = _tables(publish_root / STATEWIDE / DASHBOARD)
    keys: set[str] = set()
    relieved: set[str] = set()
    convictions = 0
    for slug in ("los_angeles", "san_francisco"):
        with _analyst(publish_root, slug) as con:
            convictions += con.execute(
                "select prop64_convictions from county_impact where policy_role = 'county'"
            ).fetchone()[0]
            for key, has_relief in con.execute(
                "select subject_key, has_some_relief from subject_relief where policy_role = 'county'"
            ).fetchall():
                keys.add(key)
                if has_relief:
                    relieved.add(key)
    people = {row[0]: row[1] for row in tables["table-people"][1:]}
    assert count(people["People with a Prop 64 conviction"]) == len(keys)
    assert _shown(
        people["People relieved (at least one conviction dismissed or reduced)"], len(relieved)
    )
    reasons = {row[0].strip(): row[1] for row in tables["table-reasons"][1:]}
    assert count(reasons["All Prop 64 convictions"]) == convictions


def test_pages_are_owner_only(publish_root: Path) -> None:
    pages = [
        publish_root / slug / "latest" / DASHBOARD for slug in ("los_angeles", "san_francisco")
    ]
    pages.append(publish_root / STATEWIDE / DASHBOARD)
    for page in pages:
        assert page.stat().st_mode & 0o777 == 0o600, page


@pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver: make browser installs them",
)
def test_pages_open_in_chromium_without_errors(publish_root: Path) -> None:
    from browser import open_page, start_chromium

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "los_angeles": publish_root / "los_angeles" / "latest" / DASHBOARD,
        "san_francisco": publish_root / "san_francisco" / "latest" / DASHBOARD,
        "statewide": publish_root / STATEWIDE / DASHBOARD,
    }
    with tempfile.TemporaryDirectory() as profile, start_chromium(Path(profile)) as driver:
        for name, page in pages.items():
            for width_name, size in WINDOW_SIZES.items():
                result = open_page(driver, page, size, SCREENSHOTS / f"{name}-{width_name}.png")
                assert result.console_errors == [], (name, width_name)
                assert result.failed_requests == [], (name, width_name)
                assert result.other_requests == [], (name, width_name)
                assert result.charts_drawn == result.charts, (name, width_name)
                # Nothing wider than the window: a phone reader scrolls down, not sideways.
                assert result.page_width <= size[0], (name, width_name)
