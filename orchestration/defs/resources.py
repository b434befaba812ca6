"""Resources: the settings of the run being executed, and the dbt command line."""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property

from dagster import AssetExecutionContext, ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.lib.run_request import RunRequest, resolve_request


class ClearanceRun(ConfigurableResource):
    """The settings of one clearance run; every asset of the job resolves the same values.

    The command line sets every field. A run started by the schedule, the sensor or the UI sets
    few or none, and the rest comes from its partition (the county) and the county
    configuration (orchestration.lib.run_request.resolve_request).
    """

    run_id: str | None = None
    county: str | None = None
    doj_paths: list[str] = []
    compute_date: str | None = None
    publish_root: str | None = None
    started_at: str | None = None
    warehouse: str | None = None
    options_file: str | None = None
    policy: str | None = None
    params: list[str] = []
    compare_with: list[str] = []
    court_paths: list[str] = []
    court_mapping_paths: list[str] = []

    def request(self, context: AssetExecutionContext) -> RunRequest:
        """Return the run's complete settings for the step that `context` belongs to."""
        record = context.instance.get_run_record_by_id(context.run.run_id)
        created_at = record.create_timestamp if record is not None else datetime.now(UTC)
        return resolve_request(
            {
                "run_id": self.run_id,
                "county": self.county,
                "doj_paths": self.doj_paths,
                "compute_date": self.compute_date,
                "publish_root": self.publish_root,
                "started_at": self.started_at,
                "warehouse": self.warehouse,
                "options_file": self.options_file,
                "policy": self.policy,
                "params": self.params,
                "compare_with": self.compare_with,
                "court_paths": self.court_paths,
                "court_mapping_paths": self.court_mapping_paths,
            },
            dagster_run_id=context.run.run_id,
            partition_key=context.partition_key if context.has_partition_key else None,
            created_at=created_at,
            tags=dict(context.run.tags),
        )


class InstalledDbtCliResource(DbtCliResource):
    """DbtCliResource for the dbt-core installed in this environment, without two slow probes.

    Before each dbt command, dagster-dbt 0.29 runs `dbt --version` in a subprocess and builds
    an in-process dbt adapter, together about 3 s on a 2-core machine (measured with cProfile
    on a 1,000-row run). The version is that of the dbt-core package imported here, and the
    adapter only serves metadata queries (row counts, column schemas) that this job never
    requests, so both are skipped.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_cli_resource(project: DbtProject, *, use_standby: bool = True) -> DbtCliResource:
    """Return the dbt resource, running the dbt installed beside this Python.

    DbtCliResource looks for `dbt` on PATH by default, which fails when the command line runs
    from a virtual environment that is not activated. A run of the command line started a dbt
    standby process, whose client script then replaces `dbt`, unless use_standby is off.
    """
    from orchestration.lib.dbt_standby import INSTALLED_DBT, active_dbt_standby

    standby = active_dbt_standby() if use_standby else None
    executable = standby.executable if standby is not None else INSTALLED_DBT
    return InstalledDbtCliResource(project_dir=project, dbt_executable=str(executable))
