"""The preload of the later steps' modules while dbt builds."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from orchestration.lib.preload import LATER_STEP_MODULES

PROJECT_DIR = Path(__file__).resolve().parents[3]


def test_preload_lists_every_step_import() -> None:
    # The steps import their clearance modules inside their functions, when they start.
    tree = ast.parse((PROJECT_DIR / "orchestration" / "defs" / "assets.py").read_text())
    step_imports = {
        node.module
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("clearance.")
    }

    assert step_imports
    assert step_imports <= set(LATER_STEP_MODULES)


def test_preload_imports_modules_in_background(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from orchestration.lib.preload import LATER_STEP_MODULES, preload_later_steps\n"
        "preload_later_steps().join(timeout=120)\n"
        "print([module for module in LATER_STEP_MODULES if module not in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )

    assert result.stdout.strip() == "[]"
    # The chart script was read, and kept in the cache folder for the dashboard step.
    assert list((tmp_path / "clearance").glob("vega-bundle-*.js"))
