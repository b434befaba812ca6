"""The sections of a dashboard page: each a chart, a one-sentence takeaway and a data table.

Every count goes through one `SuppressionPlan` for the whole page before anything is written,
so a total shown in two charts is hidden in both or in neither, and takeaways and percentages
use shown counts only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.dashboards import charts
from clearance.dashboards.figures import (
    RELIEF_DETERMINATIONS,
    DashboardFigures,
    PolicyImpact,
    read_figures,
)
from clearance.dashboards.rules import NOT_ELIGIBLE, describe_rule
from clearance.dashboards.suppression import (
    SMALL_CELL_MAX,
    SUPPRESSED,
    CellKey,
    SuppressionPlan,
)

CONVICTIONS = ("convictions",)
# The people measures of a policy, in the order the page lists them: the measure, its label,
# its short chart label, and the measure its share is taken of (None for none).
PEOPLE_MEASURES = (
    ("people", "People with a Prop 64 conviction", "With a Prop 64 conviction", None),
    (
        "relieved",
        "People relieved (at least one conviction dismissed or reduced)",
        "Relieved",
        "people",
    ),
    ("no_conviction_left", "People left with no conviction", "No conviction left", "people"),
    ("had_felony", "People who had a felony conviction", "Had a felony", "people"),
    (
        "no_felony_left",
        "People who had a felony and are left with none",
        "No felony left",
        "had_felony",
    ),
    (
        "had_conviction_last_7_years",
        "People who had a conviction in the last 7 years",
        "Had one in last 7 years",
        "people",
    ),
    (
        "no_conviction_last_7_years_left",
        "People who had a conviction in the last 7 years and are left with none there",
        "None left in last 7 years",
        "had_conviction_last_7_years",
    ),
)
# Each measure and its base, for the subsets whose rest a reader could work out.
MEASURE_BASES = {measure: base for measure, _, _, base in PEOPLE_MEASURES if base}
BASE_LABELS = {
    "people": "all people",
    "had_felony": "people who had a felony",
    "had_conviction_last_7_years": "people with a conviction in the last 7 years",
}
STATEWIDE_CHARACTERISTIC_TOTAL = ("relieved summed over counties",)
# Measures of what relief leaves: every person counted in one was relieved.
LEFT_MEASURES = ("no_felony_left", "no_conviction_left", "no_conviction_last_7_years_left")
CHARACTERISTIC_TITLES = {"race": "race", "gender": "gender", "age_band": "age band"}
GENDER_LABELS = {"F": "female", "M": "male"}
COURT_MEASURES = (
    ("matched", "In DOJ and court records"),
    ("doj_only", "In DOJ records only"),
    ("court_only", "In court records only"),
    ("already_relieved", "Already relieved in court"),
    ("relief_pending", "Relief already pending in court"),
)


@dataclass(frozen=True)
class Table:
    """A data table: a caption, column headers and rows of printed values."""

    table_id: str
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    """One chart with its plain-language title, takeaway and data table."""

    section_id: str
    title: str
    takeaway: str
    table: Table
    chart: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


HIDDEN = "hidden, so that no count from 1 to 10 can be read or worked out from the page"


def percent(part: int | None, whole: int | None) -> str | None:
    """Return part of whole as a whole percentage, or None when either is hidden or whole is 0.

    A share that rounds to 100% or 0% without being exact gets one decimal, floored or raised,
    so that 464 of 465 does not read as the whole.
    """
    if part is None or whole is None or whole == 0:
        return None
    text = f"{part / whole:.0%}"
    if text == "100%" and part < whole:
        return f"{math.floor(part / whole * 1000) / 10:.1f}%"
    if text == "0%" and part > 0:
        return f"{max(math.ceil(part / whole * 1000) / 10, 0.1):.1f}%"
    return text


def build_sections(
    figures: DashboardFigures, county_pages: Sequence[DashboardFigures] | None = None
) -> tuple[list[Section], SuppressionPlan]:
    """Return the page's sections, with every count suppressed as the plan decides.

    A statewide page is planned together with the page of each county it covers (read from
    the same publications unless given), so it hides whatever those pages hide.
    """
    if county_pages is None and figures.is_statewide:
        county_pages = [
            read_figures([publication], f"{publication.county.title()} County")
            for publication in figures.publications
        ]
    plan = plan_page(figures, county_pages or ())

    sections = [
        _people_section(plan, figures),
        _reason_section(plan, figures),
        _section_level_section(plan, figures),
        _decade_section(plan, figures),
        *(_characteristic_section(plan, figures, name) for name in CHARACTERISTIC_TITLES),
        _target_section(plan, figures),
        _comparison_section(plan, figures),
        _withholding_section(plan, figures, for_review=False),
        _withholding_section(plan, figures, for_review=True),
    ]
    if figures.court is not None:
        sections.append(_court_section(plan, figures))
    return sections, plan


def plan_page(
    figures: DashboardFigures, county_pages: Sequence[DashboardFigures] = ()
) -> SuppressionPlan:
    """Return the solved suppression plan of a page, and of the county pages it must agree with."""
    plan = _page_cells(figures)
    for county_figures in county_pages:
        county_plan = _page_cells(county_figures)
        county_plan.solve()
        _add_county_page(plan, figures, county_figures, county_plan)
    if county_pages:
        _add_county_sums(plan, figures)
    plan.solve()
    return plan


def _page_cells(figures: DashboardFigures) -> SuppressionPlan:
    plan = SuppressionPlan()
    _add_policy_cells(plan, figures)
    _add_reason_cells(plan, figures)
    _add_section_level_cells(plan, figures)
    _add_decade_cells(plan, figures)
    _add_characteristic_cells(plan, figures)
    _add_withholding_cells(plan, figures)
    _add_target_cells(plan, figures)
    _add_court_cells(plan, figures)
    return plan


# Cells and the sums between them.


def _add_county_page(
    plan: SuppressionPlan,
    figures: DashboardFigures,
    county_figures: DashboardFigures,
    county_plan: SuppressionPlan,
) -> None:
    """Add a county page's counts and sums to the statewide plan.

    A count the county page hides is hidden statewide too, and the county's shown counts are
    known to every reader, so statewide minus the other counties cannot give back a count the
    county page protects.
    """
    county = county_figures.publications[0].county

    def on_county_page(key: CellKey) -> tuple[Any, ...]:
        return ("county page", county, key)

    hidden = county_plan.hidden_keys()
    for key, value in county_plan.values.items():
        if key in hidden:
            plan.add_hidden(on_county_page(key), value)
        else:
            plan.add_public(on_county_page(key), value)
    for equation in county_plan.equations:
        plan.add_equation(
            on_county_page(equation.total), [on_county_page(part) for part in equation.parts]
        )

    for key in list(plan.values):
        if key[0] == "county page":
            continue
        county_key = _county_key(key, figures, county)
        if county_key is None or county_key not in county_plan.values:
            continue
        if county_key in hidden:
            plan.hide(key)
        if key[0] == "county eligible":
            plan.add_equation(key, [on_county_page(county_key)])


def _add_county_sums(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    """Add the sums that make each statewide count the total of the counties' counts."""
    for key in list(plan.values):
        if key[0] in ("county page", "county eligible") or not _adds_up(key, figures):
            continue
        parts = [
            ("county page", publication.county, _county_key(key, figures, publication.county))
            for publication in figures.publications
        ]
        parts = [part for part in parts if part in plan.values]
        if parts:
            plan.add_equation(key, parts)


