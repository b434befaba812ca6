"""The DOJ column lists exist twice, for Python and for the dbt models, and must agree."""

from __future__ import annotations

import re
from pathlib import Path

from clearance.doj_layout import BLANKED_COLUMNS, DOJ_COLUMNS

MACRO_FILE = Path(__file__).resolve().parents[2] / "macros" / "staging" / "doj_columns.sql"


def test_dbt_macro_lists_the_doj_columns_in_order() -> None:
    text = MACRO_FILE.read_text(encoding="utf-8")
    body = text[text.index("macro doj_columns()") : text.index("endmacro")]
    assert tuple(re.findall(r"'([A-Z_]+)'", body)) == DOJ_COLUMNS


def test_dbt_macro_lists_the_identifier_columns() -> None:
    text = MACRO_FILE.read_text(encoding="utf-8")
    start = text.index("macro doj_identifier_columns()")
    body = text[start : text.index("endmacro", start)]
    assert set(re.findall(r"'([A-Z_]+)'", body)) == BLANKED_COLUMNS
