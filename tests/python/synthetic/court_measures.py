"""Read generated court extracts back through their mapping files and measure each court quirk.

The measures read only the court file, its mapping, the link key and the DOJ rows, never the
generator's tables. Each returns (hits, population) for one quirk of the calibration's `court`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from quirk_measures import prop64_convictions

Row = dict[str, str]

PROP64_EFFECTIVE = date(2016, 11, 9)
_DOJ_SECTION = re.compile(
    r"^(?:664[-/]?|182-)?(?P<section>\d+(?:\.\d+)?)(?:\((?P<enclosed>[A-Za-z])\)|(?P<bare>[A-Za-z])(?![A-Za-z]))?"
)


@dataclass(frozen=True)
class CourtExtract:
    """One county's court file in canonical column names, with its mapping and link key rows."""

    county: str
    mapping: dict[str, Any]
    header: list[str]
    rows: list[Row]
    key: list[Row]

    def parse_date(self, text: str) -> date:
        return datetime.strptime(text, self.mapping["date_format"]).date()

    def charge_parts(self, row: Row) -> re.Match[str]:
        match = re.match(self.mapping["charge_code"]["pattern"], row["charge_code"])
        assert match is not None, row["charge_code"]
        return match


def read_court_extract(out_dir: Path, county_entry: dict[str, Any], key: list[Row]) -> CourtExtract:
    """Read a county's court file through the mapping file that the manifest names."""
    court = county_entry["court"]
    mapping = yaml.safe_load((out_dir / court["mapping_file"]).read_text(encoding="utf-8"))
    to_canonical = {court_name: canonical for canonical, court_name in mapping["columns"].items()}
    with (out_dir / court["file"]).open(encoding=mapping["encoding"], newline="") as handle:
        reader = csv.reader(handle, delimiter=mapping["delimiter"])
        header = next(reader)
        rows = [
            {
                to_canonical.get(name, name): value
                for name, value in zip(header, fields, strict=True)
            }
            for fields in reader
        ]
    county_key = [row for row in key if row["court_county"] == county_entry["county"]]
    return CourtExtract(county_entry["county"], mapping, header, rows, county_key)


