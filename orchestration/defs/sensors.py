"""The sensor that starts a county run when a new DOJ extract lands in its landing folder."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from clearance.counties import landing_sensor_settings
from orchestration.lib.automation import landed_runs

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

LANDING_SENSOR = "landing_sensor"


def build_landing_sensor(job: UnresolvedAssetJobDefinition) -> SensorDefinition:
    """Return the sensor, with its interval read from the county configuration."""
    settings = landing_sensor_settings()

    @sensor(
        name=LANDING_SENSOR,
        job=job,
        minimum_interval_seconds=int(settings["interval_seconds"]),
        default_status=(
            DefaultSensorStatus.RUNNING if settings["running"] else DefaultSensorStatus.STOPPED
        ),
        description=(
            "Start a county run when a new DOJ extract is ready in the county's landing "
            "folder (a .done marker, or files unchanged for settle_seconds)."
        ),
    )
    def landing_sensor(context: SensorEvaluationContext) -> SensorResult:
        plans, cursor = landed_runs(context.cursor, date.today())
        for plan in plans:
            context.log.info("New DOJ extract for %s: requesting run %s", plan.county, plan.run_key)
        return SensorResult(
            run_requests=[
                RunRequest(
                    run_key=plan.run_key,
                    partition_key=plan.county,
                    tags=plan.tags,
                    run_config=plan.run_config,
                )
                for plan in plans
            ],
            cursor=cursor,
        )

    return landing_sensor
