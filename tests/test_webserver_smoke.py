"""Smoke test of the Dagster UI: start ``dagster-webserver`` on 127.0.0.1, wait for it,
ask its GraphQL API what it loaded, and stop it.

It checks what an operator relies on in the UI: the Python and dbt assets, asset checks,
the refresh jobs, the daily schedule (cron, time zone, running by default) and the raw
folder sensor. The server runs against a private DAGSTER_HOME / RAW_DIR / WAREHOUSE_PATH
and is always stopped (process group SIGTERM, then SIGKILL), even when an assertion fails.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, PipelineEnv

STARTUP_TIMEOUT_S = 180

REPOSITORY_QUERY = """
{
  repositoriesOrError {
    __typename
    ... on RepositoryConnection {
      nodes {
        name
        jobs { name }
        schedules {
          name cronSchedule executionTimezone
          scheduleState { status }
        }
        sensors { name sensorState { status } }
      }
    }
  }
}
"""

ASSETS_QUERY = """
{
  assetNodes {
    assetKey { path }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name } }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _wait_until_up(proc: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    pytest.fail(f"dagster-webserver did not answer in {STARTUP_TIMEOUT_S}s:\n{_log_tail(log)}")


def graphql(base: str, query: str) -> dict[str, Any]:
    """POST a GraphQL query to the webserver and return its ``data``."""
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    assert not body.get("errors"), body["errors"]
    return body["data"]


@pytest.fixture
def webserver(pipeline_env: PipelineEnv, dbt_manifest: Path, tmp_path: Path) -> Iterator[str]:
    """A running webserver on a free local port; yields its base URL, stops it after."""
    port = _free_port()
    log = tmp_path / "webserver.log"
    executable = Path(sys.executable).with_name("dagster-webserver")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(executable), "-h", "127.0.0.1", "-p", str(port),
             "-m", "orchestration.definitions"],
            cwd=ROOT,
            env={**os.environ, **pipeline_env.env_vars(),
                 "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, base, log)
        yield base
    finally:
        _stop(proc)
    assert proc.poll() is not None, "the webserver is still running"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{base}/server_info", timeout=5)


def test_ui_loads_assets_checks_jobs_schedule_and_sensor(webserver: str, defs) -> None:
    repos = graphql(webserver, REPOSITORY_QUERY)["repositoriesOrError"]
    assert repos["__typename"] == "RepositoryConnection", repos
    [repo] = repos["nodes"]

    jobs = {j["name"] for j in repo["jobs"]}
    assert {"refresh_warehouse", "full_rebuild"} <= jobs

    schedules = {s["name"]: s for s in repo["schedules"]}
    daily = schedules["daily_refresh"]
    assert daily["cronSchedule"] == "0 6 * * *"
    assert daily["executionTimezone"] == "Asia/Ho_Chi_Minh"
    assert daily["scheduleState"]["status"] == "RUNNING"

    sensors = {s["name"]: s for s in repo["sensors"]}
    assert "raw_folder_sensor" in sensors

    nodes = graphql(webserver, ASSETS_QUERY)["assetNodes"]
    keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
    expected = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert expected == keys
    assert {"raw_documents", "observations", "marts/fct_indicator", "marts/dim_period",
            "marts/mart_indicator_series"} <= keys

    checks = {
        "/".join(n["assetKey"]["path"]): {c["name"] for c in n["assetChecksOrError"]["checks"]}
        for n in nodes if n["assetChecksOrError"]["__typename"] == "AssetChecks"
    }
    assert "unique_fct_indicator_observation_id" in checks["marts/fct_indicator"]
    assert "spans_index_numbers" in checks["observations"]
    assert "no_quarantined_files" in checks["raw_documents"]
