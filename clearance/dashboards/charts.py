"""Vega-Lite chart specifications, built with Altair, for the dashboard sections.

Each chart takes rows made by `bar_row`: a label, the count (None when suppressed, so no bar
is drawn) and the text printed beside the bar, which reads `suppressed` for a hidden count.
Charts take the width of their container, so the same page reads on a desktop and a phone.
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt

from clearance.dashboards.suppression import SUPPRESSED

BAR_HEIGHT = 22
# Few ticks, written short (2k), so the axis stays readable on a phone.
COUNT_AXIS = alt.Axis(tickCount=4, format="~s")
# Room to the right of the longest bar for its printed count.
LABEL_ROOM = 1.25
# Axis labels wrap at this many characters, about 140 px at 12 px, and each line is cut at
# AXIS_LABEL_LIMIT pixels, so a phone keeps about 200 px for the bars.
LABEL_WRAP = 22
AXIS_LABEL_LIMIT = 150
LINE_HEIGHT = 14
LINE_BREAK = "\n"
# Vega draws an array of strings as lines of one label.
WRAPPED_LABELS = alt.Axis(labelLimit=AXIS_LABEL_LIMIT, labelExpr="split(datum.label, '\\n')")


def bar_row(label: str, value: int | None, series: str | None = None) -> dict[str, Any]:
    """Return one bar: its label, count (None when suppressed), printed text and series."""
    return {
        "label": LINE_BREAK.join(textwrap.wrap(label, LABEL_WRAP, break_on_hyphens=False)) or label,
        "value": value,
        "position": value or 0,
        "text": SUPPRESSED if value is None else f"{value:,}",
        "series": series,
    }


def _step(rows: list[dict[str, Any]], bar_height: int) -> int:
    """Return the height of one label's band: a bar, or more when a label wraps."""
    lines = max((row["label"].count(LINE_BREAK) + 1 for row in rows), default=1)
    return max(bar_height, lines * LINE_HEIGHT + 6)


def _count_scale(rows: list[dict[str, Any]]) -> alt.Scale:
    largest = max((row["position"] for row in rows), default=0)
    return alt.Scale(domain=[0, max(1, largest * LABEL_ROOM)], nice=False)


# Set on the finished specification rather than through Altair's configure methods, because
# each of those built the layered chart again and copied its layers (Altair 6.3). Without those
# copies and Altair's validation, both dashboards of a 1,000,000-row run took 0.53 s instead of
# 0.75 s. The keys are in the order that Altair writes them, so the pages stay byte for byte.
_CONFIG = {
    "axis": {"labelFontSize": 12, "titleFontSize": 12},
    "legend": {
        "direction": "vertical",
        "labelFontSize": 12,
        "labelLimit": 200,
        "orient": "bottom",
        "titleFontSize": 12,
    },
}


def _finish(*layers: alt.Chart, height: alt.Step | int) -> dict[str, Any]:
    """Return the layered chart's specification, fitted to the width of the page's column.

    The specification is not validated against the Vega-Lite schema here, because every run
    writes two pages of charts. A test validates each kind of chart instead.
    """
    chart = alt.layer(
        *layers,
        height=height,
        width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
    spec = chart.to_dict(validate=False)
    config = spec.setdefault("config", {})
    config.setdefault("view", {})["stroke"] = None
    for key, values in _CONFIG.items():
        config[key] = {**config.get(key, {}), **values}
    return spec


def horizontal_bars(rows: list[dict[str, Any]], count_title: str) -> dict[str, Any]:
    """Return a bar chart with one horizontal bar per row, in row order."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=WRAPPED_LABELS),
        x=alt.X("position:Q", title=count_title, scale=_count_scale(rows), axis=COUNT_AXIS),
    )
    bars = base.mark_bar(color="#3b6ea8").encode(
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=count_title)]
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(text="text:N")
    return _finish(bars, labels, height=alt.Step(_step(rows, BAR_HEIGHT)))


def grouped_bars(rows: list[dict[str, Any]], count_title: str, series_title: str) -> dict[str, Any]:
    """Return horizontal bars grouped by label, one coloured bar per series."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=WRAPPED_LABELS),
        yOffset=alt.YOffset("series:N", sort=None),
        x=alt.X("position:Q", title=count_title, scale=_count_scale(rows), axis=COUNT_AXIS),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("series:N", sort=None, title=series_title),
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip("text:N", title=count_title),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(text="text:N")
    return _finish(bars, labels, height=alt.Step(BAR_HEIGHT - 6))


def column_bars(rows: list[dict[str, Any]], count_title: str) -> dict[str, Any]:
    """Return a bar chart with one vertical bar per row, in row order, such as decades."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("position:Q", title=count_title, scale=_count_scale(rows), axis=COUNT_AXIS),
    )
    bars = base.mark_bar(color="#3b6ea8").encode(
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=count_title)]
    )
    labels = base.mark_text(baseline="bottom", dy=-3, fontSize=11).encode(text="text:N")
    return _finish(bars, labels, height=240)
