"""Command line: run the pipeline in-process against the persistent Dagster instance.

    python -m orchestration refresh          # incremental refresh (job refresh_warehouse)
    python -m orchestration refresh --full   # re-extract everything (job full_rebuild)
    python -m orchestration paths            # where the raw files, warehouse and instance are

Runs are recorded in DAGSTER_HOME (default ``<project>/.dagster_home``), so they show in
the UI (``make dev``) next to scheduled and sensor runs. Exit status: 0 success, 1 the
run failed, 2 it could not start; on failure the last line says why.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from orchestration import settings


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME at settings.dagster_home() (absolute) and create the folder.

    Raises ValueError with a one-line reason if it is not a folder and cannot be one
    (a file, a path through a file, no permission).
    """
    home = settings.dagster_home()
    if home.exists() and not home.is_dir():
        raise ValueError(f"DAGSTER_HOME {home} is not a folder (it is a file): remove it or "
                         "set DAGSTER_HOME to a folder")
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"DAGSTER_HOME {home} is not a folder and cannot be created "
                         f"({exc.strerror or exc}): set DAGSTER_HOME to a folder") from None
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def print_paths() -> None:
    print(f"RAW_DIR        {settings.raw_dir()}")
    print(f"WAREHOUSE_PATH {settings.warehouse_path()}")
    print(f"DAGSTER_HOME   {settings.dagster_home()}")
    print(f"dbt project    {settings.DBT_PROJECT_DIR}")


def _count(con: Any, table: str) -> int | None:
    schema, name = table.split(".")
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = ?", [schema, name],
    ).fetchone()[0]
    return con.execute(f"select count(*) from {table}").fetchone()[0] if exists else None


def warehouse_summary(path: Path) -> dict[str, int | None]:
    """Row counts of the published warehouse (read-only)."""
    import duckdb

    if not path.exists():
        return {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "documents": _count(con, "landing.source_documents"),
            "quarantined": _count(con, "landing.quarantined_files"),
            "observations": _count(con, "marts.fct_indicator"),
            "periods": _count(con, "marts.dim_period"),
        }
    finally:
        con.close()


def _root_error(error: Any) -> str:
    """The innermost cause of a Dagster error (the user code's own exception)."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    message = (getattr(error, "message", "") or "").strip()
    return message or getattr(error, "cls_name", None) or "unknown error"


def _failure_reason(result: Any) -> str:
    """One line naming the failed step and why."""
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        data = event.step_failure_data
        user = getattr(data, "user_failure_data", None)
        text = (user.description if user and user.description else None) or (
            _root_error(data.error) if data.error else "unknown error"
        )
        first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else "failed"
        return f"step {event.step_key} failed: {first}"
    return "the run failed (see the Dagster UI or the log above)"


def _check_summary(result: Any) -> tuple[int, list[str]]:
    passed, problems = 0, []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            passed += 1
        else:
            problems.append(
                f"{evaluation.severity.value.lower()}: {evaluation.asset_key.to_user_string()}"
                f" / {evaluation.check_name}"
            )
    return passed, problems


def refresh(*, full: bool, log_level: str = "INFO") -> int:
    job_name = "full_rebuild" if full else "refresh_warehouse"
    try:
        settings.check_warehouse_outside_raw_dir()
        home = ensure_dagster_home()
    except ValueError as error:
        print(f"provstats: could not start: {error}", file=sys.stderr)
        return 2
    raw_dir, warehouse = settings.raw_dir(), settings.warehouse_path()
    print(f"provstats: {job_name}\n  raw folder {raw_dir}\n  warehouse  {warehouse}\n"
          f"  dagster    {home}", flush=True)
    started = time.monotonic()
    try:
        from dagster import DagsterInstance

        from orchestration.definitions import defs

        job = defs.resolve_job_def(job_name)
        instance = DagsterInstance.get()
    except Exception as exc:  # a broken dbt project, an unreadable instance, ...
        print(f"provstats: could not start: {type(exc).__name__}: "
              f"{' '.join(str(exc).split())[:300]}", file=sys.stderr)
        return 2
    run_config: dict[str, Any] = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if full:
        run_config["ops"] = {"observations": {"config": {"full_refresh": True}}}
    try:
        result = job.execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False,
            tags={"provstats/trigger": "cli"},
        )
    finally:
        instance.dispose()
    seconds = time.monotonic() - started
    if not result.success:
        print(f"provstats: {job_name} FAILED after {seconds:.0f}s (run {result.run_id})",
              file=sys.stderr)
        print(f"provstats: {_failure_reason(result)}", file=sys.stderr)
        return 1

    counts = warehouse_summary(warehouse)
    passed, problems = _check_summary(result)

    def shown(key: str) -> str:
        value = counts.get(key)
        return "-" if value is None else f"{value:,}"

    print(f"\nprovstats: {job_name} succeeded in {seconds:.0f}s (run {result.run_id})")
    print(f"  documents     {shown('documents')}")
    print(f"  quarantined   {shown('quarantined')}")
    print(f"  observations  {shown('observations')}")
    print(f"  periods       {shown('periods')}")
    print(f"  checks        {passed} passed, {len(problems)} not passed")
    for problem in problems:
        print(f"    {problem}")
    print(f"  warehouse     {warehouse}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration",
        description="Run the provstats pipeline (Dagster + dbt + DuckDB) from the shell.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    refresh_cmd = commands.add_parser(
        "refresh", help="materialise every asset into the warehouse (incremental)"
    )
    refresh_cmd.add_argument(
        "--full", action="store_true", help="re-extract every document (job full_rebuild)"
    )
    refresh_cmd.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="Dagster console log level (default INFO)",
    )
    commands.add_parser("paths", help="print the resolved RAW_DIR, WAREHOUSE_PATH, DAGSTER_HOME")
    args = parser.parse_args(argv)
    if args.command == "paths":
        print_paths()
        return 0
    return refresh(full=args.full, log_level=args.log_level)


if __name__ == "__main__":
    sys.exit(main())
