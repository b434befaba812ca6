"""Asset checks that run the Great Expectations suites of `expectations/` on every run.

Every check is declared blocking, so the exports (and any later publication step) wait for
it. A failed check stops them only when its suite reports blocking severity: the targets
suite reports a warning for real input unless the county's configuration sets `severity: blocking`.
The checks read the warehouse read-only and then record their result in it, so they share
the warehouse writers' pool.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from orchestration.defs.assets import WAREHOUSE_POOL
from orchestration.defs.resources import ClearanceRun


@dataclass(frozen=True)
class SuiteCheck:
    """One suite as an asset check: the asset it is reported on and the assets it reads."""

    suite: str
    check_name: str
    asset: tuple[str, ...]
    reads: tuple[tuple[str, ...], ...]
    description: str


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


def _build_check(spec: SuiteCheck) -> AssetChecksDefinition:
    asset = AssetKey(list(spec.asset))

    @asset_check(
        asset=asset,
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
        from orchestration.lib.steps import progress

        progress.info("checking the %s suite ...", spec.suite)
        outcome = run_data_quality_suite(
            spec.suite,
            spec.check_name,
            asset.to_user_string(),
            clearance_run.request(context.op_execution_context),
        )
        for note in outcome.notes:
            context.log.info("%s: %s", spec.check_name, note)
        for failure in outcome.failures:
            context.log.error("%s failed: %s", spec.check_name, failure.message())
        blocking = outcome.severity == "blocking"
        return AssetCheckResult(
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

    return suite_check


def build_suite_checks() -> Sequence[AssetChecksDefinition]:
    """Return one blocking asset check per suite of `expectations/`."""
    return [_build_check(spec) for spec in SUITE_CHECKS]
