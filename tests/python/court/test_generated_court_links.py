"""Court linking against the link key of generated Los Angeles and San Francisco data.

The generated DOJ files carry an OFN on every court action of the county, so case numbers link
nearly everything. Each county also runs on a copy with every OFN blanked, as in DOJ files that
lack case numbers, so that every link must come from the person model.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from clearance_command import clearance

from clearance.doj_layout import DOJ_COLUMNS

pytestmark = pytest.mark.slow

SCALE = "0.01"
MIN_PRECISION = 0.99
MIN_RECALL = 0.98


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("generated_court")
    completed = clearance(
        work, "generate", "--county", "LOS ANGELES", "--county", "SAN FRANCISCO",
        "--seed", "7", "--scale", SCALE, "--out", str(work / "input"),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]
    return work


def blank_ofns(source: Path, target: Path) -> Path:
    """Copy a DOJ file with the OFN of every well-formed line emptied."""
    position = DOJ_COLUMNS.index("OFN")
    with (
        source.open(newline="", encoding="latin-1") as reader_stream,
        target.open("w", newline="", encoding="latin-1") as writer_stream,
    ):
        writer = csv.writer(writer_stream, lineterminator="\n")
        for row in csv.reader(reader_stream):
            if len(row) == len(DOJ_COLUMNS):
                row[position] = ""
            writer.writerow(row)
    return target


def link_quality(database: Path, key: Path) -> tuple[int, int, int]:
    """Return (true links, predicted links, correct links) over court Prop 64 convictions."""
    with duckdb.connect(str(database), read_only=True) as con:
        [row] = con.execute(
            """
            with key as (
                select * from read_csv($key, all_varchar = true)
            ),

            charges as (
                select * from staging.stg_court__charges where is_prop64 and is_conviction
            ),

            truth as (
                select charges.court_charge_id, key.subject_id || '-' || key.cnt_order as conviction_id
                from charges
                inner join key
                    on charges.court_county = key.court_county
                    and charges.case_number = key.case_number
                    and charges.charge_seq = cast(key.charge_seq as integer)
                where key.subject_id is not null
            ),

            links as (
                select * from intermediate.int_court__links
            )

            select
                (select count(*) from truth),
                (select count(*) from links),
                (select count(*) from links inner join truth using (court_charge_id, conviction_id)),
            """,
            {"key": str(key)},
        ).fetchall()
    return row


@pytest.mark.parametrize(
    "county, slug, policy, without_ofns",
    [
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", False),
        ("LOS ANGELES", "los_angeles", "la-pilot-2019", True),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", False),
        ("SAN FRANCISCO", "san_francisco", "sf-2019", True),
    ],
)
def test_links_reach_precision_and_recall(generated: Path, county, slug, policy, without_ofns):
    source = generated / "input"
    doj = source / f"{slug}_doj.csv"
    name = f"{slug}_{'no_ofn' if without_ofns else 'ofn'}"
    if without_ofns:
        doj = blank_ofns(doj, generated / f"{name}.csv")
    database = generated / f"{name}.duckdb"
    completed = clearance(
        generated, "run", "--doj", str(doj), "--court", str(source / f"{slug}_court.csv"),
        "--court-mapping", str(source / f"{slug}_court_mapping.yaml"), "--county", county,
        "--policy", policy, "--no-answer-key", "--compute-at", "2026-07-01",
        "--out", str(generated / name), "--warehouse", str(database),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]

    true_links, predicted, correct = link_quality(database, source / "court-link-key.csv")

    assert true_links > 50
    assert correct / predicted >= MIN_PRECISION
    assert correct / true_links >= MIN_RECALL
