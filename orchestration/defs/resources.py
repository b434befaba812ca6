"""Resources: the settings of the run being executed, and the dbt command line."""

import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.lib.run_request import RunRequest


class ClearanceRun(ConfigurableResource):
    """The settings of one clearance run; every asset of the job reads the same values."""

    run_id: str
    county: str
    doj_paths: list[str]
    compute_date: str
    out_dir: str
    warehouse: str
    options_file: str | None = None
    policy: str | None = None
    params: list[str] = []
    compare_with: list[str] = []
    court_paths: list[str] = []
    court_mapping_paths: list[str] = []

    def request(self) -> RunRequest:
        """Return the settings as a RunRequest."""
        return RunRequest(
            run_id=self.run_id,
            county=self.county,
            doj_paths=tuple(self.doj_paths),
            compute_date=self.compute_date,
            out_dir=self.out_dir,
            warehouse=self.warehouse,
            options_file=self.options_file,
            policy=self.policy,
            params=tuple(self.params),
            compare_with=tuple(self.compare_with),
            court_paths=tuple(self.court_paths),
            court_mapping_paths=tuple(self.court_mapping_paths),
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


def dbt_cli_resource(project: DbtProject) -> DbtCliResource:
    """Return the dbt resource, running the dbt installed beside this Python.

    DbtCliResource looks for `dbt` on PATH by default, which fails when the command line runs
    from a virtual environment that is not activated.
    """
    return InstalledDbtCliResource(
        project_dir=project, dbt_executable=str(Path(sys.executable).parent / "dbt")
    )
