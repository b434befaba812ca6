"""Asset checks that run the Great Expectations suites of `expectations/` on every run.

Every check is declared blocking, so the exports (and any later publication step) wait for
it. A failed check stops them only when its suite reports blocking severity: the targets
suite reports a warning for real input unless the county's configuration sets `severity: blocking`.
The checks read the warehouse read-only and then record their result in it, so they share
the warehouse writers' pool.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    asset_check,
    multi_asset_check,
)

from orchestration.defs.assets import WAREHOUSE_POOL
from orchestration.defs.resources import ClearanceRun

if TYPE_CHECKING:
    from expectations.outcomes import SuiteOutcome


@dataclass(frozen=True)
class SuiteCheck:
    """One suite as an asset check: the asset it is reported on and the assets it reads."""

    suite: str
    check_name: str
    asset: tuple[str, ...]
    reads: tuple[tuple[str, ...], ...]
    description: str

    @property
    def asset_key(self) -> AssetKey:
        return AssetKey(list(self.asset))


SUITE_CHECKS: tuple[SuiteCheck, ...] = (
    SuiteCheck(
        suite="raw",
        check_name="raw_suite",
        asset=("raw", "doj_lines"),
        reads=(("raw", "doj_files"), ("raw", "run_files")),
        description=(
            "Raw suite: no file empty, every loaded line stored with 95 fields, the share of "
            "quarantined lines within its threshold. Runs before dbt."
        ),
    ),
    SuiteCheck(
        suite="raw_rows",
        check_name="raw_rows_suite",
        asset=("staging", "stg_doj__rows"),
        reads=(),
        description=(
            "Raw rows suite: a SUBJECT_ID on every row and the share of parseable dates "
            "within its threshold, counted on the staged rows."
        ),
    ),
    SuiteCheck(
        suite="staging",
        check_name="staging_suite",
        asset=("intermediate", "int_convictions"),
        reads=(("staging", "stg_doj__rows"),),
        description=(
            "Staging and intermediate suite: one conviction per subject and count, levels and "
            "statute books within their vocabularies, every Prop 64 offense parsed to a section."
        ),
    ),
    SuiteCheck(
        suite="marts",
        check_name="marts_suite",
        asset=("marts", "fct_conviction_outcomes"),
        reads=(
            ("marts", "fct_county_impact"),
            ("intermediate", "int_run_policies"),
            ("intermediate", "int_convictions"),
            ("staging", "stg_clearance__policy_rules"),
            ("staging", "stg_doj__rows"),
        ),
        description=(
            "Marts suite: one determination per Prop 64 conviction in the county and policy, "
            "determinations and reasons of the run's rules, line and conviction counts that "
            "reconcile from raw to marts, consistent impact measures."
        ),
    ),
    SuiteCheck(
        suite="volume",
        check_name="volume_suite",
        asset=("intermediate", "int_subjects"),
        reads=(("intermediate", "int_convictions"),),
        description=(
            "Volume suite: subjects and Prop 64 convictions in the county no more than the "
            "county's max_drop below its previous successful run."
        ),
    ),
    SuiteCheck(
        suite="targets",
        check_name="targets_suite",
        asset=("marts", "fct_county_impact"),
        reads=(("reference", "published_targets"),),
        description=(
            "Targets suite: eligible convictions within the county's tolerance of its "
            "published target, scaled for generated input."
        ),
    ),
)


# The suite that runs before dbt, on the loaded lines. The others run after the build.
BEFORE_BUILD_SUITES = ("raw",)


def _build_check(spec: SuiteCheck) -> AssetChecksDefinition:
    """Return the suite as an asset check of its own."""

    @asset_check(
        asset=spec.asset_key,
        name=spec.check_name,
        description=spec.description,
        blocking=True,
        additional_deps=[AssetKey(list(key)) for key in spec.reads],
        pool=WAREHOUSE_POOL,
    )
    def suite_check(
        context: AssetCheckExecutionContext, clearance_run: ClearanceRun
    ) -> AssetCheckResult:
        from orchestration.lib.data_quality import run_data_quality_suite

        outcome = run_data_quality_suite(
            spec.suite,
            spec.check_name,
            spec.asset_key.to_user_string(),
            clearance_run.request(context.op_execution_context),
        )
        return _check_result(context, spec, outcome)

    return suite_check


def _build_checks_after_build(specs: Sequence[SuiteCheck]) -> AssetChecksDefinition:
    """Return the suites that run after dbt as the checks of one step, each reported on its own.

    Each step cost about 20 ms of Dagster's bookkeeping (Dagster 1.13), and each check opened
    the warehouse to record its result. In one step, the checks after dbt took 0.5 to 0.7 s
    instead of 0.7 to 0.8 s of a 1,000-row run, in six pairs of runs.
    """

    @multi_asset_check(
        name="suites_after_build",
        specs=[
            AssetCheckSpec(
                spec.check_name,
                asset=spec.asset_key,
                description=spec.description,
                blocking=True,
                additional_deps=[AssetKey(list(key)) for key in spec.reads],
            )
            for spec in specs
        ],
        can_subset=True,
        pool=WAREHOUSE_POOL,
    )
    def suites_after_build(
        context: AssetCheckExecutionContext, clearance_run: ClearanceRun
    ) -> Iterator[AssetCheckResult]:
        from orchestration.lib.data_quality import SuiteRequest, run_data_quality_suites

        selected = [
            spec
            for spec in specs
            if AssetCheckKey(spec.asset_key, spec.check_name) in context.selected_asset_check_keys
        ]
        outcomes, error = run_data_quality_suites(
            [
                SuiteRequest(spec.suite, spec.check_name, spec.asset_key.to_user_string())
                for spec in selected
            ],
            clearance_run.request(context.op_execution_context),
        )
        by_check = {outcome.check_name: outcome for outcome in outcomes}
        for spec in selected:
            if spec.check_name in by_check:
                yield _check_result(context, spec, by_check[spec.check_name])
        if error is not None:
            raise error

    return suites_after_build


def _check_result(
    context: AssetCheckExecutionContext, spec: SuiteCheck, outcome: "SuiteOutcome"
) -> AssetCheckResult:
    """Return the check's result for the suite's outcome, logging its notes and failures."""
    for note in outcome.notes:
        context.log.info("%s: %s", spec.check_name, note)
    for failure in outcome.failures:
        context.log.error("%s failed: %s", spec.check_name, failure.message())
    blocking = outcome.severity == "blocking"
    return AssetCheckResult(
        asset_key=spec.asset_key,
        check_name=spec.check_name,
        passed=outcome.passed,
        severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
        description="; ".join(failure.message() for failure in outcome.failures) or None,
        metadata={
            "severity": outcome.severity,
            "expectations": len(outcome.expectations),
            "failed_expectations": len(outcome.failures),
            "notes": MetadataValue.text("\n".join(outcome.notes)),
        },
    )


def build_suite_checks() -> Sequence[AssetChecksDefinition]:
    """Return the blocking asset checks of every suite of `expectations/`.

    The suites before dbt are checks of their own. The suites after dbt share one step.
    """
    before = [spec for spec in SUITE_CHECKS if spec.suite in BEFORE_BUILD_SUITES]
    after = [spec for spec in SUITE_CHECKS if spec.suite not in BEFORE_BUILD_SUITES]
    return [*(_build_check(spec) for spec in before), _build_checks_after_build(after)]