def _county_key(key: CellKey, figures: DashboardFigures, county: str) -> CellKey | None:
    """Return the key a statewide count has on a county's page, or None when it has none."""
    if key[0] == "county eligible":
        return _policy_key(figures.county_policy, "eligible") if key[1] == county else None
    if key == STATEWIDE_CHARACTERISTIC_TOTAL:
        # A county's categories add up to its people relieved.
        return _policy_key(figures.county_policy, "relieved")
    return key


def _adds_up(key: CellKey, figures: DashboardFigures) -> bool:
    """Return whether a statewide count is the sum of the counties' counts of the same key.

    Convictions belong to one county, so their counts always add up. People are counted once
    statewide, so their counts add up only when no person is listed in two counties.
    """
    if figures.people_in_several_counties == 0:
        return True
    if key[0] == "withheld":
        return False
    if key[0] in ("policy", "rest", "difference") and len(key) > 2:
        return key[-1] == "eligible"
    return True


def _policy_key(policy: PolicyImpact, measure: str) -> tuple[str, ...]:
    if measure == "convictions":
        # Every policy decides the same convictions, so they share one cell.
        return CONVICTIONS
    return ("policy", policy.key, measure)


def _add_policy_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    county = figures.county_policy
    for policy in figures.policies:
        if policy.convictions != county.convictions:
            raise ValueError(
                f"policy {policy.key} decides {policy.convictions} convictions, "
                f"the county policy {county.convictions}"
            )
        plan.add(CONVICTIONS, policy.convictions)
        plan.add(_policy_key(policy, "eligible"), policy.eligible)
        for measure, *_ in PEOPLE_MEASURES:
            plan.add(_policy_key(policy, measure), getattr(policy, measure))
        # Subsets shown beside their whole give the rest by subtraction.
        plan.add_complement(CONVICTIONS, _policy_key(policy, "eligible"), ("rest", policy.key))
        for measure, base in MEASURE_BASES.items():
            plan.add_complement(
                _policy_key(policy, base),
                _policy_key(policy, measure),
                ("rest", policy.key, measure),
            )
        for measure in LEFT_MEASURES:
            plan.add_complement(
                _policy_key(policy, "relieved"),
                _policy_key(policy, measure),
                ("rest", policy.key, "relieved", measure),
            )
    # Any two policies shown side by side give their difference by subtraction, whichever
    # is larger.
    measures = ("eligible", *(m for m, *_ in PEOPLE_MEASURES[1:]))
    for index, first in enumerate(figures.policies):
        for second in figures.policies[index + 1 :]:
            for measure in measures:
                larger, smaller = sorted(
                    (first, second), key=lambda policy: getattr(policy, measure), reverse=True
                )
                plan.add_complement(
                    _policy_key(larger, measure),
                    _policy_key(smaller, measure),
                    ("difference", first.key, second.key, measure),
                )


