"""The printable PDF of a court's motion list, laid out with fpdf2."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from fpdf import FPDF

from clearance.errors import ClearanceError

logger = logging.getLogger(__name__)

PDF_FONT_ENV = "CLEARANCE_PDF_FONT"
# Unicode TrueType fonts that Debian's fonts-dejavu-core and fonts-liberation packages install,
# used in this order when a value needs more than Latin-1 and CLEARANCE_PDF_FONT is unset.
FALLBACK_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
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

    The table's heading row is repeated at the top of every page. A value outside Latin-1 is
    printed with CLEARANCE_PDF_FONT, else with the first of FALLBACK_FONTS installed. Raises
    ClearanceError before writing when neither exists, naming the court and the row's first
    column (the case number), never the value.
    """
    font_path = _font_path(heading, column_headings, rows)
    document = _MotionListDocument(_BUILT_IN_FONT if font_path is None else _CUSTOM_FONT)
    if font_path is not None:
        document.add_font(_CUSTOM_FONT, fname=str(font_path))
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
        document.cell(0, 6, f"{label}: {value}")
        document.ln(6)
    document.ln(4)

    if not rows:
        document.cell(0, 6, "No conviction qualifies for a motion under this policy.")
    else:
        headings = list(column_headings)
        document.table_row(headings, bold=True)
        document.column_headings = headings
        for values in rows:
            document.table_row([value or "" for value in values])
    document.output(stream)


def _font_path(
    heading: MotionListHeading,
    column_headings: Sequence[str],
    rows: Sequence[Sequence[str | None]],
) -> Path | None:
    """Return the TrueType font to print with, or None for the built-in Latin-1 font."""
    configured = os.environ.get(PDF_FONT_ENV)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ClearanceError(
                f"{PDF_FONT_ENV} names {path}, which is not a file; set a .ttf font"
            )
        return path
    place = _first_place_outside_latin1(heading, column_headings, rows)
    if place is None:
        return None
    for path in FALLBACK_FONTS:
        if path.is_file():
            logger.info(
                "The motion list of the %s court has a character outside Latin-1 in %s, so it "
                "is printed with %s",
                heading.court_county,
                place,
                path,
            )
            return path
    # The built-in PDF fonts encode Latin-1 only, and a name must print exactly or not at all.
    raise ClearanceError(
        f"the motion list of the {heading.court_county} court has a character outside Latin-1 "
        f"in {place}, which the built-in PDF font cannot print, and no Unicode font is "
        f"installed at {' or '.join(str(path) for path in FALLBACK_FONTS)}; set "
        f"{PDF_FONT_ENV}=/path/to/a/unicode.ttf, e.g. DejaVuSans.ttf of Debian's "
        "fonts-dejavu-core package"
    )


def _first_place_outside_latin1(
    heading: MotionListHeading,
    column_headings: Sequence[str],
    rows: Sequence[Sequence[str | None]],
) -> str | None:
    """Return where the first value outside Latin-1 is, by row number and first column only."""
    heading_values = (heading.county, heading.court_county, heading.policy_name)
    if not all(_is_latin1(value) for value in (*heading_values, *column_headings)):
        return "the heading"
    for number, values in enumerate(rows, start=1):
        if not all(_is_latin1(value or "") for value in values):
            return f"row {number} ({column_headings[0]} {values[0]})"
    return None


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
