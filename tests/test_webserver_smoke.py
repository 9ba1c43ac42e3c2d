"""Smoke test of the Dagster UI: start ``dagster-webserver`` on 127.0.0.1, wait for it,
ask its GraphQL API what it loaded, and stop it.

It checks what an operator relies on in the UI: the code location ``provstats`` (loaded
from pyproject.toml's ``[tool.dagster]``, as ``dg dev`` names it) loads without error, the
Python and dbt assets (exactly the keys of the project's ``Definitions``), asset checks —
every one with a description —, the refresh jobs, the daily schedule (cron, time zone,
running by default), the raw folder sensor (running by default), no first-visit pop-up, no
metadata the UI can only print as "(unserializable)", and — after one refresh recorded in
the instance — the row count and column types of the dbt models. The server runs against
a private DAGSTER_HOME (with the project's dagster.yaml) / RAW_DIR / WAREHOUSE_PATH and is
always stopped, even when an assertion fails: its whole process group (the webserver and
the gRPC code server it spawns) gets SIGTERM, then SIGKILL after 30 s.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import shutil
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

from tests.conftest import ROOT, SUBPROCESS_TIMEOUT_S, PipelineEnv, pipeline_env_context

# Loading the code location takes ~30-60 s alone, minutes on a busy 2-CPU box; a
# webserver that exits early fails the test at once.
STARTUP_TIMEOUT_S = SUBPROCESS_TIMEOUT_S
STOP_TIMEOUT_S = 30

WORKSPACE_QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""

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
    metadataEntries { label ... on TextMetadataEntry { text } }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name description } }
    }
  }
  shouldShowNux
}
"""

#: Metadata labels the UI never shows (dagster-webserver's HIDDEN_METADATA_ENTRY_LABELS):
#: dagster-dbt's manifest and translator objects.
UI_HIDDEN_METADATA = {"dagster_dbt/manifest", "dagster_dbt/dagster_dbt_translator"}

FCT_INDICATOR_QUERY = """
{
  assetNodes(assetKeys: [{path: ["marts", "fct_indicator"]}]) {
    description
    assetMaterializations(limit: 1) {
      runId
      metadataEntries {
        label
        ... on IntMetadataEntry { intValue }
        ... on TableSchemaMetadataEntry { schema { columns { name type } } }
      }
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


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group ``pgid``, read from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(group) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _running(proc: subprocess.Popen) -> bool:
    """Whether the webserver or anything else in its process group is still alive."""
    return proc.poll() is None or bool(_group_members(proc.pid))


def _wait_stopped(proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _running(proc) and time.monotonic() < deadline:
        time.sleep(0.5)
    return not _running(proc)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (even if the webserver itself already died, its
    code server may not have), wait up to 30 s, then SIGKILL what is left."""
    _signal_group(proc.pid, signal.SIGTERM)
    if not _wait_stopped(proc, STOP_TIMEOUT_S):
        _signal_group(proc.pid, signal.SIGKILL)
        _wait_stopped(proc, STOP_TIMEOUT_S)


def _wait_until_up(proc: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, http.client.HTTPException, OSError):
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


@pytest.fixture(scope="module")
def refreshed(defs, tmp_path_factory) -> Iterator[PipelineEnv]:
    """One refresh recorded in a private persistent DAGSTER_HOME (with the project's
    instance settings), as ``make run`` leaves it for the UI."""
    import dagster as dg

    with pipeline_env_context(tmp_path_factory.mktemp("ui")) as pipeline_env:
        shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml",
                        pipeline_env.dagster_home / "dagster.yaml")
        with dg.DagsterInstance.get() as instance:
            result = pipeline_env.run(defs, instance=instance)
        assert result.success
        yield pipeline_env


@pytest.fixture(scope="module")
def webserver(refreshed: PipelineEnv, dbt_manifest: Path, tmp_path_factory) -> Iterator[str]:
    """A running webserver on a free local port (one for the module); yields its base
    URL, stops it after.

    Started like ``dagster-webserver`` in the project folder with no target: the code
    location comes from pyproject.toml's ``[tool.dagster]``.
    """
    pipeline_env = refreshed
    port = _free_port()
    log = tmp_path_factory.mktemp("webserver") / "webserver.log"
    executable = Path(sys.executable).with_name("dagster-webserver")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(executable), "-h", "127.0.0.1", "-p", str(port)],
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
    assert not _group_members(proc.pid), f"left behind: {_group_members(proc.pid)}"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{base}/server_info", timeout=5)