def _add_reason_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    determinations: dict[str, list[tuple[str, int]]] = {}
    for determination, reason, count in figures.by_reason:
        determinations.setdefault(determination, []).append((reason, count))
    for determination, reasons in determinations.items():
        plan.add(("determination", determination), sum(count for _, count in reasons))
        for reason, count in reasons:
            plan.add(("reason", determination, reason), count)
        plan.add_equation(
            ("determination", determination),
            [("reason", determination, reason) for reason, _ in reasons],
        )
    plan.add_equation(CONVICTIONS, [("determination", name) for name in determinations])
    relief = [name for name in determinations if name in RELIEF_DETERMINATIONS]
    county_eligible = _policy_key(figures.county_policy, "eligible")
    plan.add_equation(county_eligible, [("determination", name) for name in relief])


def _add_section_level_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    sections: dict[str, list[tuple[str, int]]] = {}
    levels: dict[str, list[tuple[str, int]]] = {}
    for section, level, count in figures.by_section_level:
        plan.add(("section_level", section, level), count)
        sections.setdefault(section, []).append((level, count))
        levels.setdefault(level, []).append((section, count))
    for section, cells in sections.items():
        plan.add(("section", section), sum(count for _, count in cells))
        plan.add_equation(("section", section), [("section_level", section, lv) for lv, _ in cells])
    for level, cells in levels.items():
        plan.add(("level", level), sum(count for _, count in cells))
        plan.add_equation(("level", level), [("section_level", s, level) for s, _ in cells])
    plan.add_equation(CONVICTIONS, [("section", section) for section in sections])
    plan.add_equation(CONVICTIONS, [("level", level) for level in levels])


def _add_decade_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    for decade, count in figures.by_decade:
        plan.add(("decade", decade), count)
    plan.add_equation(CONVICTIONS, [("decade", decade) for decade, _ in figures.by_decade])


def _characteristic_total(figures: DashboardFigures) -> tuple[str, ...]:
    relieved = figures.county_policy.relieved
    if figures.relieved_by_characteristic_total == relieved:
        return _policy_key(figures.county_policy, "relieved")
    # Statewide, the categories add up to people relieved summed over counties.
    return STATEWIDE_CHARACTERISTIC_TOTAL


