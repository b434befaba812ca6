"""The printable PDF of a court's motion list, laid out with fpdf2."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from fpdf import FPDF

from clearance.errors import ClearanceError

PDF_FONT_ENV = "CLEARANCE_PDF_FONT"
# Millimetres on US Letter in landscape: case number, name, date of birth, sections, relief and
# reason, which takes the rest of the 259.4 mm between the margins.
_COLUMN_WIDTHS = (32, 58, 24, 42, 18, 85.4)
_MARGIN = 10
# Room below the table for the page number.
_BOTTOM_MARGIN = 15
_LINE_HEIGHT = 4
_CELL_PADDING = 0.5
_BUILT_IN_FONT = "Helvetica"
_CUSTOM_FONT = "MotionListFont"


@dataclass(frozen=True)
class MotionListHeading:
    """The run facts printed above the table: court, county, policy and compute date."""

    county: str
    court_county: str
    policy_name: str
    compute_date: date


class _MotionListDocument(FPDF):
    def __init__(self, font: str) -> None:
        super().__init__(orientation="landscape", unit="mm", format="letter")
        self.list_font = font
        # Set once the table starts, so that every later page opens with the heading row.
        self.column_headings: list[str] | None = None
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        # Rows are placed by hand, so that a row never splits across two pages.
        self.set_auto_page_break(auto=False, margin=_BOTTOM_MARGIN)

    def header(self) -> None:
        if self.column_headings is not None:
            self.table_row(self.column_headings, bold=True)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.list_font, size=8)
        # fpdf2 replaces {nb} with the page count when the document is closed.
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    def table_row(self, values: Sequence[str], bold: bool = False) -> None:
        """Draw one table row, its cells wrapped to the column widths, on a new page if needed."""
        style = "B" if bold and self.list_font == _BUILT_IN_FONT else ""
        self.set_font(self.list_font, style=style, size=8)
        cell_lines = [
            self._lines(value, width) for value, width in zip(values, _COLUMN_WIDTHS, strict=True)
        ]
        height = max(len(lines) for lines in cell_lines) * _LINE_HEIGHT + 2 * _CELL_PADDING
        if self.get_y() + height > self.h - _BOTTOM_MARGIN and not bold:
            self.add_page()
            self.set_font(self.list_font, style=style, size=8)
        top = self.get_y()
        x = self.l_margin
        for lines, width in zip(cell_lines, _COLUMN_WIDTHS, strict=True):
            self.rect(x, top, width, height)
            for number, line in enumerate(lines):
                self.set_xy(x, top + _CELL_PADDING + number * _LINE_HEIGHT)
                self.cell(width, _LINE_HEIGHT, line)
            x += width
        self.set_xy(self.l_margin, top + height)

    def _lines(self, text: str, width: float) -> list[str]:
        # Measuring is cheap, and most values fit on one line, so only the rest are wrapped.
        if self.get_string_width(text) <= width - 2 * self.c_margin:
            return [text]
        return self.multi_cell(width, _LINE_HEIGHT, text, dry_run=True, output="LINES")


def write_motion_list_pdf(
    stream: BinaryIO,
    heading: MotionListHeading,
    column_headings: Sequence[str],
    rows: Sequence[Sequence[str | None]],
) -> None:
    """Write the motion list as a PDF: a title, the run's facts, then a table of the rows.

    The table's heading row is repeated at the top of every page. Raises ClearanceError when a
    value has a character outside Latin-1 and no Unicode font is configured.
    """
    document = _MotionListDocument(_register_font_name())
    _add_font(document)
    document.add_page()
    document.set_font(document.list_font, size=14)
    document.cell(0, 8, "Motion list: Prop 64 convictions to dismiss or reduce")
    document.ln(10)
    document.set_font(document.list_font, size=10)
    for label, value in (
        ("Court", f"Superior Court of California, County of {heading.court_county.title()}"),
        ("County", heading.county),
        ("Policy", heading.policy_name),
        ("Compute date", heading.compute_date.isoformat()),
        ("Rows", str(len(rows))),
    ):
        document.cell(0, 6, _printable(document, f"{label}: {value}"))
        document.ln(6)
    document.ln(4)

    if not rows:
        document.cell(0, 6, "No conviction qualifies for a motion under this policy.")
    else:
        headings = [_printable(document, text) for text in column_headings]
        document.table_row(headings, bold=True)
        document.column_headings = headings
        for values in rows:
            document.table_row([_printable(document, value or "") for value in values])
    document.output(stream)


def _register_font_name() -> str:
    return _CUSTOM_FONT if os.environ.get(PDF_FONT_ENV) else _BUILT_IN_FONT


def _add_font(document: FPDF) -> None:
    """Add the TrueType font that CLEARANCE_PDF_FONT names, when it names one."""
    configured = os.environ.get(PDF_FONT_ENV)
    if not configured:
        return
    path = Path(configured)
    if not path.is_file():
        raise ClearanceError(f"{PDF_FONT_ENV} names {path}, which is not a file; set a .ttf font")
    document.add_font(_CUSTOM_FONT, fname=str(path))


def _printable(document: _MotionListDocument, text: str) -> str:
    # The built-in PDF fonts encode Latin-1 only; a name must print exactly or not at all.
    if document.list_font == _BUILT_IN_FONT:
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            raise ClearanceError(
                "a motion list value has a character outside Latin-1, which the built-in PDF "
                f"font cannot print; set {PDF_FONT_ENV} to a Unicode TrueType font (.ttf)"
            ) from None
    return text
