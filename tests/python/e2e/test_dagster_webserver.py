"""`dagster dev` on a free loopback port: the asset graph and checks through GraphQL, and a run
of the SAN FRANCISCO partition from its landing folder, launched as an operator would.

The county configuration points the landing folders and the publish root into a temporary
folder, and stops the schedule and the sensor, so the launched run is the only one. Every
request goes to 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROJECT_DIR = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
COUNTY = "SAN FRANCISCO"

ASSET_GRAPH_QUERY = """
{
  assetNodes {
    assetKey { path }
    dependencyKeys { path }
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
  }
}
"""

LOCATION_QUERY = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { repositories { name jobs { name } } }
          ... on PythonError { message }
        }
      }
    }
  }
}
"""

LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""

RUN_QUERY = """
query Run($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run { status tags { key value } }
  }
}
"""


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}/graphql",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload["errors"]
    return payload["data"]


def wait_until_answering(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "dagster dev exited before answering"
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/server_info", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise AssertionError(f"dagster dev did not answer on {HOST}:{port} within {timeout} s")


def land_generated_extract(landing: Path, work: Path) -> Path:
    """Generate SAN FRANCISCO at scale 0.005 and land its DOJ file with a .done marker."""
    generated = work / "generated"
    subprocess.run(
        [
            str(BIN / "clearance"),
            "generate",
            "--county",
            COUNTY,
            "--seed",
            "1",
            "--scale",
            "0.005",
            "--out",
            str(generated),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    (county,) = manifest["counties"]
    (file_entry,) = county["files"]
    doj_folder = landing / "san_francisco" / "doj"
    doj_folder.mkdir(parents=True)
    landed = doj_folder / file_entry["file"]
    shutil.copy(generated / file_entry["file"], landed)
    (doj_folder / f"{landed.name}.done").touch()
    return landed


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("dagster_dev")
    dagster_home = work / "dagster_home"
    dagster_home.mkdir(mode=0o700)
    shutil.copy(PROJECT_DIR / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    landed = land_generated_extract(work / "landing", work)
    config = work / "counties.yaml"
    config.write_text(
        f"""
schedule: {{cron: "0 6 1 * *", timezone: America/Los_Angeles, running: false}}
landing_sensor: {{interval_seconds: 60, running: false}}
defaults:
  policy: legal-default
  parameters: {{}}
  landing_folder: {work}/landing/{{county}}
  settle_seconds: 120
  scheduled: true
  publish_root: {work}/publications
counties:
  SAN FRANCISCO:
    policy: sf-2019
""",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.pop("CLEARANCE_SUBJECT_KEY", None)
    env.update(
        DAGSTER_HOME=str(dagster_home),
        CLEARANCE_COUNTY_CONFIG=str(config),
        CLEARANCE_WAREHOUSE=str(work / "warehouse" / "clearance.duckdb"),
        CLEARANCE_SUBJECT_KEY_FILE=str(work / "subject_key"),
        DBT_PROFILES_DIR=str(PROJECT_DIR),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        # The daemon and the run worker start Python from the same environment.
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    port = free_loopback_port()
    log = (work / "dagster_dev.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "dagster"),
            "dev",
            "-h",
            HOST,
            "-p",
            str(port),
            "-m",
            "orchestration.definitions",
        ],
        env=env,
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_answering(port, process, timeout=300)
        yield {"port": port, "work": work, "landed": landed, "log": work / "dagster_dev.log"}
    finally:
        # dagster dev stops its webserver, daemon and code server on SIGINT.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_webserver_listens_on_loopback_only(dagster_dev: dict) -> None:
    port = dagster_dev["port"]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        assert sock.connect_ex((HOST, port)) == 0
    # The same port on another local address is closed, because the server bound 127.0.0.1.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        assert sock.connect_ex(("127.0.0.2", port)) != 0


def test_asset_graph_and_checks_through_graphql(dagster_dev: dict) -> None:
    nodes = graphql(dagster_dev["port"], ASSET_GRAPH_QUERY)["assetNodes"]
    by_key = {"/".join(node["assetKey"]["path"]): node for node in nodes}
    for key in (
        "raw/doj_lines",
        "staging/stg_doj__rows",
        "marts/fct_county_impact",
        "doj_exports",
        "analyst_database",
        "run_manifest",
        "publication",
    ):
        assert key in by_key, key
    assert sorted(dep["path"] for dep in by_key["publication"]["dependencyKeys"]) == [
        ["dashboard"],
        ["run_manifest"],
    ]
    checks = [
        check["name"]
        for node in nodes
        for check in (node["assetChecksOrError"] or {}).get("checks", [])
    ]
    # The dbt data tests that guard a run are asset checks.
    assert "unique_stg_doj__cleaned_rows_row_order" in checks


def test_partition_run_from_landing_folder_succeeds(dagster_dev: dict) -> None:
    port = dagster_dev["port"]
    workspace = graphql(port, LOCATION_QUERY)["workspaceOrError"]
    (entry,) = workspace["locationEntries"]
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location
    (repository,) = location["repositories"]
    assert "clearance_run" in [job["name"] for job in repository["jobs"]]

    launched = graphql(
        port,
        LAUNCH_RUN,
        {
            "params": {
                "selector": {
                    "repositoryLocationName": entry["name"],
                    "repositoryName": repository["name"],
                    "jobName": "clearance_run",
                },
                "executionMetadata": {"tags": [{"key": "dagster/partition", "value": COUNTY}]},
            }
        },
    )["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    deadline = time.monotonic() + 900
    status = None
    while time.monotonic() < deadline:
        run = graphql(port, RUN_QUERY, {"runId": run_id})["runOrError"]
        status = run["status"]
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            break
        time.sleep(3)
    log_tail = dagster_dev["log"].read_text(errors="replace")[-4000:]
    assert status == "SUCCESS", log_tail

    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    landed: Path = dagster_dev["landed"]
    assert tags["dagster/partition"] == COUNTY
    assert tags["clearance/county"] == COUNTY
    assert tags["clearance/policy"] == "sf-2019"
    sha256 = hashlib.sha256(landed.read_bytes()).hexdigest()
    assert tags["clearance/input_sha256"] == f"{landed.name}:{sha256}"

    latest = dagster_dev["work"] / "publications" / "san_francisco" / "latest"
    assert latest.is_symlink()
    assert os.readlink(latest).endswith(f"-{run_id}")
    manifest = json.loads((latest / "run-manifest.json").read_text(encoding="utf-8"))
    assert manifest["dagster_run_id"] == run_id
    assert [item["sha256"] for item in manifest["inputs"]] == [sha256]
    assert manifest["compute_date"] == tags["clearance/compute_date"]
    for name in ("summary.json", "analyst.duckdb", "Prop64_Results.csv"):
        assert (latest / name).is_file(), name
