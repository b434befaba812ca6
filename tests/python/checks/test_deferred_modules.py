"""Stand-ins for modules that Great Expectations imports but the suites never use."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from expectations.deferred_modules import DeferredModule, defer_unused_imports


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package `deferral_probe` whose submodule `heavy` records in the package that it ran."""
    root = tmp_path / "deferral_probe"
    root.mkdir()
    (root / "__init__.py").write_text("ran = []\n")
    (root / "heavy.py").write_text(
        textwrap.dedent(
            """
            import time

            import deferral_probe

            deferral_probe.ran.append("heavy")
            # Long enough for other threads to read the stand-in while this import runs.
            time.sleep(0.2)
            answer = 42
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "deferral_probe"
    for name in [name for name in sys.modules if name.startswith("deferral_probe")]:
        del sys.modules[name]


def test_module_runs_at_first_read(package: str) -> None:
    assert defer_unused_imports((f"{package}.heavy",)) == [f"{package}.heavy"]
    from deferral_probe import heavy  # the way Great Expectations imports scipy.stats

    probe = sys.modules[package]
    assert isinstance(heavy, DeferredModule)
    assert probe.ran == []

    assert heavy.answer == 42
    assert probe.ran == ["heavy"]
    # The real module replaced the stand-in, and the stand-in now reads from its own dict.
    assert not isinstance(sys.modules[f"{package}.heavy"], DeferredModule)
    assert heavy.answer == 42
    assert probe.ran == ["heavy"]


def test_first_reads_from_threads_import_once(package: str) -> None:
    defer_unused_imports((f"{package}.heavy",))
    from deferral_probe import heavy

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: heavy.answer, range(8)))

    assert answers == [42] * 8
    assert sys.modules[package].ran == ["heavy"]


def test_missing_attribute_still_raises(package: str) -> None:
    defer_unused_imports((f"{package}.heavy",))
    from deferral_probe import heavy

    with pytest.raises(AttributeError):
        heavy.no_such_name  # noqa: B018
    assert sys.modules[package].ran == ["heavy"]


def test_imported_or_missing_modules_skipped(package: str) -> None:
    import deferral_probe.heavy

    assert defer_unused_imports((f"{package}.heavy", "no_such_module_here")) == []
    assert sys.modules[f"{package}.heavy"] is deferral_probe.heavy


def test_great_expectations_skips_stand_ins() -> None:
    # The check runs in a fresh interpreter, as the suite worker does. A Great Expectations
    # release that reads one of these modules as it loads would undo the saving, and this test
    # names which.
    code = textwrap.dedent(
        """
        import sys
        from expectations.deferred_modules import DEFERRED_MODULES, defer_unused_imports
        from expectations.deferred_modules import DeferredModule

        assert defer_unused_imports() == list(DEFERRED_MODULES)
        import expectations.validation
        print([n for n in DEFERRED_MODULES if not isinstance(sys.modules[n], DeferredModule)])
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "[]"
