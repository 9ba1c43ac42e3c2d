"""Command line: run the pipeline in-process against the persistent Dagster instance.

    python -m orchestration refresh          # incremental refresh (job refresh_warehouse)
    python -m orchestration refresh --full   # re-extract everything (job full_rebuild)
    python -m orchestration paths            # where the raw files, warehouse and instance are
    python -m orchestration dev              # Dagster UI + daemon (dg dev), stops cleanly
    python -m orchestration docs [--serve]   # dbt docs site (from a copy of the warehouse)
    python -m orchestration export           # marts as Parquet + CSV, data dictionary

Runs are recorded in DAGSTER_HOME (default ``<project>/.dagster_home``), so they show in
the UI (``make dev``) next to scheduled and sensor runs. A refresh prints one line per
stage, warnings and errors, a dbt summary and a final summary; the full Dagster and dbt
log goes to ``DAGSTER_HOME/logs/refresh-<time>.log`` (``--verbose`` prints it instead).

Exit status: 0 success; 1 the run failed (the published warehouse is unchanged); 2 it
could not start; 3 the run succeeded and published the warehouse, but the extractor
failed on some documents (they keep their previous observations and are retried on the
next refresh). On failure the last line says why.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from orchestration import settings

#: Exit statuses of ``refresh``.
EXIT_OK, EXIT_FAILED, EXIT_NOT_STARTED, EXIT_EXTRACTION_ERRORS = 0, 1, 2, 3
#: CLI log files kept in DAGSTER_HOME/logs.
KEEP_LOGS = 20


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


def _log_path(home: Path) -> Path:
    """A new log file in DAGSTER_HOME/logs (older ones beyond KEEP_LOGS removed)."""
    folder = home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("refresh-*.log"))[:-KEEP_LOGS + 1]:
        old.unlink(missing_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"refresh-{stamp}-{os.getpid()}.log"


@contextlib.contextmanager
def _output_to(log: TextIO | None) -> Iterator[None]:
    """Send what the run writes to stdout / stderr (Dagster, dbt) to ``log``."""
    if log is None:
        yield
        return
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        yield


def _open_instance(home: Path, instance_class: Any) -> Any:
    """Dagster's instance, opened under a lock on ``home``: opening a new ``DAGSTER_HOME``
    creates its SQLite storage, and two refreshes started at once would both create it
    (one fails with an IntegrityError)."""
    import fcntl

    with (home / ".instance.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return instance_class.get()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def refresh(*, full: bool, log_level: str = "INFO", verbose: bool = False) -> int:
    """Run the refresh (or full rebuild) job in-process and print its summary."""
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
        from orchestration.progress import RunProgress, asset_stages, progress_logger

        job = defs.resolve_job_def(job_name)
        instance = _open_instance(home, DagsterInstance)
    except Exception as exc:  # a broken dbt project, an unreadable instance, ...
        print(f"provstats: could not start: {type(exc).__name__}: "
              f"{' '.join(str(exc).split())[:300]}", file=sys.stderr)
        return EXIT_NOT_STARTED
    progress = RunProgress(out=sys.stdout, stages=asset_stages(job))
    job = job.with_logger_defs({**job.loggers, "progress": progress_logger(progress)})
    # Dagster's event log goes to the console with --verbose, else to the log file
    loggers: dict[str, Any] = {"progress": {}, "console": {"config": {"log_level": log_level}}}
    run_config: dict[str, Any] = {"loggers": loggers}
    if full:
        run_config["ops"] = {"observations": {"config": {"full_refresh": True}}}
    log_path = None if verbose else _log_path(home)
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(log_path.open("w", encoding="utf-8")) if log_path else None
        try:
            with _output_to(log):
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
        if log_path:
            print(f"provstats: full log {log_path}", file=sys.stderr)
        print(f"provstats: {_failure_reason(result)}", file=sys.stderr)
        return EXIT_FAILED

    counts = warehouse_summary(warehouse)
    passed, problems = _check_summary(result)

    def shown(key: str) -> str:
        value = counts.get(key)
        return "-" if value is None else f"{value:,}"

    errors = progress.extraction_errors
    failed = max(progress.documents_failed, len(errors))
    outcome = "succeeded" if not failed else "succeeded with extraction errors"
    print(f"\nprovstats: {job_name} {outcome} in {seconds:.0f}s (run {result.run_id})")
    print(f"  documents     {shown('documents')}")
    print(f"  quarantined   {shown('quarantined')}")
    print(f"  observations  {shown('observations')}")
    print(f"  periods       {shown('periods')}")
    if failed:
        print(f"  extraction    {failed} document{'s' if failed > 1 else ''} failed "
              "(kept their previous observations; retried on the next refresh):")
        for source_id, error in errors:
            print(f"    {source_id}: {error}")
    print(f"  dbt           {progress.dbt_summary()}")
    print(f"  checks        {passed} passed, {len(problems)} not passed")
    for problem in problems:
        print(f"    {problem}")
    print(f"  warehouse     {warehouse}")
    if log_path:
        print(f"  full log      {log_path}")
    return EXIT_EXTRACTION_ERRORS if failed else EXIT_OK


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
        "-v", "--verbose", action="store_true",
        help="print Dagster's full event log and dbt's output instead of one line per stage",
    )
    refresh_cmd.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="Dagster console log level with --verbose (default INFO)",
    )
    commands.add_parser("paths", help="print the resolved RAW_DIR, WAREHOUSE_PATH, DAGSTER_HOME")
    dev_cmd = commands.add_parser(
        "dev", help="Dagster UI and daemon (dg dev) until Ctrl-C or SIGTERM, then stop all of it"
    )
    dev_cmd.add_argument("--host", default="127.0.0.1", help="address of the UI (127.0.0.1)")
    dev_cmd.add_argument("--port", type=int, default=3000, help="port of the UI (3000)")
    from orchestration import publishing

    publishing.add_commands(commands)
    args = parser.parse_args(argv)
    published = publishing.run_command(args)
    if published is not None:
        return published
    if args.command == "paths":
        print_paths()
        return 0
    if args.command == "dev":
        from orchestration import devserver

        return devserver.run(args.host, args.port)
    return refresh(full=args.full, log_level=args.log_level, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