def _add_characteristic_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    total = _characteristic_total(figures)
    plan.add(total, figures.relieved_by_characteristic_total)
    for characteristic, categories in figures.relieved_by_characteristic.items():
        if not categories:
            continue
        for category, count in categories:
            plan.add(("characteristic", characteristic, category), count)
        plan.add_equation(
            total, [("characteristic", characteristic, category) for category, _ in categories]
        )


def _add_withholding_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    # People withheld by one rule may be withheld by another too, so these counts add up to
    # nothing shown on the page.
    for policy, rule, determination, reason, people in figures.withholding_rules:
        plan.add(("withheld", policy, rule, determination, reason), people)


def _add_target_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    if not figures.is_statewide:
        return
    for target in figures.targets:
        plan.add(("county eligible", target.county), target.eligible)
    # When every county's target counts its own policy, the counties' counts add up to the
    # statewide count of eligible convictions.
    county_policies = {p.county: p.summary["policy"]["name"] for p in figures.publications}
    if len(figures.targets) == len(county_policies) and all(
        county_policies[target.county] == target.policy for target in figures.targets
    ):
        plan.add_equation(
            _policy_key(figures.county_policy, "eligible"),
            [("county eligible", target.county) for target in figures.targets],
        )


def _add_court_cells(plan: SuppressionPlan, figures: DashboardFigures) -> None:
    court = figures.court
    if court is None:
        return
    for measure, _ in COURT_MEASURES:
        plan.add(("court", measure), court[measure])
    for method, count in court["linked_by"].items():
        plan.add(("court", "linked_by", method), count)
    if court["linked_by"] and sum(court["linked_by"].values()) == court["matched"]:
        plan.add_equation(
            ("court", "matched"), [("court", "linked_by", method) for method in court["linked_by"]]
        )
    if court["matched"] + court["doj_only"] == figures.county_policy.convictions:
        plan.add_equation(CONVICTIONS, [("court", "matched"), ("court", "doj_only")])


# Sections.


def _policy_name(figures: DashboardFigures) -> str:
    if figures.is_statewide:
        return "each county's own policy"
    return figures.county_policy.label


def relieved_lower_bound(plan: SuppressionPlan, figures: DashboardFigures) -> int | None:
    """Return a lower bound on people relieved for a county page that hides the count only
    because 1 to 10 people are left without relief, else None.

    The bound is people minus 10, the same for every hidden rest from 1 to 10, so subtracting
    it from people gives back at most 10, never the hidden count. A statewide page shows no
    bound, because its rest adds up the counties' own and a bound there could narrow theirs.
    """
    county = figures.county_policy
    people = plan.value(_policy_key(county, "people"))
    rest = plan.values[("rest", county.key, "relieved")]
    if (
        figures.is_statewide
        or people is None
        or plan.value(_policy_key(county, "relieved")) is not None
        or rest is None
        or not 1 <= rest <= SMALL_CELL_MAX
    ):
        return None
    return people - SMALL_CELL_MAX


def relieved_text(plan: SuppressionPlan, figures: DashboardFigures) -> str:
    """Return people relieved as the headline prints it: the count, a safe bound or suppressed."""
    bound = relieved_lower_bound(plan, figures)
    if bound is not None:
        return f"at least {bound:,}"
    return plan.text(_policy_key(figures.county_policy, "relieved"))


def _floor_percent(part: int, whole: int) -> str:
    # Rounded down, so "at least" stays true.
    return f"{part * 100 // whole}%"


