"""Suppression across a page's sections, on hand-made figures: policies compared side by side
and the headline bound on people relieved."""

from __future__ import annotations

from dataclasses import replace

from clearance.dashboards.figures import DashboardFigures, PolicyImpact
from clearance.dashboards.sections import (
    build_sections,
    percent,
    plan_page,
    relieved_lower_bound,
    relieved_text,
)


def _policy(
    key: str, *, convictions: int, eligible: int, people: int, relieved: int
) -> PolicyImpact:
    # No one had a felony or a recent conviction, so those measures add no small count.
    return PolicyImpact(key, key, convictions, eligible, people, relieved, 0, 0, 0, 0, 0)


def _figures(*policies: PolicyImpact) -> DashboardFigures:
    county = policies[0]
    # One section, level and decade; the county policy's reasons split eligible from not.
    return DashboardFigures(
        area="Test County",
        publications=[],
        by_reason=[
            ("Eligible for Dismissal", "eligible", county.eligible),
            ("Not eligible", "not eligible", county.convictions - county.eligible),
        ],
        by_section_level=[("HS 11357", "felony", county.convictions)],
        by_decade=[("1990s", county.convictions)],
        policies=list(policies),
        relieved_by_characteristic={},
        relieved_by_characteristic_total=policies[0].relieved,
        withholding_rules=[],
        targets=[],
        court=None,
        people_in_several_counties=0,
        is_statewide=False,
    )


def test_difference_of_two_hypotheticals_is_protected() -> None:
    # 297 - 292 = 5 people relieved by one hypothetical and not the other: the smaller of the
    # two, 292, is hidden. 292 - 200 = 92 and 297 - 200 = 97 are not small, so the county's
    # 200 and the broader hypothetical's 297 stay.
    figures = _figures(
        _policy("county", convictions=600, eligible=300, people=400, relieved=200),
        _policy("dismiss-all-prop64", convictions=600, eligible=600, people=400, relieved=292),
        _policy(
            "dismiss-all-prop64-and-related",
            convictions=600,
            eligible=600,
            people=400,
            relieved=297,
        ),
    )
    plan = plan_page(figures)
    assert plan.value(("policy", "dismiss-all-prop64", "relieved")) is None
    assert plan.value(("policy", "dismiss-all-prop64-and-related", "relieved")) == 297
    assert plan.value(("policy", "county", "relieved")) == 200


def test_headline_bounds_relieved_when_few_are_left_without() -> None:
    # 404 people, 397 relieved: the 7 without relief hide 397. The bound 404 - 10 = 394
    # and 394 / 404 = 97.5%, printed as at least 97%.
    figures = _figures(_policy("county", convictions=404, eligible=397, people=404, relieved=397))
    plan = plan_page(figures)
    assert plan.value(("policy", "county", "relieved")) is None
    assert plan.value(("policy", "county", "people")) == 404
    assert relieved_lower_bound(plan, figures) == 394
    assert relieved_text(plan, figures) == "at least 394"


def test_headline_bound_same_for_small_rests() -> None:
    # 1 and 10 people without relief print the same bound, so 404 minus it gives back 10
    # whatever the hidden count is.
    texts = set()
    for relieved in (394, 397, 403):
        figures = _figures(
            _policy("county", convictions=404, eligible=relieved, people=404, relieved=relieved)
        )
        texts.add(relieved_text(plan_page(figures), figures))
    assert texts == {"at least 394"}


def test_headline_no_bound_large_rest() -> None:
    # 404 - 300 = 104 without relief: nothing small to protect, so the count itself shows.
    figures = _figures(_policy("county", convictions=404, eligible=300, people=404, relieved=300))
    plan = plan_page(figures)
    assert relieved_lower_bound(plan, figures) is None
    assert relieved_text(plan, figures) == "300"


def test_review_rules_apart_from_denials() -> None:
    figures = replace(
        _figures(_policy("county", convictions=600, eligible=300, people=400, relieved=200)),
        withholding_rules=[
            (
                "la-pilot-2019",
                "no_criteria",
                "Hand Review",
                "No applicable eligibility criteria",
                40,
            ),
            ("la-pilot-2019", "pc290", "Not eligible", "PC 290", 30),
            ("la-pilot-2019", "pc290", "Hand Review", "Missing fact: disposition date", 20),
        ],
    )
    sections, _ = build_sections(figures)
    tables = {section.table.table_id: section.table.rows for section in sections}
    assert tables["table-withholding"] == [
        ["An earlier PC 290 sex offense or registration", "30", "pc290"]
    ]
    assert tables["table-review"] == [
        ["No rule of the policy applies", "40", "no_criteria", "Hand Review"],
        [
            "An earlier PC 290 sex offense or registration: could not be checked, disposition "
            "date missing",
            "20",
            "pc290",
            "Hand Review",
        ],
    ]


def test_share_short_of_whole_not_rounded() -> None:
    # 464 / 465 = 99.78%: whole-percent rounding would print 100%, as if the target were met.
    assert percent(464, 465) == "99.7%"
    assert percent(465, 465) == "100%"
    # 1 / 400 = 0.25%: whole-percent rounding would print 0%, as if no one were counted.
    assert percent(1, 400) == "0.3%"
    assert percent(0, 400) == "0%"
    assert percent(200, 400) == "50%"


def test_largest_group_named_among_shown() -> None:
    # Race: 300 and 95 relieved, and 5 in a third group, hidden. Age: two groups of 200.
    figures = replace(
        _figures(_policy("county", convictions=600, eligible=600, people=400, relieved=400)),
        relieved_by_characteristic={
            "race": [("WHITE", 300), ("BLACK", 95), ("OTHER", 5)],
            "age_band": [("21-29", 200), ("30-39", 200)],
        },
    )

    sections, _ = build_sections(figures)
    takeaways = {section.section_id: section.takeaway for section in sections}

    race = next(text for key, text in takeaways.items() if "race" in key)
    assert race.startswith("The largest group shown of people relieved by race is White: 300")
    assert "a hidden group may be larger" in race
    age = next(text for key, text in takeaways.items() if "age" in key)
    assert age.startswith("The largest group of people relieved by age band is")
    assert "hidden" not in age
