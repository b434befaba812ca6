"""Planned outcomes: what a county's policy should conclude for each subject's planned conviction.

The generator draws a scenario for every subject from the shares in calibration.yaml. Then it
shapes the history to match: the section and level of the planned Prop 64 conviction, what
comes before it (a super strike, a PC 290 registration, two convictions of the same section),
and the age on the compute date. Disqualifiers that no scenario asked for are kept
after the planned conviction, where they cannot change its outcome.

The answer key then works the outcome out from the finished history (answer_key.py); the
manifest reports how many planned outcomes it realized.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from clearance.errors import ClearanceError
from clearance.synthetic.generator.histories import quote
from clearance.synthetic.generator.offenses import PROP64_OFFENSES


def _offense_numbers(
    *, section: str | None = None, level: str | None = None, not_section: str | None = None
) -> tuple[int, ...]:
    """1-based positions in PROP64_OFFENSES of the offenses with this section and level."""
    return tuple(
        number
        for number, (offense_section, _, _, toc) in enumerate(PROP64_OFFENSES, start=1)
        if (section is None or offense_section == section)
        and (level is None or toc == level)
        and (not_section is None or offense_section != not_section)
    )


@dataclass(frozen=True)
class Scenario:
    """A scenario's shape of history and the outcome it plans under its county's policy."""

    # PROP64_OFFENSES positions the planned conviction is drawn from.
    offenses: tuple[int, ...]
    # What comes before the planned conviction: nothing, a super strike, a PC 290
    # registration, or two earlier convictions of the same section.
    prior: str = "none"
    # Birth years, when the age on the compute date matters, or an exact date of birth.
    birth_years: tuple[int, int] | None = None
    birth_date: str | None = None
    # The DOJ rows leave the date of birth empty.
    birth_date_missing: bool = False
    # The planned determination and the reasons that realize it.
    determination: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def earlier_cycles_needed(self) -> int:
        return {"none": 0, "super_strike": 1, "pc290": 1, "same_section": 2}[self.prior]


MISDEMEANORS = _offense_numbers(level="M")
FELONIES = _offense_numbers(level="F")
FELONIES_OTHER_THAN_11357 = _offense_numbers(level="F", not_section="11357")
# Born on or before 1 July 1976, a subject is 50 or older on the compute date of 1 July 2026;
# born from 1977, younger.
OLD = (1935, 1975)
YOUNG = (1977, 2000)
# The last rules of the Los Angeles flow, for a felony 11358-11360 with no disqualifier and no
# age rule that applies.
REST_OF_HISTORY_REASONS = (
    "Only has 11357-60 charges and completed sentence",
    "No convictions in past 10 years",
    "Currently serving sentence",
    "Deceased",
    "No applicable eligibility criteria",
)

SCENARIOS: dict[str, dict[str, Scenario]] = {
    "la-pilot-2019": {
        "misdemeanor": Scenario(
            MISDEMEANORS,
            determination="To be reviewed by City Attorneys",
            reasons=("Misdemeanor or Infraction",),
        ),
        "felony_11357": Scenario(
            _offense_numbers(section="11357", level="F"),
            determination="Eligible for Dismissal",
            reasons=("11357(a) or 11357(b)",),
        ),
        "super_strike_prior": Scenario(
            FELONIES_OTHER_THAN_11357,
            prior="super_strike",
            birth_years=YOUNG,
            determination="Not eligible",
            reasons=("PC 667(e)(2)(c)(iv)",),
        ),
        "pc290_prior": Scenario(
            FELONIES_OTHER_THAN_11357,
            prior="pc290",
            birth_years=YOUNG,
            determination="Not eligible",
            reasons=("PC 290",),
        ),
        "two_prior_convictions": Scenario(
            FELONIES_OTHER_THAN_11357,
            prior="same_section",
            birth_years=YOUNG,
            determination="Not eligible",
            reasons=("Two priors",),
        ),
        "age_50_or_older": Scenario(
            FELONIES_OTHER_THAN_11357,
            birth_years=OLD,
            determination="Eligible for Dismissal",
            reasons=("50 years or older",),
        ),
        # Boundaries: 50 on the compute date itself, and one day short of it.
        "turns_50_on_compute_date": Scenario(
            FELONIES_OTHER_THAN_11357,
            birth_date="1976-07-01",
            determination="Eligible for Dismissal",
            reasons=("50 years or older",),
        ),
        "turns_50_day_after_compute_date": Scenario(
            FELONIES_OTHER_THAN_11357,
            birth_date="1976-07-02",
            reasons=REST_OF_HISTORY_REASONS,
        ),
        # No date of birth: the age rules cannot grant relief, so the rest of the history decides.
        "date_of_birth_missing": Scenario(
            FELONIES_OTHER_THAN_11357,
            birth_years=OLD,
            birth_date_missing=True,
            reasons=REST_OF_HISTORY_REASONS,
        ),
        # Under 50, no disqualifier: the rest of the history decides between the last rules.
        "rest_of_history": Scenario(
            FELONIES_OTHER_THAN_11357,
            birth_years=YOUNG,
            reasons=REST_OF_HISTORY_REASONS,
        ),
    },
    "sf-2019": {
        "misdemeanor": Scenario(
            MISDEMEANORS,
            determination="Eligible for Dismissal",
            reasons=("Dismiss and seal: misdemeanor or infraction",),
        ),
        "super_strike_prior": Scenario(
            FELONIES,
            prior="super_strike",
            determination="Not eligible",
            reasons=("Prior super strike",),
        ),
        "pc290_prior": Scenario(
            FELONIES,
            prior="pc290",
            determination="Not eligible",
            reasons=("Prior PC 290 offense",),
        ),
        "two_prior_cycles": Scenario(
            FELONIES,
            prior="same_section",
            determination="Not eligible",
            reasons=("Two or more prior convictions",),
        ),
        "felony": Scenario(
            FELONIES,
            determination="Eligible for Dismissal",
            reasons=("Dismiss and seal: felony",),
        ),
    },
}


def create_subject_scenarios(
    con: duckdb.DuckDBPyConnection, policy: str, shares: dict[str, float], subjects: int
) -> None:
    """Create temp table `subject_scenarios`: each subject's scenario, drawn from `shares`.

    Needs the `draw` macro. Raises ClearanceError when the shares do not name the policy's
    scenarios or do not add up to 1.
    """
    catalog = SCENARIOS.get(policy)
    if catalog is None or set(shares) != set(catalog):
        raise ClearanceError(
            f"calibration.yaml: invalid scenario shares for {policy}; name exactly "
            f"{', '.join(sorted(catalog or {})) or 'the scenarios of a policy in scenarios.py'}"
        )
    if abs(sum(shares.values()) - 1.0) > 1e-9:
        raise ClearanceError(
            f"calibration.yaml: the scenario shares of {policy} add up to "
            f"{sum(shares.values())}; make them add up to 1"
        )
    rows = []
    lower = 0.0
    for name, scenario in catalog.items():
        upper = lower + float(shares[name])
        first_year, last_year = scenario.birth_years or (None, None)
        birth_date = f"date '{scenario.birth_date}'" if scenario.birth_date else "null::date"
        rows.append(
            f"({quote(name)}, {list(scenario.offenses)}, {quote(scenario.prior)}, "
            f"{scenario.earlier_cycles_needed}, {first_year or 'null'}, {last_year or 'null'}, "
            f"{birth_date}, {scenario.birth_date_missing}, "
            f"{lower}, {upper if name != list(catalog)[-1] else 2.0})"
        )
        lower = upper
    con.execute(
        f"""
        create or replace temp table subject_scenarios as
        with catalog(scenario, offenses, prior, earlier_cycles_needed, first_birth_year,
                last_birth_year, birth_date, birth_date_missing, lower_bound, upper_bound) as (
            values {", ".join(rows)}
        )
        select subjects.s as subject, catalog.* exclude (lower_bound, upper_bound)
        from range({int(subjects)}) as subjects(s)
        inner join catalog
            on draw(subjects.s, 0, 0, 'scenario') >= catalog.lower_bound
            and draw(subjects.s, 0, 0, 'scenario') < catalog.upper_bound
        """
    )
