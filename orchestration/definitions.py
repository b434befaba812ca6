"""The clearance code location: `dagster dev -m orchestration.definitions -h 127.0.0.1`.

It serves the warehouse named by CLEARANCE_WAREHOUSE; no warehouse connection is opened here.
"""

from __future__ import annotations

from clearance.settings import warehouse_path
from orchestration.defs.code_location import build_definitions

defs = build_definitions(warehouse_path())