def _people_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    county = figures.county_policy
    rows, data = [], []
    for measure, label, short_label, base in PEOPLE_MEASURES:
        key = _policy_key(county, measure)
        share = ""
        if base is not None:
            share = percent(plan.value(key), plan.value(_policy_key(county, base))) or "-"
        rows.append([label, plan.text(key), share, BASE_LABELS[base] if base else ""])
        data.append(charts.bar_row(short_label, plan.value(key)))
    people = plan.value(_policy_key(county, "people"))
    relieved = plan.value(_policy_key(county, "relieved"))
    no_conviction = plan.value(_policy_key(county, "no_conviction_left"))
    bound = relieved_lower_bound(plan, figures)
    if relieved is not None and people is not None:
        takeaway = (
            f"Under {_policy_name(figures)}, {relieved:,} of {people:,} people with a Prop 64 "
            f"conviction ({percent(relieved, people)}) get at least one conviction dismissed "
            "or reduced"
        )
        if no_conviction is not None:
            takeaway += f", and {no_conviction:,} are left with no conviction at all"
        takeaway += "."
    elif bound is not None and people is not None:
        takeaway = (
            f"Under {_policy_name(figures)}, at least {bound:,} of {people:,} people with a Prop "
            f"64 conviction (at least {_floor_percent(bound, people)}) get at least one "
            f"conviction dismissed or reduced. The exact count is not shown because fewer than "
            f"{SMALL_CELL_MAX + 1} people are left without relief, too few to show."
        )
    else:
        takeaway = (
            "The count of people relieved is not shown, because with the counts beside it a "
            f"reader could work out a group of 1 to {SMALL_CELL_MAX} people."
        )
    notes = [
        "“No felony left” is a share of the people who had a felony conviction, and "
        "“none left in the last 7 years” a share of the people who had a conviction "
        "in the 7 years before the compute date; the other shares are of everyone with a Prop "
        "64 conviction."
    ]
    if figures.is_statewide:
        notes.append(
            "A person with convictions in several counties is counted once. Each county's run "
            "leaves the other counties' convictions unrelieved, so for such a person the three "
            "measures of what is left count only when one county's relief alone achieves them: "
            "a lower bound."
        )
    return Section(
        section_id="people",
        title="How many people get relief",
        takeaway=takeaway,
        table=Table(
            "table-people",
            "People with a Prop 64 conviction and what relief leaves on their records",
            ["Measure", "People", "Share", "Share of"],
            rows,
        ),
        chart=charts.horizontal_bars(data, "People"),
        notes=notes,
    )


def _reason_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    rows, data = [], []
    determinations: list[str] = []
    for determination, reason, _ in figures.by_reason:
        if determination not in determinations:
            determinations.append(determination)
            key = ("determination", determination)
            rows.append([f"{determination}: all reasons", plan.text(key)])
            data.append(charts.bar_row(determination, plan.value(key)))
        rows.append([f"\u2003{reason}", plan.text(("reason", determination, reason))])
    rows.append(["All Prop 64 convictions", plan.text(CONVICTIONS)])

    eligible = plan.value(_policy_key(figures.county_policy, "eligible"))
    total = plan.value(CONVICTIONS)
    if eligible is not None and total is not None:
        takeaway = (
            f"{eligible:,} of {total:,} Prop 64 convictions ({percent(eligible, total)}) are "
            f"eligible for dismissal or reduction under {_policy_name(figures)}."
        )
    else:
        takeaway = f"Some of these counts are {HIDDEN}."
    largest, any_hidden = _largest_shown_reason(plan, figures)
    if largest is not None:
        qualifier = " of those shown" if any_hidden else ""
        takeaway += f" The most common reason{qualifier} is \u201c{largest}\u201d."
    return Section(
        section_id="reasons",
        title="Convictions by determination and reason",
        takeaway=takeaway,
        table=Table(
            "table-reasons",
            "Prop 64 convictions by determination and reason",
            ["Determination and reason", "Convictions"],
            rows,
        ),
        chart=charts.horizontal_bars(data, "Convictions"),
    )


def _largest_shown_reason(
    plan: SuppressionPlan, figures: DashboardFigures
) -> tuple[str | None, bool]:
    """Return the reason with the most convictions among those shown, and whether any is hidden."""
    counts = [
        (plan.value(("reason", determination, reason)), reason)
        for determination, reason, _ in figures.by_reason
    ]
    shown = [(count, reason) for count, reason in counts if count is not None]
    return (max(shown)[1] if shown else None), len(shown) < len(counts)


