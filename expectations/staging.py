"""Staging and intermediate suite: convictions counted once, with words from their vocabularies.

Frames: `convictions`, one row of counts over `int_convictions`, and `vocabulary`, one row
per distinct level, statute book and Prop 64 section of the run's convictions with how many
convictions carry it.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from expectations.runner import SuiteInput, SuiteRun, read_frame

LEVELS = ("FELONY", "MISDEMEANOR", "INFRACTION")
# The statute books staging recognizes (macros/staging/code_sections.sql).
STATUTE_BOOKS = ("HS", "PC", "VC", "BP", "WI", "MV")
PROP64_SECTIONS = ("11357", "11358", "11359", "11360")

CONVICTIONS_SQL = """
with

convictions as (
    select * from intermediate.int_convictions
),

convicted_rows as (
    select count(distinct (doj_rows.subject_id, doj_rows.cnt_order)) as convicted_counts,
    from staging.stg_doj__rows as doj_rows
    where doj_rows.is_conviction
)

select
    count(*) as convictions,
    count(*) - count(distinct (convictions.subject_id, convictions.cnt_order))
        as repeated_conviction_keys,
    -- Convicted counts of the staged rows that are not one conviction each, or the reverse.
    abs(any_value(convicted_rows.convicted_counts) - count(*)) as convicted_counts_difference,
    count_if(convictions.is_prop64) as prop64_convictions,
    count_if(convictions.is_prop64 and convictions.prop64_section is null)
        as prop64_convictions_without_section,
from convictions
cross join convicted_rows
"""

VOCABULARY_SQL = """
select
    convictions.level,
    convictions.statute_book,
    convictions.prop64_section,
    count(*) as convictions,
from intermediate.int_convictions as convictions
group by all
order by all
"""


def collect(con, run: SuiteRun) -> SuiteInput:
    """Read the conviction counts and vocabulary of the run and the suite's expectations."""
    frames = {
        "convictions": read_frame(con, CONVICTIONS_SQL, {}),
        "vocabulary": read_frame(con, VOCABULARY_SQL, {}),
    }
    expectations = {
        "convictions": [
            gxe.ExpectColumnMaxToBeBetween(
                column="repeated_conviction_keys",
                max_value=0,
                description="one conviction per subject and count",
            ),
            gxe.ExpectColumnMaxToBeBetween(
                column="convicted_counts_difference",
                max_value=0,
                description="every convicted count of the staged rows is one conviction",
            ),
            gxe.ExpectColumnMaxToBeBetween(
                column="prop64_convictions_without_section",
                max_value=0,
                description="every Prop 64 conviction is parsed to a section",
            ),
        ],
        "vocabulary": [
            gxe.ExpectColumnValuesToBeInSet(
                column="level",
                value_set=list(LEVELS),
                description="conviction levels within their vocabulary (null: unknown)",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="statute_book",
                value_set=list(STATUTE_BOOKS),
                description="statute books within their vocabulary (null: none written)",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="prop64_section",
                value_set=list(PROP64_SECTIONS),
                description="Prop 64 sections within HS 11357-11360",
            ),
        ],
    }
    return SuiteInput(frames=frames, expectations=expectations)
