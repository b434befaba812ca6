"""The schedule that runs every scheduled county (monthly by default, config/counties.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from clearance.counties import schedule_settings
from orchestration.lib.automation import scheduled_runs

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

COUNTY_SCHEDULE = "county_schedule"


def build_county_schedule(
    job: UnresolvedAssetJobDefinition,
) -> ScheduleDefinition:
    """Return the schedule, with its cron and time zone read from the county configuration."""
    settings = schedule_settings()

    @schedule(
        name=COUNTY_SCHEDULE,
        job=job,
        cron_schedule=str(settings["cron"]),
        execution_timezone=str(settings["timezone"]),
        default_status=(
            DefaultScheduleStatus.RUNNING if settings["running"] else DefaultScheduleStatus.STOPPED
        ),
        description=(
            "Start a run of every scheduled county whose landing folder holds a ready DOJ "
            "extract; the compute date is the tick's date."
        ),
    )
    def county_schedule(context: ScheduleEvaluationContext):
        compute_date = context.scheduled_execution_time.date()
        plans = scheduled_runs(compute_date)
        if not plans:
            return SkipReason("no scheduled county has a ready DOJ extract in its landing folder")
        return [
            RunRequest(
                run_key=plan.run_key,
                partition_key=plan.county,
                tags=plan.tags,
                run_config=plan.run_config,
            )
            for plan in plans
        ]

    return county_schedule
