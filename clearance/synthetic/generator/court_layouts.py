"""Export layouts of the synthetic superior courts and the mapping file that describes each one.

A court exports the canonical court layout (one row per charge per case) under its own column
names, date format, case-number format and charge-code spelling. The mapping file written beside
each court file records those choices, so that a loader maps any court with data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clearance.loading.court_mapping import COURT_COLUMNS, DATE_COLUMNS

# The canonical court layout, in order, as the loader maps every court onto it.
CANONICAL_COLUMNS = COURT_COLUMNS


# The generated DOJ `OFN`: two county letters, the two-digit arrest year, the type of charge of
# the first count and a six-digit serial. A court number carries the same year, type and serial.
DOJ_OFN_PATTERN = r"^[A-Z]{2}(?P<year>\d{2})(?P<type>[A-Z])(?P<serial>\d{6})$"

# Statute books that appear in generated charges, keyed by the token the DOJ file uses.
STANDARD_BOOKS: tuple[str, ...] = ("HS", "PC", "VC")


@dataclass(frozen=True)
class CourtLayout:
    """Export layout of one court's case extract.

    `columns` maps each canonical column to the court's column name, in the court's column
    order. A case number is the type prefix, the two-digit filing year of the DOJ's `OFN` and
    the case serial, joined by `separator`, with the serial zero-padded to `serial_width` digits
    (0 means no padding). A charge code puts the book before or after the section, spells the
    books with `books` and writes subsections in lower case when `lower_case_subsection` is set.
    """

    columns: dict[str, str]
    date_format: str
    date_label: str
    case_prefixes: dict[str, str]
    separator: str
    serial_width: int
    book_first: bool
    books: dict[str, str]
    lower_case_subsection: bool
    example_charge_code: str

    @property
    def case_number_pattern(self) -> str:
        """Return a regular expression with groups `type`, `year`, `serial` and `defendant`."""
        prefixes = "|".join(self.case_prefixes.values())
        serial = rf"\d{{{self.serial_width}}}" if self.serial_width else r"\d{1,7}"
        sep = self.separator
        return (
            rf"^(?P<type>{prefixes}){sep}(?P<year>\d{{2}}){sep}(?P<serial>{serial})"
            r"(?:-(?P<defendant>\d{2}))?$"
        )

    @property
    def charge_code_pattern(self) -> str:
        """Return a regular expression with groups `prefix`, `book`, `section`, `subsection`, `rest`."""
        books = "|".join(self.books[book] for book in STANDARD_BOOKS)
        letters = "a-z0-9" if self.lower_case_subsection else "A-Z0-9"
        prefix = r"^(?:(?P<prefix>664|182)/)?"
        section = rf"(?P<section>\d+(?:\.\d+)?)(?P<subsection>(?:\([{letters}]+\))*)"
        if self.book_first:
            return rf"{prefix}(?P<book>{books}) {section}(?P<rest>.*)$"
        return rf"{prefix}{section}(?P<rest>.*) (?P<book>{books})$"


LAYOUTS: dict[str, CourtLayout] = {
    "LOS ANGELES": CourtLayout(
        columns={
            "case_number": "CASE_NO",
            "court_county": "COURT",
            "case_type": "CASE_TYPE",
            "filing_date": "FILE_DT",
            "defendant_name": "DEF_NAME",
            "defendant_dob": "DEF_DOB",
            "cii_number": "CII_NO",
            "charge_seq": "CHG_SEQ",
            "charge_code": "CHG_CODE",
            "charge_level": "CHG_LVL",
            "disposition": "DISPO",
            "disposition_date": "DISPO_DT",
            "sentence_text": "SENTENCE",
            "relief_status": "RELIEF",
            "relief_date": "RELIEF_DT",
        },
        date_format="%m/%d/%Y",
        date_label="MM/DD/YYYY",
        case_prefixes={"F": "BA", "M": "MA"},
        separator="",
        serial_width=7,
        book_first=True,
        books={"HS": "HS", "PC": "PC", "VC": "VC"},
        lower_case_subsection=False,
        example_charge_code="HS 11357(B)",
    ),
    "SAN FRANCISCO": CourtLayout(
        columns={
            "court_county": "CourtCounty",
            "case_number": "CaseNumber",
            "filing_date": "FilingDate",
            "case_type": "CaseType",
            "defendant_name": "DefendantName",
            "defendant_dob": "DateOfBirth",
            "cii_number": "CII",
            "charge_seq": "ChargeNumber",
            "charge_code": "ChargeCode",
            "charge_level": "ChargeLevel",
            "disposition": "Disposition",
            "disposition_date": "DispositionDate",
            "sentence_text": "SentenceText",
            "relief_status": "ReliefStatus",
            "relief_date": "ReliefDate",
        },
        date_format="%Y-%m-%d",
        date_label="YYYY-MM-DD",
        case_prefixes={"F": "SCN", "M": "MCN"},
        separator="-",
        serial_width=0,
        book_first=True,
        books={"HS": "H&S", "PC": "PC", "VC": "VC"},
        lower_case_subsection=True,
        example_charge_code="H&S 11357(b)",
    ),
}

# Any other calibrated county gets the canonical column names and the section-first spelling.
DEFAULT_LAYOUT = CourtLayout(
    columns={column: column for column in CANONICAL_COLUMNS},
    date_format="%Y-%m-%d",
    date_label="YYYY-MM-DD",
    case_prefixes={"F": "CRF", "M": "CRM"},
    separator="-",
    serial_width=8,
    book_first=False,
    books={"HS": "HS", "PC": "PC", "VC": "VC"},
    lower_case_subsection=False,
    example_charge_code="11357(B) HS",
)


def layout_for(county: str) -> CourtLayout:
    """Return the export layout of `county`'s court."""
    return LAYOUTS.get(county, DEFAULT_LAYOUT)


def mapping_document(county: str, court_file: str, layout: CourtLayout) -> dict[str, Any]:
    """Build the mapping file's content for `county`'s court extract `court_file`."""
    return {
        "court_county": county,
        "file": court_file,
        "encoding": "utf-8",
        "delimiter": ",",
        "header": True,
        "date_format": layout.date_format,
        "date_format_label": layout.date_label,
        "date_columns": list(DATE_COLUMNS),
        "columns": {column: layout.columns[column] for column in CANONICAL_COLUMNS},
        "case_number": {
            "pattern": layout.case_number_pattern,
            "types": {prefix: level for level, prefix in layout.case_prefixes.items()},
            "doj_ofn_pattern": DOJ_OFN_PATTERN,
        },
        "charge_code": {
            "example": layout.example_charge_code,
            "pattern": layout.charge_code_pattern,
            "books": {layout.books[book]: book for book in STANDARD_BOOKS},
            "attempt_prefix": "664/",
            "conspiracy_prefix": "182/",
        },
    }