def _section_level_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    sections = sorted({section for section, _, _ in figures.by_section_level})
    levels = sorted({level for _, level, _ in figures.by_section_level})
    present = {(section, level) for section, level, _ in figures.by_section_level}
    rows, data = [], []
    for section in sections:
        row = [section]
        for level in levels:
            key = ("section_level", section, level)
            row.append(plan.text(key) if (section, level) in present else "0")
            if (section, level) in present:
                data.append(charts.bar_row(section, plan.value(key), series=level))
        row.append(plan.text(("section", section)))
        rows.append(row)
    rows.append(
        ["All sections", *(plan.text(("level", lv)) for lv in levels), plan.text(CONVICTIONS)]
    )

    shown_sections = [
        (plan.value(("section", s)), s) for s in sections if plan.value(("section", s))
    ]
    if shown_sections:
        count, section = max(shown_sections)
        share = percent(count, plan.value(CONVICTIONS))
        qualifier = " of the sections shown" if len(shown_sections) < len(sections) else ""
        takeaway = f"{section} accounts for the most Prop 64 convictions{qualifier}: {count:,}"
        takeaway += f" ({share} of them)." if share else "."
    else:
        takeaway = f"The counts by section are {HIDDEN}."
    return Section(
        section_id="sections",
        title="Convictions by code section and level",
        takeaway=takeaway,
        table=Table(
            "table-sections",
            "Prop 64 convictions by Health and Safety Code section and level",
            ["Section", *(level.capitalize() for level in levels), "All levels"],
            rows,
        ),
        chart=charts.grouped_bars(data, "Convictions", "Level"),
    )


def _decade_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    rows, data = [], []
    for decade, _ in figures.by_decade:
        key = ("decade", decade)
        rows.append([decade, plan.text(key)])
        data.append(charts.bar_row(decade, plan.value(key)))
    rows.append(["All decades", plan.text(CONVICTIONS)])
    shown = [
        (plan.value(("decade", d)), d) for d, _ in figures.by_decade if plan.value(("decade", d))
    ]
    if shown:
        count, decade = max(shown)
        other = "any other decade" if len(shown) == len(figures.by_decade) else "any other shown"
        takeaway = (
            f"More Prop 64 convictions were decided (disposed of) in the {decade} than in "
            f"{other}: {count:,}."
        )
    else:
        takeaway = f"The counts by decade are {HIDDEN}."
    return Section(
        section_id="decades",
        title="Convictions by decade of disposition",
        takeaway=takeaway,
        table=Table(
            "table-decades",
            "Prop 64 convictions by decade of disposition",
            ["Decade", "Convictions"],
            rows,
        ),
        chart=charts.column_bars(data, "Convictions"),
    )


def _category_label(characteristic: str, category: str) -> str:
    if characteristic == "gender":
        return GENDER_LABELS.get(category, category)
    return category if category == category.lower() else category.capitalize()


def _characteristic_section(
    plan: SuppressionPlan, figures: DashboardFigures, characteristic: str
) -> Section:
    title = CHARACTERISTIC_TITLES[characteristic]
    total_key = _characteristic_total(figures)
    rows, data = [], []
    for category, _ in figures.relieved_by_characteristic.get(characteristic, []):
        key = ("characteristic", characteristic, category)
        label = _category_label(characteristic, category)
        rows.append([label, plan.text(key), percent(plan.value(key), plan.value(total_key)) or "-"])
        data.append(charts.bar_row(label, plan.value(key)))
    rows.append(["All people relieved", plan.text(total_key), ""])
    shown = [
        (plan.value(("characteristic", characteristic, category)), category)
        for category, _ in figures.relieved_by_characteristic.get(characteristic, [])
        if plan.value(("characteristic", characteristic, category))
    ]
    categories = figures.relieved_by_characteristic.get(characteristic, [])
    hidden = [c for c, _ in categories if plan.value(("characteristic", characteristic, c)) is None]
    if shown:
        count, category = max(shown)
        share = percent(count, plan.value(total_key))
        largest = "The largest group shown" if hidden else "The largest group"
        takeaway = (
            f"{largest} of people relieved by {title} is "
            f"{_category_label(characteristic, category)}: {count:,}"
        )
        takeaway += f" ({share})." if share else "."
        if hidden:
            takeaway += f" Some groups are {HIDDEN}, and a hidden group may be larger."
    else:
        takeaway = f"The counts of people relieved by {title} are {HIDDEN}."
    notes = []
    if figures.is_statewide:
        notes.append(
            "The analyst databases hold these counts per county only, so a person relieved in "
            "several counties is counted once in each here, and a group suppressed in any "
            "county is suppressed statewide."
        )
    return Section(
        section_id=f"by-{characteristic.replace('_', '-')}",
        title=f"People relieved by {title}",
        takeaway=takeaway,
        table=Table(
            f"table-{characteristic.replace('_', '-')}",
            f"People relieved under {_policy_name(figures)} by {title}",
            [title.capitalize(), "People relieved", "Share"],
            rows,
        ),
        chart=charts.horizontal_bars(data, "People relieved"),
        notes=notes,
    )


