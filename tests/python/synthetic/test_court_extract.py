"""Generated court extracts: mapping files that describe them, a true link key, calibrated quirks."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from court_measures import (
    COURT_MEASURES,
    PROP64_EFFECTIVE,
    CourtExtract,
    court_section,
    doj_convictions_by_key,
    doj_section,
    is_prop64_charge,
    read_court_extract,
    read_link_key,
)
from generated_extract import GeneratedExtract
from quirk_measures import counting_offense

from clearance.synthetic.generator import MANIFEST_NAME, generate
from clearance.synthetic.generator.calibration import load_calibration
from clearance.synthetic.generator.court_layouts import (
    CANONICAL_COLUMNS,
    DEFAULT_LAYOUT,
    DOJ_OFN_PATTERN,
    LAYOUTS,
)

CALIBRATION = load_calibration()
COURT_FILES = (
    "court-link-key.csv",
    "san_francisco_court.csv",
    "san_francisco_court_mapping.yaml",
)


@pytest.fixture(scope="module")
def san_francisco(tmp_path_factory: pytest.TempPathFactory) -> CourtExtract:
    out_dir = tmp_path_factory.mktemp("san_francisco")
    manifest = generate(["SAN FRANCISCO"], 4, out_dir, scale=0.02)
    key = read_link_key(out_dir / manifest["court_link_key"])
    return read_court_extract(out_dir, manifest["counties"][0], key)


def test_every_court_quirk_is_measured() -> None:
    assert set(COURT_MEASURES) == set(CALIBRATION.court)


@pytest.mark.parametrize("quirk", sorted(COURT_MEASURES))
def test_court_quirk_within_tolerance(
    court: CourtExtract, extract: GeneratedExtract, quirk: str
) -> None:
    hits, population = COURT_MEASURES[quirk](court, extract.rows)
    rate = CALIBRATION.court_rate(quirk)
    tolerance = float(CALIBRATION.court[quirk]["tolerance"])
    assert population > 0
    assert hits > 0, f"{quirk}: not present in {population}"
    assert abs(hits / population - rate) <= tolerance, (
        f"{quirk}: {hits} of {population} = {hits / population:.4f}, expected {rate} ± {tolerance}"
    )


def test_same_seed_writes_same_court_files(tmp_path: Path) -> None:
    for run in ("first", "second"):
        generate(["SAN FRANCISCO"], 8, tmp_path / run, scale=0.005)
    for name in COURT_FILES:
        first = (tmp_path / "first" / name).read_bytes()
        assert first == (tmp_path / "second" / name).read_bytes(), name
        assert first


def test_other_seed_writes_other_court_file(tmp_path: Path) -> None:
    generate(["SAN FRANCISCO"], 8, tmp_path / "eight", scale=0.005)
    generate(["SAN FRANCISCO"], 9, tmp_path / "nine", scale=0.005)
    name = "san_francisco_court.csv"
    assert (tmp_path / "eight" / name).read_bytes() != (tmp_path / "nine" / name).read_bytes()


def test_link_key_lists_each_court_charge_once(court: CourtExtract) -> None:
    charges = [(row["case_number"], row["charge_seq"]) for row in court.rows]
    keyed = [(row["case_number"], row["charge_seq"]) for row in court.key]
    assert keyed == charges
    assert len(set(charges)) == len(charges)
    assert {row["link"] for row in court.key} == {"doj", "court_only"}


def test_linked_charges_point_to_doj_convictions(
    court: CourtExtract, extract: GeneratedExtract
) -> None:
    convictions = doj_convictions_by_key(extract.rows)
    charges = {(row["case_number"], row["charge_seq"]): row for row in court.rows}
    linked = [row for row in court.key if row["subject_id"]]
    assert len(linked) > 1000
    for key_row in linked:
        doj = convictions.get((key_row["subject_id"], key_row["cnt_order"]))
        assert doj is not None, key_row
        charge = charges[(key_row["case_number"], key_row["charge_seq"])]
        assert key_row["link"] == "doj"
        assert charge["disposition"] == "CONVICTED"
        assert doj["STP_ORI_CNTY_NAME"] == "LOS ANGELES"
        assert doj_section(counting_offense(doj)) == court_section(court, charge), key_row


def test_sentence_lists_every_doj_sentence_part(
    court: CourtExtract, extract: GeneratedExtract
) -> None:
    parts: dict[tuple[str, str], set[str]] = {}
    for row in extract.rows:
        if row["SENT_ORDER"]:
            parts.setdefault((row["SUBJECT_ID"], row["CNT_ORDER"]), set()).add(row["SENT_ORDER"])
    charges = {(row["case_number"], row["charge_seq"]): row for row in court.rows}
    multi_part = 0
    for key_row in court.key:
        if key_row["subject_id"]:
            expected = len(parts[(key_row["subject_id"], key_row["cnt_order"])])
            sentence = charges[(key_row["case_number"], key_row["charge_seq"])]["sentence_text"]
            assert len(sentence.split(", ")) == expected, (key_row, sentence)
            multi_part += expected > 1
    assert multi_part > 100


def test_each_doj_conviction_is_linked_once(court: CourtExtract) -> None:
    linked = Counter(
        (row["subject_id"], row["cnt_order"]) for row in court.key if row["subject_id"]
    )
    assert linked
    assert max(linked.values()) == 1


def test_unconvicted_charges_have_no_doj_conviction(court: CourtExtract) -> None:
    charges = {(row["case_number"], row["charge_seq"]): row for row in court.rows}
    for key_row in court.key:
        charge = charges[(key_row["case_number"], key_row["charge_seq"])]
        if charge["disposition"] != "CONVICTED":
            assert key_row["subject_id"] == "", key_row
            assert key_row["cnt_order"] == "", key_row


def test_court_only_charges_match_no_doj_case(
    court: CourtExtract, extract: GeneratedExtract
) -> None:
    doj_numbers = {_doj_case_number(row["OFN"]) for row in extract.rows if row["OFN"]}
    court_only = [row for row in court.key if row["link"] == "court_only"]
    assert court_only
    for key_row in court_only:
        assert key_row["subject_id"] == ""
        assert key_row["cnt_order"] == ""
        number = _court_case_number(court, key_row["case_number"])
        assert number not in doj_numbers, key_row
        # Seven digits: no six-digit OFN serial can match, whatever the year.
        assert number[2] >= 1_000_000, key_row


def test_court_only_convictions_predate_prop64(court: CourtExtract) -> None:
    court_only_cases = {row["case_number"] for row in court.key if row["link"] == "court_only"}
    dates = [
        court.parse_date(row["disposition_date"])
        for row in court.rows
        if row["case_number"] in court_only_cases and row["disposition"] == "CONVICTED"
    ]
    assert dates
    assert max(dates) < PROP64_EFFECTIVE


def test_case_numbers_carry_the_doj_ofn(court: CourtExtract, extract: GeneratedExtract) -> None:
    ofns: dict[tuple[str, str], str] = {}
    for row in extract.rows:
        if row["OFN"] and row["STP_TYPE_DESCR"] == "COURT ACTION":
            ofns.setdefault((row["SUBJECT_ID"], row["CNT_ORDER"][:6]), row["OFN"])
    checked = 0
    for key_row in court.key:
        ofn = ofns.get((key_row["subject_id"], key_row["cnt_order"][:6]))
        if ofn is None:
            continue
        checked += 1
        court_number = _court_case_number(court, key_row["case_number"])
        assert court_number == _doj_case_number(ofn), (key_row["case_number"], ofn)
        assert key_row["case_number"] != ofn
    assert checked > 1000


@pytest.mark.parametrize("county", ["LOS ANGELES", "SAN FRANCISCO"])
def test_mapping_names_only_court_columns(
    court: CourtExtract, san_francisco: CourtExtract, county: str
) -> None:
    extract = court if county == "LOS ANGELES" else san_francisco
    columns = extract.mapping["columns"]
    assert list(columns) == list(CANONICAL_COLUMNS)
    assert set(columns.values()) == set(extract.header)
    assert extract.mapping["court_county"] == county
    assert {row["court_county"] for row in extract.rows} == {county}


@pytest.mark.parametrize("county", ["LOS ANGELES", "SAN FRANCISCO"])
def test_mapping_date_format_parses_every_date(
    court: CourtExtract, san_francisco: CourtExtract, county: str
) -> None:
    extract = court if county == "LOS ANGELES" else san_francisco
    parsed = 0
    for row in extract.rows:
        for column in extract.mapping["date_columns"]:
            if row[column]:
                extract.parse_date(row[column])
                parsed += 1
        filed = extract.parse_date(row["filing_date"])
        assert filed <= extract.parse_date(row["disposition_date"]), row["case_number"]
    assert parsed >= 3 * len(extract.rows) * 0.9


@pytest.mark.parametrize("county", ["LOS ANGELES", "SAN FRANCISCO"])
def test_mapping_patterns_match_every_value(
    court: CourtExtract, san_francisco: CourtExtract, county: str
) -> None:
    extract = court if county == "LOS ANGELES" else san_francisco
    case_pattern = re.compile(extract.mapping["case_number"]["pattern"])
    books = extract.mapping["charge_code"]["books"]
    for row in extract.rows:
        assert case_pattern.match(row["case_number"]), row["case_number"]
        assert extract.charge_parts(row)["book"] in books, row["charge_code"]
    assert any(is_prop64_charge(extract, row) for row in extract.rows)


def test_courts_differ_in_format(court: CourtExtract, san_francisco: CourtExtract) -> None:
    assert court.mapping["date_format"] == "%m/%d/%Y"
    assert san_francisco.mapping["date_format"] == "%Y-%m-%d"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", court.rows[0]["filing_date"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", san_francisco.rows[0]["filing_date"])
    assert all(row["case_number"][:2] in ("BA", "MA") for row in court.rows)
    assert all(row["case_number"][:4] in ("SCN-", "MCN-") for row in san_francisco.rows)
    assert any(row["charge_code"].startswith("HS 1135") for row in court.rows)
    assert any(row["charge_code"].startswith("H&S 1135") for row in san_francisco.rows)


def test_relief_only_on_prop64_convictions(court: CourtExtract) -> None:
    statuses = Counter(row["relief_status"] for row in court.rows)
    assert set(statuses) == {"", "11361.8 GRANTED", "11361.8 PENDING", "1203.4 GRANTED"}
    for row in court.rows:
        if not row["relief_status"]:
            assert row["relief_date"] == ""
            continue
        assert row["disposition"] == "CONVICTED"
        assert is_prop64_charge(court, row), row["charge_code"]
        relief_date = court.parse_date(row["relief_date"])
        assert relief_date > court.parse_date(row["disposition_date"])
        if row["relief_status"].startswith("11361.8"):
            assert relief_date >= PROP64_EFFECTIVE
        else:
            assert "PROBATION" in row["sentence_text"]


def test_manifest_lists_court_files(court: CourtExtract, extract: GeneratedExtract) -> None:
    entry = extract.manifest["counties"][0]["court"]
    assert entry["file"] == "los_angeles_court.csv"
    assert entry["mapping_file"] == "los_angeles_court_mapping.yaml"
    assert entry["link_key_file"] == "court-link-key.csv"
    assert entry["rows"] == len(court.rows)
    assert entry["cases"] == len({row["case_number"] for row in court.rows})
    court_only, _ = COURT_MEASURES["court_only_conviction"](court, extract.rows)
    assert entry["court_only_convictions"] == court_only
    assert set(extract.manifest["court_quirks"]) == set(CALIBRATION.court)
    manifest = json.loads((extract.out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest == extract.manifest


def test_layout_patterns_read_hand_written_values() -> None:
    los_angeles = LAYOUTS["LOS ANGELES"]
    san_francisco = LAYOUTS["SAN FRANCISCO"]
    number = re.match(los_angeles.case_number_pattern, "MA980123456-02")
    assert number is not None
    assert (number["type"], number["year"], number["serial"]) == ("MA", "98", "0123456")
    assert number["defendant"] == "02"
    assert re.match(los_angeles.case_number_pattern, "BA98123456") is None
    assert re.match(san_francisco.case_number_pattern, "SCN-05-4711")["serial"] == "4711"
    assert re.match(DEFAULT_LAYOUT.case_number_pattern, "CRF-05-00004711") is not None

    charge = re.match(los_angeles.charge_code_pattern, "664/HS 11357(B)")
    assert charge is not None
    assert (charge["prefix"], charge["book"], charge["section"]) == ("664", "HS", "11357")
    assert charge["subsection"] == "(B)"
    charge = re.match(san_francisco.charge_code_pattern, "PC 484(a)/490.5")
    assert charge is not None
    assert (charge["section"], charge["subsection"], charge["rest"]) == ("484", "(a)", "/490.5")
    assert re.match(san_francisco.charge_code_pattern, "H&S 11360(b)")["book"] == "H&S"
    charge = re.match(DEFAULT_LAYOUT.charge_code_pattern, "11357(B) HS")
    assert charge is not None
    assert (charge["section"], charge["book"]) == ("11357", "HS")


def _doj_case_number(ofn: str) -> tuple[str, int, int]:
    match = re.match(DOJ_OFN_PATTERN, ofn)
    assert match is not None, ofn
    return match["type"], int(match["year"]), int(match["serial"])


def _court_case_number(extract: CourtExtract, case_number: str) -> tuple[str, int, int]:
    case = extract.mapping["case_number"]
    match = re.match(case["pattern"], case_number)
    assert match is not None, case_number
    return case["types"][match["type"]], int(match["year"]), int(match["serial"])
