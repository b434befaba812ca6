"""The answer key beside a generated extract: its rows, its plans, and its eligible count."""

from __future__ import annotations

import csv

from generated_extract import GeneratedExtract
from quirk_measures import prop64_convictions

from clearance.review.answer_key import ANSWER_KEY_COLUMNS
from clearance.synthetic.generator.answer_key import KEY_POLICIES

COUNTY = "LOS ANGELES"


def _key_rows(extract: GeneratedExtract) -> list[dict[str, str]]:
    key_file = extract.out_dir / extract.manifest["answer_key"]["file"]
    with key_file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == ANSWER_KEY_COLUMNS
        return list(reader)


def test_key_rows_match_county_convictions(extract: GeneratedExtract) -> None:
    in_county = {
        (row["SUBJECT_ID"], row["CNT_ORDER"])
        for row in prop64_convictions(extract.rows)
        if row["STP_ORI_CNTY_NAME"] == COUNTY
    }
    rows = _key_rows(extract)
    for policy in KEY_POLICIES:
        keyed = [(row["subject_id"], row["cnt_order"]) for row in rows if row["policy"] == policy]
        assert len(keyed) == len(set(keyed)), policy
        assert set(keyed) == in_county, policy


def test_key_gives_the_manifest_compute_date(extract: GeneratedExtract) -> None:
    compute_date = extract.manifest["answer_key"]["compute_date"]
    assert {row["compute_date"] for row in _key_rows(extract)} == {compute_date}


def test_each_subject_has_one_planned_conviction(extract: GeneratedExtract) -> None:
    planned = [
        row["subject_id"]
        for row in _key_rows(extract)
        if row["policy"] == "la-pilot-2019" and row["scenario"] != "background"
    ]
    (county,) = extract.manifest["counties"]
    assert len(planned) == len(set(planned)) == county["subjects"]


def test_nearly_every_plan_is_realized(extract: GeneratedExtract) -> None:
    (county,) = extract.manifest["counties"]
    scenarios = county["scenarios"]
    planned = sum(entry["planned"] for entry in scenarios.values())
    realized = sum(entry["realized"] for entry in scenarios.values())
    # A plan misses only where a partial date blurs a date the rule compares: a few in a
    # thousand at full scale.
    assert realized >= 0.99 * planned
    for name, entry in scenarios.items():
        assert entry["planned"] > 0, name


def test_eligible_convictions_are_near_the_scaled_target(extract: GeneratedExtract) -> None:
    (county,) = extract.manifest["counties"]
    eligible = sum(
        1
        for row in _key_rows(extract)
        if row["policy"] == county["policy"] and row["determination"].startswith("Eligible for")
    )
    # About 1,000 at this scale; the binomial spread of the scenario draw is about 3%.
    assert (
        abs(eligible - county["target_eligible_convictions_scaled"])
        <= 0.08 * county["target_eligible_convictions_scaled"]
    )
    assert county["answer_key"][county["policy"]]["Eligible for Dismissal"] == eligible
