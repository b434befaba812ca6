"""Scan a court extract once before DuckDB reads it: hash, encoding, line endings, marker bytes."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from clearance.loading.court_mapping import CourtMapping
from clearance.loading.errors import InputFileError
from clearance.loading.file_scan import CHUNK_BYTES, MARKER_CANDIDATES

# Encodings DuckDB's CSV reader decodes itself (duckdb 2.0.1), by Python codec name. A file in
# any other encoding is read through a UTF-8 copy.
_DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "iso8859-1": "latin-1"}


@dataclass(frozen=True)
class CourtFileScan:
    """Facts about a court file that the loader needs before reading it, with no row content."""

    path: Path
    file_hash: str
    file_bytes: int
    physical_lines: int
    # The encoding name DuckDB reads the file with, or None when it needs a UTF-8 copy.
    duckdb_encoding: str | None
    # DuckDB's `new_line` option for the file as it is, or None when it needs a copy with LF
    # endings, because DuckDB 2.0.1 ends a line at every carriage return whatever `new_line` is.
    direct_new_line: str | None
    # Two control bytes absent from the file: DuckDB's column delimiter, so that each physical
    # line arrives whole, and a stand-in for the court's delimiter inside quoted fields.
    line_delimiter: str
    delimiter_marker: str

    @property
    def needs_copy(self) -> bool:
        return self.duckdb_encoding is None or self.direct_new_line is None


def scan_court_file(path: Path, mapping: CourtMapping) -> CourtFileScan:
    """Hash the file, check its encoding and count its line endings in one pass.

    Raises InputFileError when the file does not decode with the mapping's encoding.
    """
    try:
        codec_name = codecs.lookup(mapping.encoding).name
    except LookupError:
        raise InputFileError(
            f"court mapping file {mapping.path}: encoding {mapping.encoding} is not a known "
            "Python codec"
        ) from None
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(codec_name)()
    file_bytes = line_feeds = carriage_returns = crlf_pairs = 0
    present: set[bytes] = set()
    previous_last_byte = last_byte = b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            file_bytes += len(chunk)
            digest.update(chunk)
            # ASCII decodes the same in every codec the mappings use, and isascii() is far faster
            # than decoding. A chunk skips the decoder only when no character is left open.
            if not (chunk.isascii() and not decoder.getstate()[0]):
                _decode(decoder, chunk, path, mapping)
            line_feeds += chunk.count(b"\n")
            if b"\r" in chunk:
                carriage_returns += chunk.count(b"\r")
                crlf_pairs += chunk.count(b"\r\n")
            if previous_last_byte == b"\r" and chunk.startswith(b"\n"):
                crlf_pairs += 1
            present.update(c for c in MARKER_CANDIDATES if c not in present and c in chunk)
            previous_last_byte = last_byte = chunk[-1:]
    _decode(decoder, b"", path, mapping, final=True)

    delimiter = mapping.delimiter.encode(codec_name, errors="replace")
    absent = [c for c in MARKER_CANDIDATES if c not in present and c != delimiter]
    if len(absent) < 2:
        raise InputFileError(
            f"court file is not a text file (it contains every candidate control byte): {path}"
        )
    return CourtFileScan(
        path=path,
        file_hash=digest.hexdigest(),
        file_bytes=file_bytes,
        physical_lines=line_feeds + (0 if last_byte == b"\n" else 1),
        duckdb_encoding=_DUCKDB_ENCODINGS.get(codec_name),
        direct_new_line=_direct_new_line(line_feeds, carriage_returns, crlf_pairs),
        line_delimiter=absent[0].decode("ascii"),
        delimiter_marker=absent[1].decode("ascii"),
    )


def write_utf8_copy(scan: CourtFileScan, mapping: CourtMapping, target: Path) -> int:
    """Copy the file as UTF-8 with every CRLF and lone CR turned into LF; return its line count.

    Python's CSV reader ends a row at any of the three line endings, and so does the copy.
    """
    decoder = codecs.getincrementaldecoder(mapping.encoding)()
    carry = ""
    line_feeds = 0
    last_text = ""
    with scan.path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        while chunk := source.read(CHUNK_BYTES):
            try:
                text = carry + decoder.decode(chunk)
            except UnicodeDecodeError:
                raise InputFileError(
                    f"court file {scan.path} is not valid {mapping.encoding}; set encoding in "
                    f"mapping file {mapping.path}"
                ) from None
            # A trailing CR may pair with the next chunk's LF, so it waits for that chunk.
            carry = "\r" if text.endswith("\r") else ""
            if carry:
                text = text[:-1]
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            line_feeds += text.count("\n")
            last_text = text[-1:] or last_text
            sink.write(text)
        if carry:
            sink.write("\n")
            line_feeds += 1
            last_text = "\n"
    return line_feeds + (0 if last_text == "\n" else 1)


def _decode(decoder, chunk: bytes, path: Path, mapping: CourtMapping, final: bool = False) -> None:
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        raise InputFileError(
            f"court file {path} is not valid {mapping.encoding}; set encoding in mapping file "
            f"{mapping.path}"
        ) from None


def _direct_new_line(line_feeds: int, carriage_returns: int, crlf_pairs: int) -> str | None:
    if carriage_returns == 0:
        return "\\n"
    if carriage_returns == crlf_pairs == line_feeds:
        return "\\r\\n"
    return None
