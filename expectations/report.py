"""The data-quality report of a run: `data-quality.json` and `data-quality.html` in its out folder.

Each check adds its suite's outcome to the run's JSON summary and writes the HTML page again
from it. So both files list every check that has run so far, even when a blocking check stops
the run before the exports. The files hold aggregates only and are created owner-only, like
the exports beside them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from clearance.owner_only import write_text_owner_only
from expectations.outcomes import SuiteOutcome, format_value
from expectations.runner import SUITE_COLLECTORS

JSON_REPORT = "data-quality.json"
HTML_REPORT = "data-quality.html"
_FILE_MODE = 0o600
_DIR_MODE = 0o700


def read_report(out_dir: Path) -> dict[str, Any] | None:
    """Return the JSON summary in out_dir, or None when there is none."""
    path = out_dir / JSON_REPORT
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def add_outcome(out_dir: Path, outcome: SuiteOutcome) -> None:
    """Add the outcome to the run's JSON summary in out_dir and write the HTML page again.

    A summary left in out_dir by another run is replaced, not merged.
    """
    out_dir.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
    report = read_report(out_dir)
    if report is None or report.get("run_id") != outcome.run_id:
        report = {"run_id": outcome.run_id, "county": outcome.county, "checks": {}}
    report["checks"][outcome.check_name] = outcome.to_json()
    report["passed"] = all(check["passed"] for check in report["checks"].values())
    # A blocking failure of the raw suite skips the suites after dbt. Naming them keeps the
    # report from reading as complete.
    checked = {check["suite"] for check in report["checks"].values()}
    report["not_run"] = [suite for suite in SUITE_COLLECTORS if suite not in checked]
    write_text_owner_only(out_dir / JSON_REPORT, json.dumps(report, indent=2, default=str) + "\n")
    write_text_owner_only(out_dir / HTML_REPORT, render_html(report))


def failed_check_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (severity, line) per failed check: its name and each failed expectation."""
    lines = []
    for name, check in report.get("checks", {}).items():
        if check["passed"]:
            continue
        failures = "; ".join(
            f"{failure['description']} ({failure['expectation']}): observed "
            f"{format_value(failure['observed'])}, expected {failure['expected']}"
            for failure in check["expectations"]
            if not failure["success"]
        )
        lines.append((check["severity"], f"check {name} failed ({check['severity']}): {failures}"))
    return lines


_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.passed { color: #1a7f37; font-weight: bold; }
.failed { color: #c62828; font-weight: bold; }
.warning { color: #9a6700; font-weight: bold; }
"""


def _status(passed: bool, severity: str) -> str:
    if passed:
        return '<span class="passed">passed</span>'
    css = "failed" if severity == "blocking" else "warning"
    return f'<span class="{css}">failed ({html.escape(severity)})</span>'


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>No rows.</p>"
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(row.get(column)))}</td>" for column in columns)
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(report: dict[str, Any]) -> str:
    """Return a self-contained HTML page of the report: each check, its expectations, aggregates."""
    title = f"Data quality of run {report['run_id']} ({report['county']})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        "<table><tr><th>check</th><th>suite</th><th>asset</th><th>result</th></tr>",
    ]
    for name, check in report["checks"].items():
        parts.append(
            f'<tr><td><a href="#{html.escape(name)}">{html.escape(name)}</a></td>'
            f"<td>{html.escape(check['suite'])}</td><td>{html.escape(check['asset'])}</td>"
            f"<td>{_status(check['passed'], check['severity'])}</td></tr>"
        )
    parts.append("</table>")
    if report.get("not_run"):
        parts.append(
            "<p>Suites not run: "
            + html.escape(", ".join(report["not_run"]))
            + ". They run later in the run, or were skipped because a blocking check failed.</p>"
        )
    for name, check in report["checks"].items():
        parts.append(f'<h2 id="{html.escape(name)}">{html.escape(name)}: ')
        parts.append(f"{_status(check['passed'], check['severity'])}</h2>")
        for note in check.get("notes", []):
            parts.append(f"<p>{html.escape(note)}</p>")
        expectations = [
            {
                "expectation": item["description"],
                "GX expectation": item["expectation"],
                "frame.column": (
                    f"{item['frame']}.{item['column']}" if item["column"] else item["frame"]
                ),
                "observed": format_value(item["observed"]),
                "expected": item["expected"],
                "result": "met" if item["success"] else "NOT MET",
            }
            for item in check["expectations"]
        ]
        parts.append(_table(expectations))
        for frame, rows in check.get("aggregates", {}).items():
            parts.append(f"<h3>Aggregates: {html.escape(frame)}</h3>")
            parts.append(_table(rows))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
