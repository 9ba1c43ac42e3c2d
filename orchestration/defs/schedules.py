"""Schedule: refresh the warehouse every morning, Vietnam time.

Default status RUNNING: it fires whenever a Dagster daemon runs on this instance
(``make dev``); without a daemon nothing happens. Stop it in the UI (Automation) if
unwanted; the choice is remembered in DAGSTER_HOME.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.jobs import refresh_warehouse

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_warehouse,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Incremental refresh every day at 06:00 Asia/Ho_Chi_Minh.",
)

SCHEDULES = [daily_refresh]
