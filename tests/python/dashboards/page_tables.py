"""Read the data tables and chart specifications of a dashboard page, as a reader's tools would."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: list[dict[str, Any]] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._chart: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "script" and "data-chart" in attributes:
            self._chart = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script" and self._chart is not None:
            self.charts.append(json.loads("".join(self._chart)))
            self._chart = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._chart is not None:
            self._chart.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """Return every table of the page by id: its rows, header row first, as printed text."""
    reader = _PageReader()
    reader.feed(html)
    return reader.tables


def page_charts(html: str) -> list[dict[str, Any]]:
    """Return the Vega-Lite specification of every chart on the page."""
    reader = _PageReader()
    reader.feed(html)
    return reader.charts


def count(text: str) -> int | None:
    """Return a printed count as a number, or None for `suppressed`."""
    return None if text == "suppressed" else int(text.replace(",", ""))


def chart_rows(chart: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the data rows a chart draws, wherever Altair put them in the specification."""
    rows = list(chart.get("data", {}).get("values", []))
    for values in chart.get("datasets", {}).values():
        rows.extend(values)
    return rows
