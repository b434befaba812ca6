"""Small-cell suppression on hand-made tables: which counts a dashboard may show."""

from __future__ import annotations

import pytest

from clearance.dashboards.suppression import SUPPRESSED, SuppressionPlan


def _row(plan: SuppressionPlan, name: str, parts: dict[str, int | None], total: int) -> None:
    plan.add((name, "total"), total)
    for key, value in parts.items():
        plan.add((name, key), value)
    plan.add_equation((name, "total"), [(name, key) for key in parts])


def test_counts_from_1_to_10_are_suppressed() -> None:
    plan = SuppressionPlan()
    for value in (0, 1, 10, 11, 250):
        plan.add(("count", value), value)
    plan.solve()
    assert plan.value(("count", 0)) == 0
    assert plan.value(("count", 1)) is None
    assert plan.value(("count", 10)) is None
    assert plan.value(("count", 11)) == 11
    assert plan.text(("count", 250)) == "250"
    assert plan.text(("count", 1)) == SUPPRESSED


def test_single_small_part_hides_next_smallest() -> None:
    # 40 + 7 + 25 = 72: with 7 hidden, the total and the other two would give it back, so the
    # next smallest part, 25, is hidden too.
    plan = SuppressionPlan()
    _row(plan, "row", {"a": 40, "b": 7, "c": 25}, 72)
    plan.solve()
    assert plan.value(("row", "b")) is None
    assert plan.value(("row", "c")) is None
    assert plan.value(("row", "a")) == 40
    assert plan.value(("row", "total")) == 72


def test_two_small_parts_need_no_complement() -> None:
    plan = SuppressionPlan()
    _row(plan, "row", {"a": 40, "b": 7, "c": 3}, 50)
    plan.solve()
    assert plan.value(("row", "a")) == 40
    assert plan.value(("row", "total")) == 50
    assert plan.value(("row", "b")) is None
    assert plan.value(("row", "c")) is None


def test_total_is_hidden_when_smaller_than_other_parts() -> None:
    # 5 + 0 + 30 = 35: the total, 35, is smaller than no part but 30 is the smallest shown
    # non-zero count, so 30 goes and the zero stays.
    plan = SuppressionPlan()
    _row(plan, "row", {"a": 5, "b": 0, "c": 30}, 35)
    plan.solve()
    assert plan.value(("row", "a")) is None
    assert plan.value(("row", "c")) is None
    assert plan.value(("row", "b")) == 0
    assert plan.value(("row", "total")) == 35


def test_zero_is_not_suppressed_and_not_preferred() -> None:
    plan = SuppressionPlan()
    _row(plan, "row", {"a": 0, "b": 4, "c": 90}, 94)
    plan.solve()
    assert plan.value(("row", "a")) == 0
    assert plan.value(("row", "c")) is None
    assert plan.value(("row", "total")) == 94


def test_count_suppressed_in_analyst_database_is_protected() -> None:
    # The analyst database stores a suppressed group as null: its value is unknown here, but
    # the total minus the other groups would still give it back.
    plan = SuppressionPlan()
    _row(plan, "race", {"black": 120, "white": 80, "other": None}, 207)
    plan.solve()
    assert plan.value(("race", "other")) is None
    assert plan.value(("race", "white")) is None
    assert plan.value(("race", "black")) == 120


def test_complement_of_subset_protects_the_rest() -> None:
    # 162 people, 160 relieved: the 2 without relief are never shown, but 162 - 160 gives
    # them, so the smaller of the two shown counts goes.
    plan = SuppressionPlan()
    plan.add("people", 162)
    plan.add("relieved", 160)
    plan.add_complement("people", "relieved", "not relieved")
    plan.solve()
    assert plan.value("relieved") is None
    assert plan.value("people") == 162
    assert not plan.is_shown("not relieved")


def test_cross_table_is_protected_in_rows_and_columns() -> None:
    # Sections by level, with row, column and grand totals:
    #            felony  misdemeanor  total
    #   11357        50            4     54
    #   11359        30           20     50
    #   total        80           24    104
    # 4 is small. Its row hides 50 (a part before the total 54). Column felony then gives 50
    # back (80 - 30), so column misdemeanor (24 = 4 + 20) leaks and hides 20; row 11359 gives
    # 20 back (50 - 30), so 30 goes too. The four inner cells end hidden and every total shown.
    plan = SuppressionPlan()
    cells = {("11357", "felony"): 50, ("11357", "misd"): 4, ("11359", "felony"): 30}
    cells[("11359", "misd")] = 20
    for key, value in cells.items():
        plan.add(key, value)
    for section in ("11357", "11359"):
        plan.add(section, sum(v for (s, _), v in cells.items() if s == section))
        plan.add_equation(section, [(section, "felony"), (section, "misd")])
    for level in ("felony", "misd"):
        plan.add(level, sum(v for (_, lv), v in cells.items() if lv == level))
        plan.add_equation(level, [("11357", level), ("11359", level)])
    plan.add("total", 104)
    plan.add_equation("total", ["11357", "11359"])
    plan.add_equation("total", ["felony", "misd"])
    plan.solve()

    for key in cells:
        assert plan.value(key) is None, key
    for key, value in (("11357", 54), ("11359", 50), ("felony", 80), ("misd", 24)):
        assert plan.value(key) == value, key
    assert plan.value("total") == 104


def test_chained_subtraction_across_tables_is_followed() -> None:
    # Table A: 100 = 60 + 40. Table B splits the 40: 40 = 35 + 5. Hiding 5 and then 35 leaves
    # two unknowns in B, and A reveals nothing about them, so 40 and 60 stay.
    plan = SuppressionPlan()
    plan.add("all", 100)
    plan.add("a", 60)
    plan.add("b", 40)
    plan.add("b1", 35)
    plan.add("b2", 5)
    plan.add_equation("all", ["a", "b"])
    plan.add_equation("b", ["b1", "b2"])
    plan.solve()
    assert plan.value("b2") is None
    assert plan.value("b1") is None
    assert plan.value("b") == 40
    assert plan.value("a") == 60


def test_same_cell_added_twice_must_agree() -> None:
    plan = SuppressionPlan()
    plan.add("total", 12)
    plan.add("total", 12)
    with pytest.raises(ValueError, match="added as 12 and as 13"):
        plan.add("total", 13)


def test_reading_before_solve_raises() -> None:
    plan = SuppressionPlan()
    plan.add("total", 12)
    with pytest.raises(RuntimeError, match="solve"):
        plan.value("total")


def test_count_shown_on_another_page_is_never_hidden() -> None:
    # 50 = 43 + 7: 43 is shown on another page, so the total is the only count left to hide.
    plan = SuppressionPlan()
    plan.add_public("other page", 43)
    plan.add("total", 50)
    plan.add_hidden("rest", 7)
    plan.add_equation("total", ["other page", "rest"])
    plan.solve()
    assert plan.value("other page") == 43
    assert plan.value("total") is None


def test_count_hidden_on_another_page_stays_hidden() -> None:
    plan = SuppressionPlan()
    plan.add("total", 500)
    plan.hide("total")
    plan.solve()
    assert plan.value("total") is None


def test_small_count_cannot_be_public() -> None:
    plan = SuppressionPlan()
    with pytest.raises(ValueError, match="small"):
        plan.add_public("other page", 7)
