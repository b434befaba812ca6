"""Headless Chromium through chromedriver, for opening dashboard pages as a reader would.

Uses Debian's `chromium` and `chromium-driver` packages; a test tool's own browser download
cannot work offline. Console messages come from the browser log (`goog:loggingPrefs`), and
requests from the performance log, which carries the DevTools Network events.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_ARGUMENTS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)
# Charts render asynchronously after load; a page whose charts are not drawn by then fails.
CHART_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class PageResult:
    """What opening one page produced."""

    console_errors: list[str]
    failed_requests: list[str]
    other_requests: list[str]
    charts: int
    charts_drawn: int
    page_width: int


@contextmanager
def start_chromium(profile: Path) -> Iterator[webdriver.Chrome]:
    """Start headless Chromium with a fresh profile folder, and quit it afterwards."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get("about:blank")
        # Requests the browser makes on its own before the page (its new-tab page) are dropped.
        driver.get_log("browser")
        driver.get_log("performance")
        yield driver
    finally:
        driver.quit()


def open_page(
    driver: webdriver.Chrome, page: Path, size: tuple[int, int], screenshot: Path
) -> PageResult:
    """Open a page file at a window size, wait for its charts, and save a full-page screenshot."""
    driver.set_window_size(*size)
    url = page.resolve().as_uri()
    driver.get(url)
    charts = driver.execute_script("return document.querySelectorAll('.chart').length")
    deadline = time.monotonic() + CHART_TIMEOUT_SECONDS
    drawn = 0
    while time.monotonic() < deadline:
        drawn = driver.execute_script("return document.querySelectorAll('.chart svg').length")
        if drawn >= charts:
            break
        time.sleep(0.2)
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size[0], height + 100)
    time.sleep(0.3)
    driver.save_screenshot(str(screenshot))

    console_errors = [
        entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
    ]
    requested: dict[str, str] = {}
    failed, other = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        parameters = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            request_url = parameters["request"]["url"]
            requested[parameters["requestId"]] = request_url
            if request_url != url and not request_url.startswith("data:"):
                other.append(request_url)
        elif message["method"] == "Network.loadingFailed":
            failed.append(
                f"{requested.get(parameters['requestId'], parameters['requestId'])}: "
                f"{parameters.get('errorText')}"
            )
    return PageResult(console_errors, failed, other, charts, drawn, page_width)
