"""``make dev``: the Dagster UI and daemon (``dg dev``) that stop cleanly.

``dg dev`` starts a webserver, a daemon and a code server, and the daemon starts runs
(each with its dbt process). Run as is, a SIGTERM (``kill``, a container stop) was
ignored whenever SIGINT was ignored at start-up — as for any command started in the
background by a non-interactive shell — and Ctrl-C in a terminal reached every process
at once, so some were still shutting down, or left behind, more than a minute later.

This supervisor runs ``dg dev`` in a process group of its own and owns the shutdown:

1. Ctrl-C (SIGINT) or SIGTERM reaches the supervisor, which asks ``dg dev`` to stop
   (SIGTERM: it tells the webserver and daemon to shut down and waits for them);
2. after :data:`GRACE_S` seconds, or as soon as ``dg dev`` has exited, whatever is left
   in its process group (a run in progress, its dbt process, a code server) gets
   SIGTERM, then SIGKILL :data:`KILL_AFTER_S` seconds later;
3. the supervisor exits once the group is empty.

A run killed this way never damages the warehouse (writes go to a build copy that is
published only when a run succeeds); the run shows as failed in the UI.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from orchestration import settings

#: Seconds ``dg dev`` gets to shut its services down before the group is terminated.
GRACE_S = 20.0
#: Seconds between SIGTERM and SIGKILL for what is left in the group (a run in progress
#: records its failure in that time).
KILL_AFTER_S = 10.0


def _group_alive(pgid: int) -> bool:
    """Whether any (non-zombie) process is left in the process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _wait(condition, timeout: float, proc: subprocess.Popen) -> bool:
    """Poll ``condition`` (reaping ``proc``) until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.poll()
        if condition():
            return True
        time.sleep(0.2)
    proc.poll()
    return condition()


def dg_dev_command(host: str, port: int) -> list[str]:
    """``dg dev`` of this environment, for the project at the repository root."""
    dg = Path(sys.executable).with_name("dg")
    return [str(dg if dg.exists() else "dg"), "dev", "--host", host, "--port", str(port)]


def _environment() -> dict[str, str]:
    """The environment of ``dg dev``: this virtualenv active (dg checks that the active
    environment is the project's), DAGSTER_HOME absolute."""
    venv = Path(sys.prefix)
    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "DAGSTER_HOME": str(home),
    }


def run(host: str = "127.0.0.1", port: int = 3000, *, command: Sequence[str] | None = None,
        grace_s: float = GRACE_S) -> int:
    """Run ``dg dev`` until it exits or the supervisor is told to stop; return its status
    (0 after a requested stop)."""
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        proc = subprocess.Popen(
            list(command or dg_dev_command(host, port)),
            cwd=settings.PROJECT_ROOT, env=_environment(), start_new_session=True,
        )
        print(f"provstats: Dagster UI on http://{host}:{port} (dg dev, process group "
              f"{proc.pid}); Ctrl-C stops it", flush=True)
        while proc.poll() is None and not stop_requested:
            time.sleep(0.2)
        if stop_requested:
            print(f"provstats: stopping the Dagster UI and daemon (signal {stop_requested[0]})",
                  flush=True)
        stop(proc, grace_s)
        return 0 if stop_requested else (proc.returncode or 0)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop(proc: subprocess.Popen, grace_s: float = GRACE_S) -> None:
    """Stop ``dg dev`` (``proc``, leader of its process group) and everything it started."""
    pgid = proc.pid
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        _wait(lambda: proc.returncode is not None, grace_s, proc)
    if _group_alive(pgid):
        _signal_group(pgid, signal.SIGTERM)
        if not _wait(lambda: not _group_alive(pgid), KILL_AFTER_S, proc):
            print("provstats: killing what is left of the Dagster processes", flush=True)
            _signal_group(pgid, signal.SIGKILL)
            _wait(lambda: not _group_alive(pgid), KILL_AFTER_S, proc)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
