"""The motion-list PDF: heading row on every page, page numbers, and names printed exactly."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from clearance.errors import ClearanceError
from clearance.exports import motion_list_pdf
from clearance.exports.motion_list_pdf import PDF_FONT_ENV, MotionListHeading, write_motion_list_pdf

HEADING = MotionListHeading(
    county="LOS ANGELES",
    court_county="LOS ANGELES",
    policy_name="legal-default",
    compute_date=date(2026, 7, 1),
)
COLUMNS = ["Case Number", "Defendant Name", "Date of Birth", "Sections", "Relief", "Reason"]


def pdf_pages(rows: list[list[str]]) -> list[str]:
    stream = io.BytesIO()
    write_motion_list_pdf(stream, HEADING, COLUMNS, rows)
    stream.seek(0)
    return [page.extract_text() for page in PdfReader(stream).pages]


def test_long_list_repeats_heading_row(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(PDF_FONT_ENV, raising=False)
    rows = [
        [
            f"BA10{n:07d}",
            "TESTPERSON, ALPHA",
            "1980-01-01",
            "HS 11359",
            "reduce",
            "Now a misdemeanor",
        ]
        for n in range(1, 121)
    ]

    pages = pdf_pages(rows)

    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert "Case Number" in text, number
        assert f"Page {number} of {len(pages)}" in text
    assert "BA100000001" in pages[0]
    assert "BA100000120" in pages[-1]
    assert "Rows: 120" in pages[0]


def test_empty_list_says_so(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(PDF_FONT_ENV, raising=False)

    [text] = pdf_pages([])

    assert "No conviction qualifies" in text
    assert "Rows: 0" in text


def test_name_outside_latin1_without_font_names_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv(PDF_FONT_ENV, raising=False)
    missing = tmp_path / "missing.ttf"
    monkeypatch.setattr(motion_list_pdf, "FALLBACK_FONTS", (missing,))
    rows = [
        ["BA100000001", "TESTPERSON, ALPHA", "1980-01-01", "HS 11359", "reduce", "Now"],
        ["BA100000002", "TESTPERSOŃ, BRAVO", "1981-02-03", "HS 11359", "reduce", "Now"],
    ]

    with pytest.raises(ClearanceError) as failure:
        pdf_pages(rows)

    message = str(failure.value)
    assert message == (
        "the motion list of the LOS ANGELES court has a character outside Latin-1 in row 2 "
        "(Case Number BA100000002), which the built-in PDF font cannot print, and no Unicode "
        f"font is installed at {missing}; set CLEARANCE_PDF_FONT=/path/to/a/unicode.ttf, e.g. "
        "DejaVuSans.ttf of Debian's fonts-dejavu-core package"
    )
    assert "TESTPERSO" not in message


def test_missing_font_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv(PDF_FONT_ENV, str(tmp_path / "missing.ttf"))

    with pytest.raises(ClearanceError, match="missing.ttf"):
        pdf_pages([])


UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not UNICODE_FONT.is_file(), reason="no DejaVu Sans font on this machine")
def test_unicode_font_prints_name_exactly(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(PDF_FONT_ENV, str(UNICODE_FONT))
    row = ["BA100000001", "TESTPERSOŃ, ALPHA", "1980-01-01", "HS 11359", "reduce", "Now"]

    [text] = pdf_pages([row])

    assert "TESTPERSOŃ, ALPHA" in text


@pytest.mark.skipif(not UNICODE_FONT.is_file(), reason="no DejaVu Sans font on this machine")
def test_installed_unicode_font_used_automatically(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv(PDF_FONT_ENV, raising=False)
    monkeypatch.setattr(motion_list_pdf, "FALLBACK_FONTS", (tmp_path / "missing.ttf", UNICODE_FONT))
    row = ["BA100000001", "TESTPERSOŃ, ALPHA", "1980-01-01", "HS 11359", "reduce", "Now"]

    [text] = pdf_pages([row])

    assert "TESTPERSOŃ, ALPHA" in text
