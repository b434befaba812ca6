"""A scaled-down generated Los Angeles extract and court file, written once per test session."""

from __future__ import annotations

import json

import pytest
from court_measures import CourtExtract, read_court_extract, read_link_key
from generated_extract import GeneratedExtract, read_rows

from clearance.synthetic.generator import MANIFEST_NAME, generate

# About 2,100 subjects and 58,000 rows: large enough for the calibrated tolerances, about a second.
SCALE = 0.02
FILES = 4
SEED = 11


@pytest.fixture(scope="session")
def extract(tmp_path_factory: pytest.TempPathFactory) -> GeneratedExtract:
    out_dir = tmp_path_factory.mktemp("generated")
    generate(["LOS ANGELES"], SEED, out_dir, scale=SCALE, files=FILES)
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    rows, malformed = read_rows(out_dir, manifest)
    return GeneratedExtract(out_dir, manifest, rows, malformed)


@pytest.fixture(scope="session")
def court(extract: GeneratedExtract) -> CourtExtract:
    (county,) = extract.manifest["counties"]
    key = read_link_key(extract.out_dir / extract.manifest["court_link_key"])
    return read_court_extract(extract.out_dir, county, key)
