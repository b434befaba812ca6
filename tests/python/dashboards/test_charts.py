"""Chart specifications: valid Vega-Lite, fitted to the page, with the dashboard's fonts.

The charts skip Altair's validation when a dashboard is written, so each kind is validated
here against the Vega-Lite schema that Altair ships.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pytest

from clearance.dashboards import charts

ROWS = [
    charts.bar_row("Dismissed and sealed under the county policy", 1234),
    charts.bar_row("Hand review", None),
    charts.bar_row("Not eligible", 7),
]
SERIES_ROWS = [
    charts.bar_row("HS 11357", 10, series="FELONY"),
    charts.bar_row("HS 11357", None, series="MISDEMEANOR"),
    charts.bar_row("HS 11359", 3, series="FELONY"),
]

SPECS = {
    "horizontal": lambda: charts.horizontal_bars(ROWS, "People"),
    "grouped": lambda: charts.grouped_bars(SERIES_ROWS, "Convictions", "Level"),
    "column": lambda: charts.column_bars(ROWS, "Convictions"),
}


@pytest.mark.parametrize("kind", SPECS)
def test_chart_is_valid_vega_lite(kind: str) -> None:
    spec = SPECS[kind]()

    # from_dict validates against the schema and raises on any unknown or mistyped property.
    alt.LayerChart.from_dict(spec, validate=True)


@pytest.mark.parametrize("kind", SPECS)
def test_chart_fits_column_with_config(kind: str) -> None:
    spec: dict[str, Any] = SPECS[kind]()

    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["config"]["view"]["stroke"] is None
    assert spec["config"]["axis"] == {"labelFontSize": 12, "titleFontSize": 12}
    assert spec["config"]["legend"]["orient"] == "bottom"
    assert spec["config"]["legend"]["labelLimit"] == 200
    # Altair's default theme still sizes continuous views.
    assert spec["config"]["view"]["continuousWidth"] == 300
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]


def test_bar_height_by_chart_kind() -> None:
    # The longest label wraps to three lines no longer than 22 characters ("Dismissed and sealed",
    # "under the county", "policy"), so each band is 3 * 14 + 6 = 48 px high.
    assert SPECS["horizontal"]()["height"] == {"step": 48}
    assert SPECS["grouped"]()["height"] == {"step": charts.BAR_HEIGHT - 6}
    assert SPECS["column"]()["height"] == 240


def test_suppressed_count_draws_no_bar() -> None:
    spec = SPECS["horizontal"]()

    values = spec["data"]["values"]
    assert values[1]["value"] is None
    assert values[1]["position"] == 0
    assert values[1]["text"] == "suppressed"
    assert values[0]["text"] == "1,234"
