"""Wall and CPU time of a stage of a run, logged as one line the benchmark can read.

    with timed_stage(context.log, "extraction") as timing:
        ...
    timing.wall_s, timing.cpu_s

CPU time counts this process (every thread) and the child processes the stage waited
for (extraction workers, dbt). The line — ``stage <name>: <wall>s wall, <cpu>s CPU`` —
is what ``scripts/bench_scale.py`` reads from the run's event log.
"""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class StageTiming:
    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0
    #: Added to the measured figures when the block ends (negative: time spent inside the
    #: block on another stage's work, e.g. landing writes interleaved with extraction).
    adjust_wall_s: float = 0.0
    adjust_cpu_s: float = 0.0

    def line(self) -> str:
        return f"stage {self.name}: {self.wall_s:.2f}s wall, {self.cpu_s:.2f}s CPU"


@contextlib.contextmanager
def timed_stage(log: Any, name: str) -> Iterator[StageTiming]:
    """Time the block; log its line at INFO when it ends (also when it raises)."""
    timing = StageTiming(name)
    wall0, cpu0 = time.perf_counter(), _cpu_seconds()
    try:
        yield timing
    finally:
        timing.wall_s = time.perf_counter() - wall0 + timing.adjust_wall_s
        timing.cpu_s = _cpu_seconds() - cpu0 + timing.adjust_cpu_s
        if log is not None:
            log.info(timing.line())