def _target_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    rows, data = [], []
    for target in figures.targets:
        if figures.is_statewide:
            eligible = plan.value(("county eligible", target.county))
        else:
            eligible = plan.value(_policy_key(figures.county_policy, "eligible"))
        eligible_text = "suppressed" if eligible is None else f"{eligible:,}"
        target_text = f"{target.published_target:,}"
        if target.scale != 1:
            target_text += f" x scale {target.scale:g} = {target.expected:,.0f}"
        published = f", published {target.as_of}" if target.as_of else ""
        rows.append(
            [
                f"{target.county.title()} ({target.policy}{published})",
                eligible_text,
                target_text,
                percent(eligible, round(target.expected)) or "-",
            ]
        )
        label = target.county.title()
        data.append(charts.bar_row(label, eligible, series="Eligible in this run"))
        data.append(charts.bar_row(label, round(target.expected), series="Published target"))
    if len(figures.targets) == 1 and rows[0][3] != "-":
        target = figures.targets[0]
        takeaway = (
            f"This run finds {rows[0][1]} convictions eligible under {target.policy}, "
            f"{rows[0][3]} of the published target of {rows[0][2]}."
        )
    elif figures.targets:
        takeaway = "Each county's eligible convictions are shown against its published target."
    else:
        takeaway = (
            "No published target applies: the county has none, or the run did not decide the "
            "policy the target was measured under."
        )
    notes = [
        "Published targets are the counts of eligible convictions that counties announced. For "
        "synthetic data the target is multiplied by the generator's scale."
    ]
    return Section(
        section_id="target",
        title="Result against the published target",
        takeaway=takeaway,
        table=Table(
            "table-target",
            "Eligible convictions against the published target",
            [
                "County (policy, date published)",
                "Eligible in this run",
                "Published target",
                "Share",
            ],
            rows,
        ),
        chart=charts.grouped_bars(data, "Convictions", "Figure") if data else None,
        notes=notes,
    )


def _comparison_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    measures = [
        ("eligible", "Convictions eligible for relief", "Eligible convictions"),
        *((measure, label, short) for measure, label, short, _ in PEOPLE_MEASURES[1:]),
    ]
    headers = ["Measure", *(_comparison_label(figures, policy) for policy in figures.policies)]
    rows, data = [], []
    for measure, label, short_label in measures:
        row = [label]
        for policy in figures.policies:
            key = _policy_key(policy, measure)
            row.append(plan.text(key))
            data.append(
                charts.bar_row(
                    short_label, plan.value(key), series=_comparison_label(figures, policy)
                )
            )
        rows.append(row)
    county = figures.county_policy
    relieved = plan.value(_policy_key(county, "relieved"))
    all_relieved = plan.value(_policy_key(figures.policies[-1], "relieved"))
    if relieved is not None and all_relieved is not None and len(figures.policies) > 1:
        takeaway = (
            f"Under {_policy_name(figures)}, {relieved:,} people are relieved; dismissing every "
            f"Prop 64 conviction and related charge would relieve {all_relieved:,}."
        )
    else:
        takeaway = f"Some of the counts that compare the policies are {HIDDEN}."
    return Section(
        section_id="policies",
        title="The county's policy against broader policies",
        takeaway=takeaway,
        table=Table("table-policies", "Impact of each policy", headers, rows),
        chart=charts.grouped_bars(data, "Count", "Policy"),
        notes=[
            "dismiss-all-prop64 dismisses every Prop 64 conviction; dismiss-all-prop64-and-related "
            "also dismisses related charges of the same arrest cycle. Both are hypothetical."
        ],
    )


