"""Targets suite: eligible convictions near the county's published figure.

The figure comes from the seed `published_targets` and counts convictions eligible under one
policy, so the suite compares only when the run decided that policy, as the county's policy
or beside it. For generated input (a generation manifest beside the input files lists every
file of the run for its county) the figure is scaled by the manifest's `scale`. A miss blocks
publication when the scaled figure is 2,500 or more. Chance alone moves a count of n by about
√n, which below 2,500 is more than 2%, so a smaller test file only warns. For real input a miss blocks only where the county's configuration sets
`severity: blocking`. Otherwise it is a warning, because real results legitimately move away
from an announced figure.
"""

from __future__ import annotations

import logging
from typing import Any

import great_expectations.expectations as gxe
import pandas as pd

from clearance.synthetic.generation_manifest import generation_scale as generated_input_scale
from expectations.outcomes import BLOCKING, WARNING
from expectations.runner import SuiteInput, SuiteRun

logger = logging.getLogger(__name__)

DEFAULT_TOLERANCE = 0.02
# Below this many expected eligible convictions, a generated file's count varies by chance by
# more than 2% (1 / √2,500), so its target check warns instead of blocking.
MIN_EXPECTED_FOR_GENERATED_BLOCKING = 2500

TARGET_SQL = """
select targets.value, targets.policy, targets.as_of, targets.source,
from reference.published_targets as targets
where targets.county = $county and targets.metric = 'eligible_convictions'
"""

IMPACT_SQL = """
select impact.policy_name, impact.policy_role, impact.eligible_convictions,
from marts.fct_county_impact as impact
where impact.policy_name = $policy
"""

RUN_FILE_HASHES_SQL = """
select doj_files.file_hash,
from raw.run_files as run_files
inner join raw.doj_files as doj_files on run_files.load_id = doj_files.load_id
where run_files.run_id = $run_id
"""


def generation_scale(run: SuiteRun, file_hashes: set[str]) -> float | None:
    """Return the generation manifest's scale when the run's files were generated, else None."""
    return generated_input_scale(run.doj_paths, run.county, file_hashes)


def _target_config(county_config: dict[str, Any]) -> tuple[str, float]:
    target = county_config.get("target") or {}
    return str(target.get("severity", WARNING)), float(target.get("tolerance", DEFAULT_TOLERANCE))


def collect(con, run: SuiteRun) -> SuiteInput:
    """Read the county's target and the run's eligible convictions, and the expectation."""
    configured_severity, tolerance = _target_config(run.county_config)
    file_hashes = {
        row[0] for row in con.execute(RUN_FILE_HASHES_SQL, {"run_id": run.run_id}).fetchall()
    }
    scale = generation_scale(run, file_hashes)
    generated = scale is not None
    severity = BLOCKING if configured_severity == BLOCKING else WARNING

    target = con.execute(TARGET_SQL, {"county": run.county}).fetchone()
    if target is None:
        return SuiteInput(
            frames={}, severity=severity, notes=[f"no published target for {run.county}"]
        )
    value, policy, as_of, source = target
    impact = con.execute(IMPACT_SQL, {"policy": policy}).fetchone()
    if impact is None:
        note = (
            f"the target of {run.county} counts convictions under {policy}, which this run "
            f"did not decide; add --compare-with {policy} to check it"
        )
        return SuiteInput(frames={}, severity=severity, notes=[note])

    _, policy_role, eligible = impact
    expected = value * (scale if generated else 1.0)
    notes = [f"target source: {source}"]
    if generated and expected >= MIN_EXPECTED_FOR_GENERATED_BLOCKING:
        severity = BLOCKING
    elif generated:
        notes.append(
            f"generated input scaled to {expected:g} expected eligible convictions: chance "
            f"alone moves such a count by about {expected**0.5 / expected:.0%}, so the check "
            f"blocks only from {MIN_EXPECTED_FOR_GENERATED_BLOCKING:,} or where the county's "
            "configuration says so"
        )
    frame = pd.DataFrame(
        [
            {
                "policy_name": policy,
                "policy_role": policy_role,
                "published_target": value,
                "scale": scale if generated else 1.0,
                "expected_eligible_convictions": expected,
                "tolerance": tolerance,
                "eligible_convictions": eligible,
                "relative_difference": (eligible - expected) / expected if expected else None,
            }
        ]
    )
    scaled = f" x scale {scale:g}" if generated else ""
    expectation = gxe.ExpectColumnMinToBeBetween(
        column="eligible_convictions",
        min_value=expected * (1 - tolerance),
        max_value=expected * (1 + tolerance),
        description=(
            f"eligible convictions under {policy} within {tolerance:.0%} of the published "
            f"target {value}{scaled} ({as_of})"
        ),
    )
    if generated:
        notes.append("generated input: a generation manifest lists every file of the run")
    return SuiteInput(
        frames={"target": frame},
        expectations={"target": [expectation]},
        severity=severity,
        notes=notes,
    )
