"""Court review files: court-only convictions for hand review, and person links near the threshold.

A run with court files writes `Court_Only_Hand_Review.csv` and `Court_Link_Review.csv` into its
folder. Neither carries a name or a date of birth, but case numbers identify people through the
court's records, so both are owner-only (0600), like the motion lists.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import duckdb

from clearance.linking.person_links import comparison_level_labels
from clearance.owner_only import replacing_owner_only
from clearance.settings import duckdb_memory_limit

logger = logging.getLogger(__name__)

COURT_ONLY_FILE = "Court_Only_Hand_Review.csv"
LINK_REVIEW_FILE = "Court_Link_Review.csv"

COURT_ONLY_HEADINGS = (
    "Court",
    "Case Number",
    "Charge Sequence",
    "Section",
    "Level",
    "Disposition Date",
    "Determination",
    "Reason",
)
COURT_ONLY_SQL = """
select
    court_charges.court_county,
    court_charges.case_number,
    court_charges.charge_seq,
    'HS ' || court_convictions.section || coalesce(court_charges.subsections, '') as section,
    court_convictions.conviction_level,
    strftime(court_convictions.disposition_date, '%Y-%m-%d') as disposition_date,
    court_convictions.court_only_determination,
    court_convictions.court_only_reason,
from intermediate.int_court__prop64_convictions as court_convictions
inner join staging.stg_court__charges as court_charges
    on court_convictions.court_charge_id = court_charges.court_charge_id
where court_convictions.record_source = 'court_only'
order by court_charges.court_county, court_charges.case_number, court_charges.charge_seq
"""

LINK_REVIEW_HEADINGS = (
    "Court Case Number",
    "Court Charge Sequence",
    "DOJ Case Number",
    "Match Score",
    "Linked",
    "CII Number",
    "Name",
    "Date of Birth",
)
LINK_REVIEW_SQL = """
select
    court_charges.case_number,
    court_charges.charge_seq,
    doj_convictions.doj_case_numbers,
    round(link_reviews.match_score, 4) as match_score,
    case when link_reviews.is_linked then 'yes' else 'no' end as linked,
    link_reviews.cii_level,
    link_reviews.name_level,
    link_reviews.dob_level,
from intermediate.int_court__link_reviews as link_reviews
inner join staging.stg_court__charges as court_charges
    on link_reviews.court_charge_id = court_charges.court_charge_id
left join intermediate.int_court__prop64_convictions as doj_convictions
    on link_reviews.conviction_id = doj_convictions.conviction_id
order by link_reviews.match_score desc, court_charges.case_number, court_charges.charge_seq
"""


def write_court_reviews(warehouse: Path, out_dir: Path) -> dict[str, int]:
    """Write both court review files into out_dir; return the row count of each file."""
    labels = comparison_level_labels()
    config = {"memory_limit": duckdb_memory_limit()}
    with duckdb.connect(str(warehouse), read_only=True, config=config) as con:
        court_only = con.execute(COURT_ONLY_SQL).fetchall()
        reviews = [
            (
                *row[:5],
                labels["cii_level"].get(row[5], row[5]),
                labels["name_level"].get(row[6], row[6]),
                labels["dob_level"].get(row[7], row[7]),
            )
            for row in con.execute(LINK_REVIEW_SQL).fetchall()
        ]
    _write_csv(out_dir / COURT_ONLY_FILE, COURT_ONLY_HEADINGS, court_only)
    _write_csv(out_dir / LINK_REVIEW_FILE, LINK_REVIEW_HEADINGS, reviews)
    logger.info(
        "Wrote %s (%d rows) and %s (%d rows) to %s",
        COURT_ONLY_FILE,
        len(court_only),
        LINK_REVIEW_FILE,
        len(reviews),
        out_dir,
    )
    return {COURT_ONLY_FILE: len(court_only), LINK_REVIEW_FILE: len(reviews)}


def _write_csv(path: Path, headings: tuple[str, ...], rows: list[tuple]) -> None:
    with replacing_owner_only(path, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headings)
        writer.writerows(rows)