def _comparison_label(figures: DashboardFigures, policy: PolicyImpact) -> str:
    if policy.key == "county":
        return "county policies" if figures.is_statewide else f"{policy.label} (county)"
    return policy.label


def _withholding_section(
    plan: SuppressionPlan, figures: DashboardFigures, *, for_review: bool
) -> Section:
    """Return the rules that deny relief (Not eligible), or with `for_review` the rules that
    send convictions to a person for review, which denies nothing yet."""
    rules = [row for row in figures.withholding_rules if (row[2] != NOT_ELIGIBLE) == for_review]
    rows, data = [], []
    for policy, rule, determination, reason, _ in rules:
        key = ("withheld", policy, rule, determination, reason)
        description = describe_rule(rule, reason)
        if figures.is_statewide:
            description = f"{description} ({policy})"
        # The count comes second, so a phone shows it without scrolling the table sideways.
        row = [description, plan.text(key), rule]
        rows.append([*row, determination] if for_review else row)
        data.append(charts.bar_row(description, plan.value(key)))
    shown = [row for row in rows if row[1] != SUPPRESSED]
    noun = (
        "sends more people's convictions to review"
        if for_review
        else ("withholds relief from more people")
    )
    if shown:
        other = "any other" if len(shown) == len(rows) else "any other shown"
        takeaway = f"The rule \u201c{shown[0][0]}\u201d {noun} than {other}: {shown[0][1]}."
    elif rows:
        takeaway = f"The counts of people for each rule are {HIDDEN}."
    elif for_review:
        takeaway = "No rule sends a conviction to review."
    else:
        takeaway = "No rule withholds relief from anyone."
    if for_review:
        title = "Rules that send convictions to review"
        caption = (
            f"People with a conviction that a rule of {_policy_name(figures)} sends to a "
            "person for review"
        )
        notes = [
            "A conviction sent to review (Hand Review, or To be reviewed by City Attorneys) is "
            "not denied: a prosecutor decides it by hand. A person may have convictions sent "
            "to review by several rules, so these counts do not add up."
        ]
    else:
        title = "Rules that withhold relief from the most people"
        caption = (
            f"People with a conviction that a rule of {_policy_name(figures)} decides is not "
            "eligible"
        )
        notes = [
            "A person may have convictions withheld by several rules, so these counts do not "
            "add up."
        ]
    return Section(
        section_id="review" if for_review else "withholding",
        title=title,
        takeaway=takeaway,
        table=Table(
            "table-review" if for_review else "table-withholding",
            caption,
            ["Rule", "People", "Rule id", *(["Determination"] if for_review else [])],
            rows,
        ),
        chart=charts.horizontal_bars(data, "People") if data else None,
        notes=notes,
    )


def _court_section(plan: SuppressionPlan, figures: DashboardFigures) -> Section:
    court = figures.court or {}
    rows, data = [], []
    for measure, label in COURT_MEASURES:
        key = ("court", measure)
        rows.append([label, plan.text(key)])
        data.append(charts.bar_row(label, plan.value(key)))
    for method in court.get("linked_by", {}):
        key = ("court", "linked_by", method)
        label = f"Linked by {method.replace('_', ' ')}"
        rows.append([label, plan.text(key)])
        data.append(charts.bar_row(label, plan.value(key)))
    court_only = plan.value(("court", "court_only"))
    if court_only is not None:
        takeaway = (
            f"Court records hold {court_only:,} Prop 64 convictions that the DOJ data does not, "
            "each sent to hand review."
        )
    else:
        takeaway = f"Some court linking counts are {HIDDEN}."
    return Section(
        section_id="court",
        title="Linking DOJ and court records",
        takeaway=takeaway,
        table=Table(
            "table-court",
            "Prop 64 convictions in DOJ and court records",
            ["Measure", "Convictions"],
            rows,
        ),
        chart=charts.horizontal_bars(data, "Convictions"),
        notes=[
            "Court-only convictions are counted here only, apart from every policy count above."
        ],
    )