def read_link_key(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def doj_section(offense: str) -> tuple[str, str]:
    """Return the section number and upper-case subsection letter of a DOJ offense text."""
    match = _DOJ_SECTION.match(offense)
    assert match is not None, offense
    letter = match["enclosed"] or match["bare"] or ""
    return match["section"], letter.upper()


def court_section(extract: CourtExtract, row: Row) -> tuple[str, str]:
    """Return the section number and first subsection letter of a court charge code."""
    parts = extract.charge_parts(row)
    subsection = re.match(r"\(([A-Za-z])\)", parts["subsection"])
    return parts["section"], subsection[1].upper() if subsection else ""


def is_prop64_charge(extract: CourtExtract, row: Row) -> bool:
    parts = extract.charge_parts(row)
    book = extract.mapping["charge_code"]["books"][parts["book"]]
    return book == "HS" and parts["section"] in ("11357", "11358", "11359", "11360")


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_variant(court_name: str, doj_name: str) -> str:
    """Classify how the court spelled a DOJ name: swapped, shortened, typo, same or other."""
    last, given_names = doj_name.split(",", 1)
    if court_name.isascii() and not doj_name.isascii():
        last, given_names = fold_accents(last), fold_accents(given_names)
    if court_name == f"{last}, {given_names}":
        return "same"
    if court_name == f"{given_names}, {last}":
        return "swapped"
    if court_name == f"{last}, {given_names.split(' ')[0]}":
        return "shortened"
    court_last, _, court_given = court_name.partition(", ")
    differing = [a != b for a, b in zip(court_given, given_names, strict=False)]
    if court_last == last and len(court_given) == len(given_names) and sum(differing) == 1:
        return "typo"
    return "other"


def _cases(extract: CourtExtract) -> dict[str, Row]:
    first: dict[str, Row] = {}
    for row in extract.rows:
        first.setdefault(row["case_number"], row)
    return first


def _doj_names(doj_rows: list[Row]) -> dict[str, str]:
    return {row["SUBJECT_ID"]: row["PRI_NAME"] for row in doj_rows}


def _doj_subject_cases(extract: CourtExtract, doj_rows: list[Row]) -> list[tuple[str, str]]:
    """Return (court name, DOJ name) of each court case linked to a DOJ subject by the key."""
    subjects: dict[str, str] = {}
    for key_row in extract.key:
        if key_row["subject_id"]:
            subjects.setdefault(key_row["case_number"], key_row["subject_id"])
    names = _doj_names(doj_rows)
    cases = _cases(extract)
    return [(cases[case]["defendant_name"], names[subject]) for case, subject in subjects.items()]


def _variant_share(variant: str, population: Callable[[str], bool] = lambda _: True):
    def measure(extract: CourtExtract, doj_rows: list[Row]) -> tuple[int, int]:
        pairs = [pair for pair in _doj_subject_cases(extract, doj_rows) if population(pair[1])]
        return sum(1 for court, doj in pairs if name_variant(court, doj) == variant), len(pairs)

    return measure


def _has_several_given_names(doj_name: str) -> bool:
    return " " in doj_name.split(",", 1)[1]


def accent_dropped(extract: CourtExtract, doj_rows: list[Row]) -> tuple[int, int]:
    pairs = [pair for pair in _doj_subject_cases(extract, doj_rows) if not pair[1].isascii()]
    return sum(1 for court, _ in pairs if court.isascii()), len(pairs)


def _case_share(column: str) -> Callable[[CourtExtract, list[Row]], tuple[int, int]]:
    def measure(extract: CourtExtract, _: list[Row]) -> tuple[int, int]:
        cases = _cases(extract)
        return sum(1 for row in cases.values() if row[column] == ""), len(cases)

    return measure


def county_prop64_convictions(doj_rows: list[Row], county: str) -> set[tuple[str, str]]:
    """Return (SUBJECT_ID, CNT_ORDER) of the DOJ Prop 64 convictions in `county`."""
    return {
        (row["SUBJECT_ID"], row["CNT_ORDER"])
        for row in prop64_convictions(doj_rows)
        if row["STP_ORI_CNTY_NAME"] == county
    }


def court_only_conviction(extract: CourtExtract, doj_rows: list[Row]) -> tuple[int, int]:
    court_only = _court_only_prop64(extract)
    return len(court_only), len(county_prop64_convictions(doj_rows, extract.county))


def _court_only_prop64(extract: CourtExtract) -> list[Row]:
    links = {(row["case_number"], row["charge_seq"]): row["link"] for row in extract.key}
    return [
        row
        for row in extract.rows
        if links[(row["case_number"], row["charge_seq"])] == "court_only"
        and row["disposition"] == "CONVICTED"
        and is_prop64_charge(extract, row)
    ]


def court_only_new_person(extract: CourtExtract, doj_rows: list[Row]) -> tuple[int, int]:
    """Count court-only cases whose CII number no DOJ subject has, among those with one."""
    known_cii = {row["CII_NUMBER"] for row in doj_rows}
    cases = _cases(extract)
    with_cii = [
        cases[case]["cii_number"]
        for case in {row["case_number"] for row in extract.key if row["link"] == "court_only"}
        if cases[case]["cii_number"]
    ]
    return sum(1 for cii in with_cii if cii not in known_cii), len(with_cii)


def court_record_missing(extract: CourtExtract, doj_rows: list[Row]) -> tuple[int, int]:
    convictions = county_prop64_convictions(doj_rows, extract.county)
    linked = {(row["subject_id"], row["cnt_order"]) for row in extract.key if row["subject_id"]}
    return len(convictions - linked), len(convictions)


def _relief_population(extract: CourtExtract) -> list[Row]:
    return [
        row
        for row in extract.rows
        if row["disposition"] == "CONVICTED"
        and is_prop64_charge(extract, row)
        and extract.parse_date(row["disposition_date"]) < PROP64_EFFECTIVE
    ]


def _relief_share(status: str, probation_only: bool = False):
    def measure(extract: CourtExtract, _: list[Row]) -> tuple[int, int]:
        population = _relief_population(extract)
        if probation_only:
            population = [row for row in population if "PROBATION" in row["sentence_text"]]
        return sum(1 for row in population if row["relief_status"] == status), len(population)

    return measure


COURT_MEASURES: dict[str, Callable[[CourtExtract, list[Row]], tuple[int, int]]] = {
    "court_only_conviction": court_only_conviction,
    "court_only_new_person": court_only_new_person,
    "court_record_missing": court_record_missing,
    "missing_cii": _case_share("cii_number"),
    "missing_dob": _case_share("defendant_dob"),
    "first_last_swapped": _variant_share("swapped"),
    "given_names_shortened": _variant_share("shortened", _has_several_given_names),
    "name_typo": _variant_share("typo"),
    "accent_dropped": accent_dropped,
    "relief_11361_8_granted": _relief_share("11361.8 GRANTED"),
    "relief_11361_8_pending": _relief_share("11361.8 PENDING"),
    "relief_1203_4_granted": _relief_share("1203.4 GRANTED", probation_only=True),
}


def doj_convictions_by_key(doj_rows: list[Row]) -> dict[tuple[str, str], Row]:
    """Return the first DOJ conviction row of each (SUBJECT_ID, CNT_ORDER)."""
    convictions: dict[tuple[str, str], Row] = {}
    for row in doj_rows:
        if row["STP_TYPE_DESCR"] == "COURT ACTION" and row["DISP_DESCR"].startswith("CONVICTED"):
            convictions.setdefault((row["SUBJECT_ID"], row["CNT_ORDER"]), row)
    return convictions
