"""Compact console output of ``python -m orchestration refresh``.

Dagster's console logger prints every event of a run (and dagster-dbt echoes each of
dbt's ~170 lines); on a terminal that buries what matters. :func:`progress_logger` is a
Dagster logger for the CLI instead: one line when a stage (an asset step) starts, one
when it ends with what it did, one per warning or error, and a dbt summary; it also
collects what the final summary needs (the extraction errors, the checks). The full
event log is still in DAGSTER_HOME (the UI shows the run) and in the CLI's log file.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

import dagster as dg

#: What a refresh prints as one line is cut to this many characters.
LINE_WIDTH = 160


def _one_line(text: Any, width: int = LINE_WIDTH) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= width else words[: width - 1] + "…"


def _metadata_value(metadata: Any, key: str) -> Any:
    value = (metadata or {}).get(key)
    return getattr(value, "value", value)


@dataclass
class RunProgress:
    """What the progress logger saw of one run (read by the CLI's summary)."""

    out: TextIO
    stages: list[str]
    started: dict[str, float] = field(default_factory=dict)
    materialized: Counter = field(default_factory=Counter)
    summaries: dict[str, str] = field(default_factory=dict)
    dbt_checks: Counter = field(default_factory=Counter)
    documents_failed: int = 0
    extraction_errors: list[tuple[str, str]] = field(default_factory=list)

    def print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    # -- events ---------------------------------------------------------------------
    def on_event(self, event: dg.DagsterEvent, step: str | None) -> None:
        kind = event.event_type_value
        if kind == "STEP_START" and step in self.stages:
            self.started[step] = time.monotonic()
            number = list(self.started).index(step) + 1
            self.print(f"[{number}/{len(self.stages)}] {step} …")
        elif kind == "ASSET_MATERIALIZATION" and step:
            self.materialized[step] += 1
            metadata = event.event_specific_data.materialization.metadata
            summary = _metadata_value(metadata, "summary")
            if summary:
                self.summaries[step] = str(summary)
            failed = _metadata_value(metadata, "documents_failed")
            if isinstance(failed, int):
                self.documents_failed = failed
        elif kind == "ASSET_CHECK_EVALUATION" and step == "dbt_warehouse":
            evaluation = event.event_specific_data
            if evaluation.passed:
                self.dbt_checks["passed"] += 1
            else:
                self.dbt_checks[evaluation.severity.value.lower()] += 1
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.check_name == "extraction_errors" and not evaluation.passed:
                self.extraction_errors = _table_rows(
                    _metadata_value(evaluation.metadata, "errors"))
        elif kind == "STEP_SUCCESS" and step in self.stages:
            self.print(f"      done in {self._seconds(step)}: {self._result(step)}")
        elif kind == "STEP_FAILURE" and step in self.stages:
            self.print(f"      FAILED after {self._seconds(step)}")

    def on_message(self, record: logging.LogRecord, step: str | None) -> None:
        if record.levelno < logging.WARNING:
            return
        level = "error" if record.levelno >= logging.ERROR else "warning"
        message = str(getattr(record, "dagster_meta", {}).get("orig_message")
                      or record.getMessage())
        first = message.strip().splitlines()[0] if message.strip() else message
        self.print(f"      {level}: {_one_line(first)}")

    # -- text -----------------------------------------------------------------------
    def _seconds(self, step: str) -> str:
        return f"{time.monotonic() - self.started.get(step, time.monotonic()):.1f}s"

    def _result(self, step: str) -> str:
        if step == "dbt_warehouse":
            return f"dbt build: {self.dbt_summary()}"
        return _one_line(self.summaries.get(step) or f"{self.materialized[step]} assets")

    def dbt_summary(self) -> str:
        checks = self.dbt_checks
        total = sum(checks.values())
        parts = [f"{checks['passed']} passed"]
        if checks["warn"]:
            parts.append(f"{checks['warn']} warning{'s' if checks['warn'] > 1 else ''}")
        if checks["error"]:
            parts.append(f"{checks['error']} failed")
        return (f"{self.materialized['dbt_warehouse']} models and seeds built, "
                f"{total} tests ({', '.join(parts)})")


def _table_rows(markdown: Any) -> list[tuple[str, str]]:
    """(source_id, error) rows of the extraction_errors check's Markdown table."""
    rows = []
    for line in str(markdown or "").splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0]:
            rows.append((cells[0], cells[1]))
    return rows


class _Handler(logging.Handler):
    def __init__(self, progress: RunProgress) -> None:
        super().__init__(level=logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        try:
            event = meta.get("dagster_event")
            if event is not None:
                self.progress.on_event(event, meta.get("step_key"))
            else:
                self.progress.on_message(record, meta.get("step_key"))
        except Exception:  # a progress line must never break a run
            self.handleError(record)


def progress_logger(progress: RunProgress) -> dg.LoggerDefinition:
    """A Dagster logger definition feeding ``progress`` (use it in run config as
    ``loggers: {progress: {}}``)."""

    def _make(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.getLogger(f"provstats.progress.{id(progress)}")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        logger.handlers = [_Handler(progress)]
        return logger

    return dg.LoggerDefinition(_make, description="One line per stage (provstats CLI).")


def asset_stages(job: dg.JobDefinition) -> list[str]:
    """Names of the job's steps that materialise assets (not the asset checks)."""
    from dagster._core.definitions.dependency import NodeHandle

    stages = []
    for node in job.graph.nodes:
        keys = job.asset_layer.get_selected_entity_keys_for_node(NodeHandle(node.name, None))
        if any(isinstance(key, dg.AssetKey) for key in keys):
            stages.append(node.name)
    return stages
