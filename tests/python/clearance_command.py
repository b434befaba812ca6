"""Run the installed clearance command as a user would, with a test's own subject key file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLEARANCE = Path(sys.executable).parent / "clearance"


def clearance(work: Path, *args: str, **environment: str) -> subprocess.CompletedProcess:
    """Run the clearance command with the subject key file of work and return the process."""
    env = dict(os.environ)
    env.pop("CLEARANCE_WAREHOUSE", None)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        CLEARANCE_SUBJECT_KEY_FILE=str(work / "subject_key"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        **environment,
    )
    return subprocess.run(
        [str(CLEARANCE), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        check=False,
        timeout=900,
    )
