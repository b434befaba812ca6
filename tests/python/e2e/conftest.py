"""The demo publication, run once per test session for every test that reads it."""

from __future__ import annotations

import pytest
from demo_publication import DemoPublication, run_demo


@pytest.fixture(scope="session")
def demo_publication(tmp_path_factory: pytest.TempPathFactory) -> DemoPublication:
    """The demo's two county publications, generated at a small scale."""
    return run_demo(tmp_path_factory.mktemp("demo"))
