"""Loading what the steps after dbt need while dbt builds, without importing it here."""

from __future__ import annotations

import importlib
import logging
import threading

logger = logging.getLogger(__name__)

# The modules that the steps after the build import when they start: about 0.4 s of imports
# (fpdf's fonts for the motion lists the most) after Altair, on 2 cores. A test checks that
# every module those steps import is here.
LATER_STEP_MODULES = (
    "clearance.dashboards.publish",
    "clearance.exports",
    "clearance.exports.court_reviews",
    "clearance.exports.motion_lists",
    "clearance.publishing.analyst",
    "clearance.publishing.folders",
    "clearance.publishing.manifest",
    "clearance.runs",
)


def preload_later_steps() -> threading.Thread:
    """Start importing the later steps' modules and reading the chart script in a daemon thread.

    Started while dbt builds in its own process, the thread has the GIL nearly to itself, so
    the steps after dbt do not wait for either. A failure is only logged, because each step
    does the same work again and reports it.
    """

    def load() -> None:
        try:
            for module in LATER_STEP_MODULES:
                importlib.import_module(module)
            from clearance.dashboards.page import chart_libraries

            chart_libraries()
        except Exception:
            logger.debug("Preloading the later steps failed", exc_info=True)

    thread = threading.Thread(target=load, name="preload-later-steps", daemon=True)
    thread.start()
    return thread
