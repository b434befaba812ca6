"""Outcomes of the suites: one per expectation, and one per suite and run.

Plain data without Great Expectations, so that recording results, writing the report and the
command line's summary do not import it. Observed and expected values are aggregates (counts,
shares, vocabulary sizes), never a value of a person's row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one aggregate frame of a suite."""

    frame: str
    expectation: str
    column: str | None
    description: str
    success: bool
    observed: Any
    expected: str

    def message(self) -> str:
        """Return one line naming the expectation with its observed and expected values."""
        target = f"{self.frame}.{self.column}" if self.column else self.frame
        return (
            f"{self.description} ({self.expectation} on {target}): "
            f"observed {format_value(self.observed)}, expected {self.expected}"
        )


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite for one run: its expectations, aggregates and notes."""

    suite: str
    check_name: str
    asset: str
    run_id: str
    county: str
    severity: str
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    # The aggregate frames the suite validated, as records: counts and shares only.
    aggregates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every expectation of the suite was met."""
        return all(outcome.success for outcome in self.expectations)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        """The expectations that were not met."""
        return [outcome for outcome in self.expectations if not outcome.success]

    def to_json(self) -> dict[str, Any]:
        """Return the outcome as JSON values, with `passed` spelled out."""
        data = asdict(self)
        data["passed"] = self.passed
        return data


def format_value(value: Any) -> str:
    """Return an observed value as a short text: floats to 4 significant digits."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    return str(value)
