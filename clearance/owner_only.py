"""Writing a run's output files owner-only and whole.

Every output of a run can hold personal data, so each file is created readable by its owner
only. Each is written under a partial name beside it and renamed into place, so a reader never
opens a half-written file and a failed write leaves the previous file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600


@contextmanager
def replacing_owner_only(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """Yield a text stream to a partial file beside path, renamed over path when the block ends."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", newline=newline, encoding="utf-8") as stream:
            yield stream
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def write_text_owner_only(path: Path, text: str) -> None:
    """Replace path with text, owner-only, in one rename."""
    with replacing_owner_only(path) as stream:
        stream.write(text)
