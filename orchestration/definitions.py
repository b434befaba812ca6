"""The clearance code location: `dagster dev -m orchestration.definitions -h 127.0.0.1`.

It serves the warehouse named by CLEARANCE_WAREHOUSE; no warehouse connection is opened here.
"""

from __future__ import annotations

import os

from clearance.settings import warehouse_path
from orchestration.defs.code_location import build_definitions

# Runs launched from the UI create the same personal-data files as command-line runs, so the
# code server creates files owner-only, as the command line does.
os.umask(0o077)
defs = build_definitions(warehouse_path())
