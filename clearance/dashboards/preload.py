"""Loading what the dashboard step needs while dbt builds, without importing it here."""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)


def preload_chart_libraries() -> threading.Thread:
    """Start importing Altair and reading the chart script in a daemon thread, and return it.

    Started while dbt builds in its own process, the thread has the GIL nearly to itself, so
    the dashboard step after dbt does not wait for either. A failure is only logged, because the
    dashboard step does the same work again and reports it.
    """

    def load() -> None:
        try:
            from clearance.dashboards.page import chart_libraries

            chart_libraries()
        except Exception:
            logger.debug("Preloading the dashboard libraries failed", exc_info=True)

    thread = threading.Thread(target=load, name="preload-dashboards", daemon=True)
    thread.start()
    return thread
