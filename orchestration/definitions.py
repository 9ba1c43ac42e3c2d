"""The Dagster code location of provstats: one ``Definitions`` named ``defs``.

    dagster dev -m orchestration.definitions      (or: make dev / dg dev)

Assembled from the small modules of :mod:`orchestration.defs`.

Runs use the in-process executor: the steps write one warehouse file one after the
other anyway (the writer lock serialises them), a single process loads the definitions
(and, under ``dagster dev``, re-parses the dbt project) once per run instead of once per
step, and the writing steps of a run share one build copy of the warehouse, held open in
that process from the first write to the publication (``defs/run_writes.py``).
Extraction uses both cores through its own worker processes inside ``observations``.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets_dbt import dbt_warehouse
from orchestration.defs.assets_ingest import observations, raw_documents
from orchestration.defs.checks import ASSET_CHECKS
from orchestration.defs.jobs import JOBS
from orchestration.defs.resources import RESOURCES
from orchestration.defs.schedules import SCHEDULES
from orchestration.defs.sensors import SENSORS

defs = dg.Definitions(
    assets=[raw_documents, observations, dbt_warehouse],
    asset_checks=ASSET_CHECKS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=RESOURCES,
    executor=dg.in_process_executor,
)
