"""Court extracts load through their mapping: canonical rows, quarantine, failures and reuse."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from court_test_files import COURT_HEADER, MAPPING, court_line, write_court_file, write_mapping

from clearance.loading.court_files import CourtFileInput, load_court_files
from clearance.loading.errors import InputFileError
from orchestration.lib.steps import court_file_hashes


def load(con, court: Path, mapping: Path):
    return load_court_files(con, [CourtFileInput(court, mapping)])


def test_rows_map_onto_canonical_columns(warehouse, tmp_path: Path):
    court = write_court_file(
        tmp_path / "court.csv",
        [
            court_line("BA100012345", "1", code="664/HS 11359(A)", relief="11361.8 granted",
                       relief_date="02/01/2018"),
            court_line("MA100000007-02", "2", code="PC 647(F)", level="M", dob=""),
        ],
    )  # fmt: skip
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (2, 2, 0)
    rows = warehouse.execute(
        """
        select line_number, case_level, case_year, case_serial, charge_prefix, charge_book,
            charge_section, charge_subsection, disposition_date, defendant_dob, relief_status,
            relief_date
        from raw.court_rows order by line_number
        """
    ).fetchall()
    # Line 1 is the header; the serial loses its zero padding and the defendant suffix.
    assert rows[0] == (
        2, "F", "10", "12345", "attempt", "HS", "11359", "(A)", "2010-03-15", "1980-01-01",
        "11361.8 GRANTED", "2018-02-01",
    )  # fmt: skip
    assert rows[1] == (
        3, "M", "10", "7", None, "PC", "647", "(F)", "2010-03-15", None, None, None,
    )  # fmt: skip


def test_bad_rows_are_quarantined_with_line_and_column(warehouse, tmp_path: Path):
    good = [court_line(f"BA1000{n:05d}") for n in range(1, 28)]
    court = write_court_file(
        tmp_path / "court.csv",
        [
            *good,  # lines 2-28
            court_line("BA100000001"),  # line 29: same case and charge as line 2
            court_line("BA109999999", disposition_date="13/45/2010"),  # line 30
            court_line("BA109999998") + ",EXTRA",  # line 31
            court_line("BA109999997", seq="A"),  # line 32
        ],
    )
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (31, 27, 4)
    quarantined = warehouse.execute(
        "select line_number, column_name, reason from raw.court_quarantine order by line_number"
    ).fetchall()
    assert quarantined == [
        (29, "CASE_NO", "duplicate case_number and charge_seq of line 2"),
        (30, "DISPO_DT", "invalid date in disposition_date: expected %m/%d/%Y"),
        (31, None, "expected 15 fields, found 16"),
        (32, "CHG_SEQ", "charge_seq is not a whole number"),
    ]
    [(files_read, files_loaded, files_quarantined)] = warehouse.execute(
        "select rows_read, rows_loaded, rows_quarantined from raw.court_files"
    ).fetchall()
    assert files_read == files_loaded + files_quarantined == 31


def test_invalid_optional_date_loads_row_with_warning(warehouse, tmp_path: Path):
    # Two invalid optional dates among 29 rows: each loads as null, and its row keeps its relief.
    good = [
        court_line(f"BA1000{n:05d}", relief="1203.4 GRANTED", relief_date="06/01/2015")
        for n in range(1, 28)
    ]
    court = write_court_file(
        tmp_path / "court.csv",
        [
            *good,  # lines 2-28
            court_line("BA109999999", dob="02/30/1975", relief="11361.8 GRANTED",
                       relief_date="02/01/2018"),  # line 29: February has no 30th
            court_line("BA109999998", relief="11361.8 PENDING",
                       relief_date="13/01/2018"),  # line 30: no month 13
        ],
    )  # fmt: skip
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (29, 29, 0)
    assert loaded.field_warnings == 2
    warnings = warehouse.execute(
        "select file_name, line_number, column_name, reason from raw.court_field_warnings "
        "order by line_number"
    ).fetchall()
    assert warnings == [
        ("court.csv", 29, "DEF_DOB",
         "invalid date in defendant_dob: expected %m/%d/%Y; loaded as empty"),
        ("court.csv", 30, "RELIEF_DT",
         "invalid date in relief_date: expected %m/%d/%Y; loaded as empty"),
    ]  # fmt: skip
    rows = warehouse.execute(
        "select line_number, defendant_dob, relief_status, relief_date from raw.court_rows "
        "where line_number >= 29 order by line_number"
    ).fetchall()
    assert rows == [
        (29, None, "11361.8 GRANTED", "2018-02-01"),
        (30, "1980-01-01", "11361.8 PENDING", None),
    ]
    assert warehouse.execute("select count(*) from raw.court_quarantine").fetchall() == [(0,)]

    [reused] = load(warehouse, court, mapping)

    assert reused.reused
    assert reused.field_warnings == 2


def test_court_file_of_other_county_fails(warehouse, tmp_path: Path):
    court = write_court_file(
        tmp_path / "court.csv", [court_line("BA100000001"), court_line("BA100000002")]
    )
    mapping = write_mapping(tmp_path / "mapping.yaml")

    with pytest.raises(InputFileError) as failure:
        load_court_files(warehouse, [CourtFileInput(court, mapping)], run_county="SAN FRANCISCO")

    assert str(failure.value) == (
        f"court file {court.resolve()} has rows of LOS ANGELES only, none of --county "
        "SAN FRANCISCO; give the court file of SAN FRANCISCO or run with its county"
    )
    assert warehouse.execute("select count(*) from raw.court_files").fetchall() == [(0,)]
    [loaded] = load_court_files(
        warehouse, [CourtFileInput(court, mapping)], run_county="Los Angeles"
    )
    assert loaded.rows_loaded == 2


def test_input_hashes_name_court_file_and_mapping(warehouse, tmp_path: Path):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert court_file_hashes([loaded]) == (
        ("court.csv", hashlib.sha256(court.read_bytes()).hexdigest()),
        ("mapping.yaml", hashlib.sha256(mapping.read_bytes()).hexdigest()),
    )


def test_mapping_naming_missing_column_fails(warehouse, tmp_path: Path):
    court = write_court_file(
        tmp_path / "court.csv", [court_line("BA100000001")],
        header=COURT_HEADER.replace("DISPO_DT", "DISPOSED_ON"),
    )  # fmt: skip
    mapping = write_mapping(tmp_path / "mapping.yaml")

    with pytest.raises(InputFileError, match=r"column DISPO_DT \(canonical disposition_date\)"):
        load(warehouse, court, mapping)

    assert warehouse.execute("select count(*) from raw.court_files").fetchall() == [(0,)]


def test_wrong_date_format_fails_the_file(warehouse, tmp_path: Path):
    # Days above 12 do not parse as months: 2 of 3 disposition dates are invalid under %d/%m/%Y,
    # the first on line 3 because line 1 is the header.
    court = write_court_file(
        tmp_path / "court.csv",
        [
            court_line("BA100000001", disposition_date="05/05/2010"),
            court_line("BA100000002", disposition_date="03/15/2010"),
            court_line("BA100000003", disposition_date="04/20/2010"),
        ],
    )
    mapping = write_mapping(tmp_path / "mapping.yaml", date_format="%d/%m/%Y")

    with pytest.raises(InputFileError) as failure:
        load(warehouse, court, mapping)

    assert str(failure.value) == (
        f"court file {court.resolve()}: 2 of 3 values in column DISPO_DT (disposition_date) are "
        "not dates in format %d/%m/%Y, more than 5%, the first at line 3; check date_format in "
        f"mapping file {mapping}"
    )
    assert warehouse.execute("select count(*) from raw.court_rows").fetchall() == [(0,)]


def test_one_invalid_birth_date_in_small_file_loads(warehouse, tmp_path: Path):
    # 1 of 3 dates of birth is invalid, a third, yet only the disposition date can fail a file.
    court = write_court_file(
        tmp_path / "court.csv",
        [
            court_line("BA100000001"),
            court_line("BA100000002", dob="02/30/1975"),  # line 3: February has no 30th
            court_line("BA100000003"),
        ],
    )
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (3, 3, 0)
    assert loaded.field_warnings == 1
    warnings = warehouse.execute(
        "select line_number, column_name, reason from raw.court_field_warnings"
    ).fetchall()
    assert warnings == [
        (3, "DEF_DOB", "invalid date in defendant_dob: expected %m/%d/%Y; loaded as empty")
    ]


def test_mapping_without_required_column_fails(tmp_path: Path, warehouse):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml", columns={"case_number": "CASE_NO"})

    with pytest.raises(InputFileError, match=r"columns\.defendant_name is missing"):
        load(warehouse, court, mapping)


def test_same_file_and_mapping_is_reused(warehouse, tmp_path: Path):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [first] = load(warehouse, court, mapping)
    [second] = load(warehouse, court, mapping)
    other_mapping = write_mapping(tmp_path / "other.yaml", court_county="VENTURA")
    [third] = load(warehouse, court, other_mapping)

    assert not first.reused
    assert second.reused
    assert second.load_id == first.load_id
    assert not third.reused
    assert warehouse.execute("select count(*) from raw.court_rows").fetchall() == [(2,)]


def test_quoted_field_spanning_lines_is_one_row(warehouse, tmp_path: Path):
    court = write_court_file(
        tmp_path / "court.csv",
        [
            court_line("BA100000001", name='"TESTPERSON,\nALPHA"'),  # lines 2-3
            court_line("BA100000002"),  # line 4
            "",  # line 5
        ],
    )
    mapping = write_mapping(tmp_path / "mapping.yaml")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (3, 2, 1)
    rows = warehouse.execute(
        "select line_number, defendant_name from raw.court_rows order by line_number"
    ).fetchall()
    assert rows == [(2, "TESTPERSON,\nALPHA"), (4, "TESTPERSON, ALPHA")]
    quarantined = warehouse.execute(
        "select line_number, column_name, reason from raw.court_quarantine"
    ).fetchall()
    assert quarantined == [(5, None, "blank line")]


def test_cp1252_file_with_crlf_and_semicolons_loads(warehouse, tmp_path: Path):
    lines = [
        court_line("BA100000001", name='"TESTPERSÖN, ALPHA"'),
        court_line("BA100000002", name='"TESTPERSON; BETA"', dob=" 02/03/1981 "),
    ]
    text = "\r\n".join([COURT_HEADER, *lines]).replace(",", ";").replace("N; B", "N, B")
    court = tmp_path / "court.csv"
    court.write_bytes((text + "\r\n").encode("cp1252"))
    mapping = write_mapping(tmp_path / "mapping.yaml", encoding="cp1252", delimiter=";")

    [loaded] = load(warehouse, court, mapping)

    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == (2, 2, 0)
    rows = warehouse.execute(
        "select line_number, defendant_name, defendant_dob from raw.court_rows order by line_number"
    ).fetchall()
    # The quoted name keeps its delimiter; the date loses its padding.
    assert rows == [
        (2, "TESTPERSÖN; ALPHA", "1980-01-01"),
        (3, "TESTPERSON, BETA", "1981-02-03"),
    ]


def test_pattern_outside_re2_fails_with_mapping_named(warehouse, tmp_path: Path):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    case_number = {
        **MAPPING["case_number"],
        "pattern": r"^(?P<type>BA|MA)(?P<year>\d{2})(?=\d)(?P<serial>\d{7})$",
    }
    mapping = write_mapping(tmp_path / "mapping.yaml", case_number=case_number)

    with pytest.raises(InputFileError) as failure:
        load(warehouse, court, mapping)

    assert str(failure.value) == (
        f"court mapping file {mapping}: case_number.pattern is not a valid RE2 regular "
        "expression (invalid perl operator: (?=); DuckDB matches patterns with RE2, which "
        "lacks backreferences and lookaround"
    )


def test_invalid_pattern_names_key_and_mapping(warehouse, tmp_path: Path):
    court = write_court_file(tmp_path / "court.csv", [court_line("BA100000001")])
    case_number = {**MAPPING["case_number"], "pattern": r"^(?P<type>BA|MA)(?P<year>\d{2}"}
    mapping = write_mapping(tmp_path / "mapping.yaml", case_number=case_number)

    with pytest.raises(InputFileError) as failure:
        load(warehouse, court, mapping)

    assert str(failure.value).startswith(
        f"court mapping file {mapping}: case_number.pattern is not a valid regular expression: "
        "missing ), unterminated subpattern"
    )
