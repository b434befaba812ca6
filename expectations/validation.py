"""Validate aggregate dataframes with Great Expectations in an ephemeral context.

GX 1.x has no working DuckDB SQL datasource, so each suite reads its aggregates through a
read-only DuckDB connection into pandas and validates them here. Results are requested in the
SUMMARY format with no partial unexpected values, so a result never lists the values of the
rows that failed. The report shows the aggregate frames themselves, which contain counts only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations import Expectation

from expectations.outcomes import ExpectationOutcome

# No sample of failing values, no failing rows and no index of them in any result.
RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": 0,
    "include_unexpected_rows": False,
}

_CONTEXT_KEYS = {"batch_id", "column", "result_format", "row_condition", "condition_parser"}


def _ephemeral_context():
    """Return an in-memory GX context with no progress bars and no usage statistics."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate_frames(
    suite: str,
    frames: Mapping[str, pd.DataFrame],
    expectations: Mapping[str, Sequence[Expectation]],
) -> list[ExpectationOutcome]:
    """Validate each frame against its expectations and return one outcome per expectation.

    `frames` and `expectations` share their keys: each frame is validated as one batch of a GX
    suite named `<suite>.<frame>`.
    """
    context = _ephemeral_context()
    datasource = context.data_sources.add_pandas(name=suite)
    outcomes: list[ExpectationOutcome] = []
    for frame_name, frame in frames.items():
        asset = datasource.add_dataframe_asset(name=frame_name)
        batch_definition = asset.add_batch_definition_whole_dataframe(name=frame_name)
        gx_suite = context.suites.add(
            gx.ExpectationSuite(
                name=f"{suite}.{frame_name}", expectations=list(expectations[frame_name])
            )
        )
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(gx_suite, result_format=RESULT_FORMAT)
        outcomes.extend(_outcome(frame_name, item) for item in result.results)
    return outcomes


def _outcome(frame: str, item: Any) -> ExpectationOutcome:
    config = item.expectation_config
    kwargs = dict(config.kwargs)
    if item.exception_info and item.exception_info.get("raised_exception"):
        # GX reports an expectation that could not be evaluated, such as one on a missing
        # column, as unsuccessful with the exception message.
        observed: Any = f"error: {item.exception_info.get('exception_message')}"
    else:
        observed = _observed(item.result or {})
    return ExpectationOutcome(
        frame=frame,
        expectation=config.type,
        column=kwargs.get("column"),
        description=config.description or config.type,
        success=bool(item.success),
        observed=observed,
        expected=_expected(config.type, kwargs),
    )


def _number(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _plain(value: Any) -> Any:
    """Return numpy scalars and collections as plain Python values for JSON."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    if isinstance(value, (list, tuple, set)):
        return sorted((_plain(item) for item in value), key=str)
    return value


def _observed(result: Mapping[str, Any]) -> Any:
    if "observed_value" in result:
        return _plain(result["observed_value"])
    if "unexpected_count" in result:
        return f"{result['unexpected_count']} of {result.get('element_count')} rows outside"
    return None


def _expected(expectation: str, kwargs: Mapping[str, Any]) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if "value_set" in kwargs:
        values = ", ".join(str(value) for value in sorted(kwargs["value_set"], key=str))
        relation = "equal to" if expectation.endswith("_to_equal_set") else "within"
        return f"{relation} {{{values}}}"
    if "value" in kwargs:
        return f"equal to {_number(kwargs['value'])}"
    if "column_A" in kwargs:
        return f"{kwargs['column_A']} equal to {kwargs['column_B']}"
    if low is not None and high is not None:
        return f"between {_number(low)} and {_number(high)}"
    if low is not None:
        return f"at least {_number(low)}"
    if high is not None:
        return f"at most {_number(high)}"
    rest = {key: value for key, value in kwargs.items() if key not in _CONTEXT_KEYS}
    return str(rest)
