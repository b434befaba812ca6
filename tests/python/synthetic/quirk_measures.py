"""Measure each calibrated quirk in generated rows, independently of the generator's tables.

Each function returns (hits, population) for one quirk, read only from the file's columns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

Row = dict[str, str]

PROP64_SECTION = re.compile(r"^(?:664[-/]?|182-)?(11357|11358|11359|11360)(?![\d.])")
_PREFIX = re.compile(r"^(?:664[-/]?|182-)")


def counting_offense(row: Row) -> str:
    """Return the offense text that counts: conviction, disposition, charge, then comment."""
    for column in ("CONV_OFFENSE_DESCR", "DISP_OFFENSE_DESCR"):
        if row[column]:
            return row[column]
    if row["OFFENSE_DESCR"] in ("", "SEE COMMENT FOR CHARGE"):
        return row["COMMENT_TEXT"]
    return row["OFFENSE_DESCR"]


def is_prop64_text(text: str) -> bool:
    return PROP64_SECTION.match(text) is not None


def _first_rows(rows: list[Row], keep: Callable[[Row], bool]) -> list[Row]:
    """Return the first row of each (subject, CNT_ORDER) among rows that `keep` accepts."""
    seen: set[tuple[str, str]] = set()
    first: list[Row] = []
    for row in rows:
        key = (row["SUBJECT_ID"], row["CNT_ORDER"])
        if key not in seen and keep(row):
            seen.add(key)
            first.append(row)
    return first


def _is_conviction(row: Row) -> bool:
    return row["STP_TYPE_DESCR"] == "COURT ACTION" and row["DISP_DESCR"].startswith("CONVICTED")


def prop64_convictions(rows: list[Row]) -> list[Row]:
    return _first_rows(
        rows, lambda row: _is_conviction(row) and is_prop64_text(counting_offense(row))
    )


def _share_of_prop64(rows: list[Row], test: Callable[[Row], bool]) -> tuple[int, int]:
    population = prop64_convictions(rows)
    return sum(1 for row in population if test(row)), len(population)


def _spelling(pattern: str) -> Callable[[list[Row]], tuple[int, int]]:
    compiled = re.compile(pattern)
    return lambda rows: _share_of_prop64(
        rows, lambda row: compiled.match(_PREFIX.sub("", counting_offense(row))) is not None
    )


def _court_actions(rows: list[Row]) -> dict[tuple[str, str], str]:
    actions: dict[tuple[str, str], str] = {}
    for row in rows:
        if row["STP_TYPE_DESCR"] == "COURT ACTION":
            actions.setdefault((row["SUBJECT_ID"], row["CNT_ORDER"][:6]), row["STP_EVENT_DATE"])
    return actions


def partial_month_date(rows: list[Row]) -> tuple[int, int]:
    dates = _court_actions(rows).values()
    return sum(1 for text in dates if text.endswith("00") and not text.endswith("0000")), len(dates)


def partial_year_date(rows: list[Row]) -> tuple[int, int]:
    dates = _court_actions(rows).values()
    return sum(1 for text in dates if text.endswith("0000")), len(dates)


def multi_part_sentence(rows: list[Row]) -> tuple[int, int]:
    parts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if _is_conviction(row):
            key = (row["SUBJECT_ID"], row["CNT_ORDER"])
            parts[key] = max(parts[key], int(row["SENT_ORDER"]))
    return sum(1 for count in parts.values() if count >= 2), len(parts)


def _repeats(rows: list[Row]) -> tuple[int, int, int]:
    groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row["STP_TYPE_DESCR"] == "COURT ACTION":
            groups[(row["SUBJECT_ID"], row["CNT_ORDER"], row["SENT_ORDER"])].append(row)
    exact = sum(1 for group in groups.values() if len(group) > 1 and group[0] == group[1])
    conflicting = sum(1 for group in groups.values() if len(group) > 1 and group[0] != group[1])
    return exact, conflicting, len(groups)


def exact_duplicate(rows: list[Row]) -> tuple[int, int]:
    exact, _, total = _repeats(rows)
    return exact, total


def conflicting_repeat(rows: list[Row]) -> tuple[int, int]:
    _, conflicting, total = _repeats(rows)
    return conflicting, total


def _subjects_with(rows: list[Row], test: Callable[[Row], bool]) -> tuple[int, int]:
    subjects = {row["SUBJECT_ID"] for row in rows}
    hits = {row["SUBJECT_ID"] for row in rows if test(row)}
    return len(hits), len(subjects)


def deceased(rows: list[Row]) -> tuple[int, int]:
    return _subjects_with(rows, lambda row: row["STP_TYPE_DESCR"] == "DECEASED")


def pc290_registration(rows: list[Row]) -> tuple[int, int]:
    return _subjects_with(
        rows,
        lambda row: (
            row["STP_TYPE_DESCR"] == "REGISTRATION" and row["OFFENSE_DESCR"].startswith("290")
        ),
    )


def non_ascii_name(rows: list[Row]) -> tuple[int, int]:
    return _subjects_with(rows, lambda row: not row["PRI_NAME"].isascii())


def placeholder(rows: list[Row]) -> tuple[int, int]:
    return sum(1 for row in rows if row["PRI_INN"] == "  -  "), len(rows)


def gang_enhancement(rows: list[Row]) -> tuple[int, int]:
    cases: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row["STP_TYPE_DESCR"] == "COURT ACTION":
            cases[(row["SUBJECT_ID"], row["CNT_ORDER"][:6])].append(row)
    population = hits = 0
    for case_rows in cases.values():
        first = case_rows[0]
        other_felony = (
            first["OFFENSE_TOC"] == "F"
            and first["DISP_DESCR"].startswith("CONVICTED")
            and not is_prop64_text(counting_offense(first))
        )
        if other_felony:
            population += 1
            hits += any("186.22" in row["OFFENSE_DESCR"] for row in case_rows)
    return hits, population


def out_of_county_cycle(rows: list[Row], county: str = "LOS ANGELES") -> tuple[int, int]:
    cycles: dict[tuple[str, str], str] = {}
    for row in rows:
        if row["STP_TYPE_DESCR"] != "DECEASED":
            cycles.setdefault((row["SUBJECT_ID"], row["CYC_ORDER"]), row["STP_ORI_CNTY_NAME"])
    subjects = {subject for subject, _ in cycles}
    # The planned county conviction's cycle is never moved, so it leaves the population.
    return sum(1 for name in cycles.values() if name != county), len(cycles) - len(subjects)


MEASURES: dict[str, Callable[[list[Row]], tuple[int, int]]] = {
    "conviction_offense_differs": lambda rows: _share_of_prop64(
        rows, lambda row: row["CONV_OFFENSE_DESCR"] != ""
    ),
    "charge_in_comment": lambda rows: _share_of_prop64(
        rows, lambda row: row["OFFENSE_DESCR"] in ("", "SEE COMMENT FOR CHARGE")
    ),
    "other_cannabis_in_comment": lambda rows: _share_of_prop64(
        rows, lambda row: row["COMMENT_TEXT"].startswith("ORIG CHRG ")
    ),
    "letters_after_number": _spelling(r"^\d{5}[A-Z] HS-"),
    "no_space_before_book": _spelling(r"^\d{5}(?:\([A-Z]\))?HS-"),
    "lower_case_subsection": _spelling(r"^\d{5}\([a-z]\) HS-"),
    "penal_code_miscoding": _spelling(r"^\d{5}(?:\([A-Z]\))? PC-"),
    "missing_book": _spelling(r"^\d{5}(?:\([A-Z]\))? (?!HS-|PC-)"),
    "attempt": lambda rows: _share_of_prop64(
        rows, lambda row: counting_offense(row).startswith("664")
    ),
    "conspiracy": lambda rows: _share_of_prop64(
        rows, lambda row: counting_offense(row).startswith("182-")
    ),
    "partial_month_date": partial_month_date,
    "partial_year_date": partial_year_date,
    "multi_part_sentence": multi_part_sentence,
    "exact_duplicate": exact_duplicate,
    "conflicting_repeat": conflicting_repeat,
    "deceased": deceased,
    "pc290_registration": pc290_registration,
    "non_ascii_name": non_ascii_name,
    "placeholder": placeholder,
    "gang_enhancement": gang_enhancement,
    "out_of_county_cycle": out_of_county_cycle,
}
