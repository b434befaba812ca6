"""Court links of a run measured against the generator's `court-link-key.csv`.

The key gives, for every court charge the generator wrote, the DOJ conviction it represents
(subject and count order) or none. A link is correct when the run joined the same court charge
to the same conviction. Only court Prop 64 convictions count, because only they are linked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clearance.doj_layout import DOJ_COLUMNS
from clearance.synthetic.generator.court_files import LINK_KEY_NAME

__all__ = ["LINK_KEY_NAME", "LinkQuality", "blank_case_numbers", "link_quality"]


@dataclass(frozen=True)
class LinkQuality:
    """Link counts: in the key, made by the run, and made by the run and correct."""

    true_links: int
    predicted_links: int
    correct_links: int

    @property
    def precision(self) -> float:
        return self.correct_links / self.predicted_links if self.predicted_links else 1.0

    @property
    def recall(self) -> float:
        return self.correct_links / self.true_links if self.true_links else 1.0


_LINK_QUALITY_SQL = """
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
"""


def link_quality(warehouse: Path, key: Path) -> LinkQuality:
    """Compare the court links of the warehouse's last build with the link key."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [row] = con.execute(_LINK_QUALITY_SQL, {"key": str(key)}).fetchall()
    return LinkQuality(*row)


def blank_case_numbers(source: Path, target: Path) -> Path:
    """Copy a DOJ file with the OFN of every well-formed line emptied.

    DOJ files from counties that never sent case numbers look like this, and every court link
    then has to come from the person model.
    """
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
