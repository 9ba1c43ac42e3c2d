"""``make dev`` as an operator uses it: the UI comes up with the code location named
``provstats`` and no first-visit pop-up, and stopping it (SIGTERM to make, as ``kill``
or a container stop sends; SIGINT to its process group, as Ctrl-C in a terminal does)
leaves no process behind within :data:`STOP_BOUND_S` seconds — even while the daemon is
running the refresh the raw-folder sensor started.

Each case starts the real ``make dev`` (dg dev: webserver, daemon, code server) against
a private DAGSTER_HOME (with the project's dagster.yaml), raw folder and warehouse.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import RAW_SEEDS, ROOT
from tests.test_webserver_smoke import (
    _free_port,
    _log_tail,
    _wait_until_up,
    graphql,
)

pytestmark = pytest.mark.slow

#: supervisor grace (20 s) + SIGTERM-to-SIGKILL (10 s) + margin
STOP_BOUND_S = 60

UI_QUERY = """
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
  shouldShowNux
}
"""


def _processes() -> dict[int, tuple[int, int, str]]:
    """pid → (ppid, pgid, state) of every process, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, pgid = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        found[int(stat.parent.name)] = (int(ppid), int(pgid), state)
    return found


def _tree(root: int) -> set[int]:
    """``root`` and all its live descendants."""
    processes = _processes()
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _, _) in processes.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return tree


def _alive(pids: set[int], groups: set[int]) -> list[int]:
    """Live (not zombie) processes among ``pids`` or in the process groups ``groups``."""
    return sorted(pid for pid, (_, pgid, state) in _processes().items()
                  if state != "Z" and (pid in pids or pgid in groups))


@pytest.mark.parametrize("stop_with", ["sigterm_to_make", "ctrl_c_to_the_group"])
def test_make_dev_serves_provstats_and_stops_cleanly(stop_with, tmp_path, dbt_manifest):
    home, raw = tmp_path / "dagster_home", tmp_path / "raw"
    home.mkdir()
    raw.mkdir()
    shutil.copyfile(ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    shutil.copyfile(RAW_SEEDS / "000_ea925d20ca7bc08d.txt", raw / "000_ea925d20ca7bc08d.txt")
    port, log = _free_port(), tmp_path / "make_dev.log"
    env = {**os.environ, "RAW_DIR": str(raw), "DAGSTER_HOME": str(home),
           "WAREHOUSE_PATH": str(tmp_path / "warehouse" / "provstats.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with log.open("w") as out:
        make = subprocess.Popen(["make", "dev", f"DEV_PORT={port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    pids: set[int] = {make.pid}
    groups: set[int] = {make.pid}
    try:
        _wait_until_up(make, f"http://127.0.0.1:{port}", log)
        ui = graphql(f"http://127.0.0.1:{port}", UI_QUERY)
        [location] = ui["workspaceOrError"]["locationEntries"]
        assert location["name"] == "provstats"
        assert location["locationOrLoadError"]["__typename"] == "RepositoryLocation", location
        assert ui["shouldShowNux"] is False

        pids = _tree(make.pid)
        groups = {pgid for pid, (_, pgid, _) in _processes().items() if pid in pids}
        assert len(groups) >= 2, "dg dev should run in a process group of its own"
        if stop_with == "sigterm_to_make":
            os.kill(make.pid, signal.SIGTERM)
        else:
            os.killpg(make.pid, signal.SIGINT)
        started = time.monotonic()
        while _alive(pids, groups) and time.monotonic() - started < STOP_BOUND_S:
            time.sleep(0.5)
        left = _alive(pids, groups)
        assert left == [], (f"still running {STOP_BOUND_S}s after {stop_with}: {left}\n"
                            f"{_log_tail(log)}")
        assert make.wait(timeout=5) is not None
        assert "stopping the Dagster UI and daemon" in log.read_text()
    finally:
        for group in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            make.wait(timeout=10)
