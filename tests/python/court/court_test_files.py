"""Small hand-made court extracts and mapping files for tests. Every person in them is invented."""

from __future__ import annotations

from pathlib import Path

import yaml

COURT_HEADER = (
    "CASE_NO,COURT,CASE_TYPE,FILE_DT,DEF_NAME,DEF_DOB,CII_NO,CHG_SEQ,CHG_CODE,CHG_LVL,DISPO,"
    "DISPO_DT,SENTENCE,RELIEF,RELIEF_DT"
)

MAPPING = {
    "court_county": "LOS ANGELES",
    "file": "court.csv",
    "encoding": "utf-8",
    "delimiter": ",",
    "header": True,
    "date_format": "%m/%d/%Y",
    "date_format_label": "MM/DD/YYYY",
    "date_columns": ["filing_date", "defendant_dob", "disposition_date", "relief_date"],
    "columns": {
        "court_county": "COURT",
        "case_number": "CASE_NO",
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
    "case_number": {
        "pattern": r"^(?P<type>BA|MA)(?P<year>\d{2})(?P<serial>\d{7})(?:-(?P<defendant>\d{2}))?$",
        "types": {"BA": "F", "MA": "M"},
        "doj_ofn_pattern": r"^[A-Z]{2}(?P<year>\d{2})(?P<type>[A-Z])(?P<serial>\d{6})$",
    },
    "charge_code": {
        "example": "HS 11357(B)",
        "pattern": (
            r"^(?:(?P<prefix>664|182)/)?(?P<book>HS|PC|VC) (?P<section>\d+(?:\.\d+)?)"
            r"(?P<subsection>(?:\([A-Z0-9]+\))*)(?P<rest>.*)$"
        ),
        "books": {"HS": "HS", "PC": "PC", "VC": "VC"},
        "attempt_prefix": "664/",
        "conspiracy_prefix": "182/",
    },
}


def court_line(
    case_number: str,
    seq: str = "1",
    *,
    name: str = '"TESTPERSON, ALPHA"',
    dob: str = "01/01/1980",
    cii: str = "",
    code: str = "HS 11359",
    level: str = "F",
    disposition: str = "CONVICTED",
    disposition_date: str = "03/15/2010",
    relief: str = "",
    relief_date: str = "",
) -> str:
    """Return one court row in the layout of COURT_HEADER; the name is already CSV-quoted."""
    case_type = "FELONY" if level == "F" else "MISDEMEANOR"
    return (
        f"{case_number},LOS ANGELES,{case_type},01/02/2010,{name},{dob},{cii},{seq},{code},"
        f"{level},{disposition},{disposition_date},12 MOS PROBATION,{relief},{relief_date}"
    )


def write_court_file(path: Path, lines: list[str], header: str = COURT_HEADER) -> Path:
    """Write the header and lines to path with LF endings."""
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def write_mapping(path: Path, **changes) -> Path:
    """Write MAPPING with top-level keys replaced by changes to path."""
    path.write_text(yaml.safe_dump({**MAPPING, **changes}, sort_keys=False), encoding="utf-8")
    return path


def doj_conviction_line(
    record_id: str,
    subject_id: str,
    *,
    name: str,
    dob: str,
    cii: str,
    date: str,
    offense: str,
    ofn: str = "",
    level: str = "FELONY",
) -> str:
    """Return one DOJ court-action line: a conviction in Los Angeles, count 1 of cycle 1."""
    from clearance.doj_layout import DOJ_COLUMNS

    values = {
        "RECORD_ID": record_id,
        "SUBJECT_ID": subject_id,
        "CII_NUMBER": cii,
        "PRI_NAME": f'"{name}"',
        "GENDER": "MALE",
        "PRI_DOB": dob,
        "CYC_ORDER": "001",
        "CYC_DATE": date,
        "STP_ORDER": "002",
        "STP_EVENT_DATE": date,
        "STP_TYPE_DESCR": "COURT ACTION",
        "STP_ORI_CNTY_NAME": "LOS ANGELES",
        "CNT_ORDER": "001002001000",
        "DISP_DATE": date,
        "OFN": ofn,
        "OFFENSE_DESCR": offense,
        "OFFENSE_TOC": level[0],
        "DISP_DESCR": "CONVICTED-PROBATION",
        "CONV_STAT_DESCR": level,
        "END_OF_REC": "END",
    }
    return ",".join(values.get(column, "") for column in DOJ_COLUMNS)
