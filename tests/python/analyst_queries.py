"""The example queries of docs/analysts.md, read from the page itself so that the tests run
exactly what an analyst copies."""

from __future__ import annotations

import re
from pathlib import Path

ANALYST_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
EXAMPLES_HEADING = "## Example queries"
SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def read_example_queries(path: Path = ANALYST_GUIDE) -> dict[str, str]:
    """Return each SQL block of the page's example section, keyed by the `###` title above it.

    Raises ValueError when the section is missing or a title has no block or several, so a
    reworded page fails the tests instead of silently running fewer queries.
    """
    text = path.read_text(encoding="utf-8")
    start = text.find(f"\n{EXAMPLES_HEADING}\n")
    if start < 0:
        raise ValueError(f"{path} has no '{EXAMPLES_HEADING}' section")
    section = text[start + len(EXAMPLES_HEADING) + 2 :]
    next_section = re.search(r"^## ", section, re.MULTILINE)
    if next_section:
        section = section[: next_section.start()]

    queries: dict[str, str] = {}
    for part in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        title, _, body = part.partition("\n")
        blocks = SQL_BLOCK.findall(body)
        if len(blocks) != 1:
            raise ValueError(f"example '{title}' in {path} has {len(blocks)} sql blocks, not 1")
        queries[title.strip()] = blocks[0]
    return queries