def test_ui_loads_assets_checks_jobs_schedule_and_sensor(webserver: str, defs) -> None:
    workspace = graphql(webserver, WORKSPACE_QUERY)["workspaceOrError"]
    assert workspace["__typename"] == "Workspace", workspace
    [location] = workspace["locationEntries"]
    assert location["name"] == "provstats"
    loaded = location["locationOrLoadError"]
    assert loaded["__typename"] == "RepositoryLocation", loaded.get("message", loaded)

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
    assert sensors["raw_folder_sensor"]["sensorState"]["status"] == "RUNNING"

    assets = graphql(webserver, ASSETS_QUERY)
    assert assets["shouldShowNux"] is False
    nodes = assets["assetNodes"]
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

    # every check explains itself; no metadata the UI can only print as "(unserializable)"
    undescribed = [
        ("/".join(n["assetKey"]["path"]), c["name"])
        for n in nodes if n["assetChecksOrError"]["__typename"] == "AssetChecks"
        for c in n["assetChecksOrError"]["checks"] if not (c["description"] or "").strip()
    ]
    assert undescribed == []
    assert sum(len(c) for c in checks.values()) > 100
    unserializable = [
        ("/".join(n["assetKey"]["path"]), e["label"]) for n in nodes
        for e in n["metadataEntries"]
        if "(unserializable)" in (e.get("text") or "") and e["label"] not in UI_HIDDEN_METADATA
    ]
    assert unserializable == []


def test_ui_shows_row_counts_and_column_types_of_dbt_models(webserver: str,
                                                            refreshed: PipelineEnv) -> None:
    [node] = graphql(webserver, FCT_INDICATOR_QUERY)["assetNodes"]
    assert node["description"]
    [materialization] = node["assetMaterializations"]
    entries = {e["label"]: e for e in materialization["metadataEntries"]}
    rows = refreshed.scalar("select count(*) from marts.fct_indicator")
    assert rows > 0
    assert entries["dagster/row_count"]["intValue"] == rows
    columns = {c["name"]: c["type"]
               for c in entries["dagster/column_schema"]["schema"]["columns"]}
    assert columns["observation_id"] == "varchar" and columns["value"] == "double"
    assert columns["period_code"] == "varchar" and columns["span_start"] == "integer"


# ------------------------------------------------------------------ a browser
def _page_text(url: str, screenshot: Path) -> str:
    """The text of ``url`` as headless Chromium renders it (the UI is a JavaScript app:
    the GraphQL answers are in the page only after its scripts ran); a screenshot too."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, ("headless Chromium is needed for this test: apt-get install chromium "
                      "(.ci/run installs it)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--virtual-time-budget=30000", "--window-size=1400,1000"]
    subprocess.run([chromium, *flags, f"--screenshot={screenshot}", url],
                   capture_output=True, timeout=SUBPROCESS_TIMEOUT_S, check=True)
    dom = subprocess.run([chromium, *flags, "--dump-dom", url], capture_output=True,
                         text=True, timeout=SUBPROCESS_TIMEOUT_S, check=True).stdout
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


def test_fct_indicator_asset_page_in_a_browser(webserver: str, refreshed: PipelineEnv,
                                               tmp_path: Path) -> None:
    """What an operator sees on the asset page of fct_indicator: the row count, the code
    location, the column types, the check results — and no "(unserializable)" entry."""
    screenshot = tmp_path / "fct_indicator.png"
    text = _page_text(f"{webserver}/assets/marts/fct_indicator", screenshot)
    assert screenshot.stat().st_size > 10_000
    rows = refreshed.scalar("select count(*) from marts.fct_indicator")
    assert re.search(rf"Row count {rows:,}\b".replace(",", "[,.]?"), text), text[:2000]
    assert "provstats" in text and "Latest check results" in text
    assert "observation_id" in text and "varchar" in text
    assert "unserializable" not in text

