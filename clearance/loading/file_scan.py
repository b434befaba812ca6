"""Scan a DOJ file once before DuckDB reads it: hash, encoding, header and line endings."""

from __future__ import annotations

import codecs
import hashlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from clearance.loading.errors import InputFileError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 8 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
HEADER_PREFIX = b"RECORD_ID,"
BLANK_BYTES = b" \t\r\n"

# Control bytes that no DOJ column uses. The loader needs two that are absent from the
# file: one as DuckDB's column delimiter (so each physical line arrives whole) and one to mark a
# carriage return inside a line. The first three are checked during the main pass.
MARKER_CANDIDATES: tuple[bytes, ...] = tuple(
    bytes([value])
    for value in (
        0x1E,
        0x1F,
        0x1D,
        0x1C,
        *range(0x01, 0x09),
        0x0B,
        0x0C,
        0x0E,
        0x0F,
        *range(0x10, 0x1C),
        0x7F,
    )
)
MAIN_PASS_CANDIDATES = MARKER_CANDIDATES[:3]
_MARKERS_NEEDED = 2


@dataclass(frozen=True)
class FileScan:
    """Facts about a DOJ file that the loader needs before reading it, with no line content."""

    path: Path
    file_hash: str
    file_bytes: int
    encoding: str
    has_header: bool
    has_bom: bool
    line_ending: str
    physical_lines: int
    # DuckDB's `new_line` option that reads the file as it is, or None when it needs a normalized
    # copy, because DuckDB 2.0.1 ends a line at every carriage return whatever `new_line` is.
    direct_new_line: str | None
    delimiter: str
    carriage_return_marker: str


def check_input_path(path: Path) -> None:
    """Raise InputFileError when path is missing, not a regular file, or 0 bytes long."""
    if not path.exists():
        raise InputFileError(f"DOJ file not found: {path}")
    if not path.is_file():
        raise InputFileError(f"DOJ file is not a regular file: {path}")
    if path.stat().st_size == 0:
        raise InputFileError(f"DOJ file is empty: {path}")


def scan_doj_file(path: Path) -> FileScan:
    """Hash, check UTF-8 and count line endings in one pass over the file's bytes."""
    check_input_path(path)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    file_bytes = 0
    line_feeds = 0
    carriage_returns = 0
    crlf_pairs = 0
    has_data = False
    has_header = False
    has_bom = False
    present_candidates: set[bytes] = set()
    previous_last_byte = b""
    last_byte = b""

    # sha256 releases the GIL, so hashing one chunk in a worker thread overlaps the counting of
    # the next; one worker keeps the chunks in order.
    pending_hash: Future[None] | None = None
    with path.open("rb") as stream, ThreadPoolExecutor(max_workers=1) as hasher:
        while chunk := stream.read(CHUNK_BYTES):
            if file_bytes == 0:
                has_bom = chunk.startswith(UTF8_BOM)
                body = chunk[len(UTF8_BOM) :] if has_bom else chunk
                has_header = body.startswith(HEADER_PREFIX)
                if has_header:
                    header_end = body.find(b"\n")
                    body = b"" if header_end < 0 else body[header_end + 1 :]
            else:
                body = chunk
            file_bytes += len(chunk)
            if pending_hash is not None:
                pending_hash.result()
            pending_hash = hasher.submit(digest.update, chunk)
            # ASCII is valid UTF-8, and isascii() is several times faster than decoding. A
            # chunk can only skip the decoder when no multi-byte character is left open.
            if is_utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            line_feeds += chunk.count(b"\n")
            # Most files have LF endings, and counting CRLF pairs is the slowest count here.
            if b"\r" in chunk:
                carriage_returns += chunk.count(b"\r")
                crlf_pairs += chunk.count(b"\r\n")
            if previous_last_byte == b"\r" and chunk.startswith(b"\n"):
                crlf_pairs += 1
            if not has_data and body.strip(BLANK_BYTES):
                has_data = True
            for candidate in MAIN_PASS_CANDIDATES:
                if candidate not in present_candidates and candidate in chunk:
                    present_candidates.add(candidate)
            previous_last_byte = last_byte = chunk[-1:]
        if pending_hash is not None:
            pending_hash.result()

    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False

    if not has_data:
        content = "header only" if has_header else "blank lines only"
        raise InputFileError(f"DOJ file is empty: {path} ({content})")

    markers = [c for c in MAIN_PASS_CANDIDATES if c not in present_candidates]
    if len(markers) < _MARKERS_NEEDED:
        markers = _find_absent_bytes(path, _MARKERS_NEEDED)

    physical_lines = line_feeds + (0 if last_byte == b"\n" else 1)
    return FileScan(
        path=path,
        file_hash=digest.hexdigest(),
        file_bytes=file_bytes,
        encoding="utf-8" if is_utf8 else "latin-1",
        has_header=has_header,
        has_bom=has_bom,
        line_ending=_line_ending(line_feeds, crlf_pairs),
        physical_lines=physical_lines,
        direct_new_line=_direct_new_line(line_feeds, carriage_returns, crlf_pairs),
        delimiter=markers[0].decode("ascii"),
        carriage_return_marker=markers[1].decode("ascii"),
    )


def _line_ending(line_feeds: int, crlf_pairs: int) -> str:
    if line_feeds == 0:
        return "none"
    if crlf_pairs == line_feeds:
        return "CRLF"
    if crlf_pairs == 0:
        return "LF"
    return "mixed"


def _direct_new_line(line_feeds: int, carriage_returns: int, crlf_pairs: int) -> str | None:
    if carriage_returns == 0:
        return "\\n"
    if carriage_returns == crlf_pairs == line_feeds:
        return "\\r\\n"
    return None


def _find_absent_bytes(path: Path, needed: int) -> list[bytes]:
    """Return the first `needed` marker candidates that never occur in the file (a second pass)."""
    present: set[bytes] = set()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            present.update(c for c in MARKER_CANDIDATES if c not in present and c in chunk)
    absent = [c for c in MARKER_CANDIDATES if c not in present]
    if len(absent) < needed:
        raise InputFileError(
            f"DOJ file is not a text file (it contains every candidate control byte): {path}"
        )
    logger.debug("Marker bytes found only in a second pass over %s", path.name)
    return absent[:needed]


def write_normalized_copy(scan: FileScan, target: Path) -> None:
    """Copy the file with CRLF turned into LF and each other carriage return into the marker.

    The copy has LF line endings only, so DuckDB numbers its lines exactly as in the original.
    """
    marker = scan.carriage_return_marker.encode("ascii")
    carry = b""
    with scan.path.open("rb") as source, target.open("wb") as sink:
        while chunk := source.read(CHUNK_BYTES):
            chunk = carry + chunk
            # A trailing CR may pair with the next chunk's LF, so it waits for that chunk.
            carry = b"\r" if chunk.endswith(b"\r") else b""
            if carry:
                chunk = chunk[:-1]
            sink.write(chunk.replace(b"\r\n", b"\n").replace(b"\r", marker))
        sink.write(carry.replace(b"\r", marker))
