"""The settings with which DuckDB reads a DOJ file's lines, guessed from the first chunk.

The full scan (file_scan.scan_doj_file) hashes and checks every byte, which took about 0.7 s
for the 1,000,000-row benchmark file. The loader's insert of the lines runs on one DuckDB
thread, so the scan can run beside it when the settings are known beforehand. The first chunk
decides them for most files, and the full scan then confirms them. The loader never keeps
lines read under a guess that the scan contradicts.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from clearance.loading.file_scan import (
    CHUNK_BYTES,
    HEADER_PREFIX,
    MAIN_PASS_CANDIDATES,
    UTF8_BOM,
    FileScan,
)


@dataclass(frozen=True)
class LineReading:
    """The settings with which DuckDB reads a DOJ file's physical lines."""

    encoding: str
    has_header: bool
    has_bom: bool
    # DuckDB's `new_line` option, or None when the file needs a normalized copy first.
    direct_new_line: str | None
    delimiter: str

    @classmethod
    def of(cls, scan: FileScan) -> LineReading:
        """Return the settings that the full scan of a file decided."""
        return cls(
            encoding=scan.encoding,
            has_header=scan.has_header,
            has_bom=scan.has_bom,
            direct_new_line=scan.direct_new_line,
            delimiter=scan.delimiter,
        )

    @property
    def bom_text(self) -> str:
        """Return the byte order mark as DuckDB decodes it, or '' when the file has none."""
        if not self.has_bom:
            return ""
        # Under Latin-1 the three BOM bytes decode to three characters.
        return "\ufeff" if self.encoding == "utf-8" else "\u00ef\u00bb\u00bf"


def guess_line_reading(path: Path) -> LineReading | None:
    """Guess a file's LineReading from its first chunk, or return None when the chunk cannot.

    The byte order mark and the header are read from the first chunk, as the full scan reads
    them. A chunk that is not UTF-8 makes the whole file Latin-1. The rest of the file can
    overturn three guesses: UTF-8, the line ending, and the delimiter, a control byte absent
    from the chunk. A carriage return outside a CRLF pair gives None, because such a file needs
    a normalized copy. So does a chunk that contains every delimiter candidate.
    """
    with path.open("rb") as stream:
        chunk = stream.read(CHUNK_BYTES)
    has_bom = chunk.startswith(UTF8_BOM)
    has_header = chunk[len(UTF8_BOM) if has_bom else 0 :].startswith(HEADER_PREFIX)

    delimiter = next((c for c in MAIN_PASS_CANDIDATES if c not in chunk), None)
    if delimiter is None:
        return None

    line_feeds = chunk.count(b"\n")
    # A first chunk shorter than the whole file may end between the two bytes of a CRLF pair.
    splits_pair = len(chunk) == CHUNK_BYTES and chunk.endswith(b"\r")
    carriage_returns = chunk.count(b"\r") - (1 if splits_pair else 0)
    if carriage_returns == 0:
        direct_new_line = "\\n"
    elif carriage_returns == chunk.count(b"\r\n") == line_feeds:
        direct_new_line = "\\r\\n"
    else:
        return None

    return LineReading(
        encoding="utf-8" if _starts_as_utf8(chunk) else "latin-1",
        has_header=has_header,
        has_bom=has_bom,
        direct_new_line=direct_new_line,
        delimiter=delimiter.decode("ascii"),
    )


def _starts_as_utf8(chunk: bytes) -> bool:
    if chunk.isascii():
        return True
    try:
        # Not final: the chunk may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(chunk)
    except UnicodeDecodeError:
        return False
    return True
