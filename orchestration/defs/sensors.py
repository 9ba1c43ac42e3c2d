"""Sensor: refresh the warehouse when the raw folder changes."""

import dagster as dg

from orchestration import settings
from orchestration.defs.jobs import refresh_warehouse
from orchestration.ingest import fingerprint_raw_folder

RAW_FOLDER_SENSOR_INTERVAL_S = 30


@dg.sensor(
    name="raw_folder_sensor",
    job=refresh_warehouse,
    minimum_interval_seconds=RAW_FOLDER_SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Polls the raw folder (RAW_DIR) every 30 s. When its fingerprint (names, sizes and "
        "modification times of the files; no file is opened) differs from the last one "
        "seen, requests a refresh_warehouse run."
    ),
)
def raw_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    raw_dir = settings.raw_dir()
    try:
        fingerprint = fingerprint_raw_folder(raw_dir)
    except FileNotFoundError:
        return dg.SkipReason(f"raw folder {raw_dir} does not exist")
    previous = context.cursor
    if fingerprint == previous:
        return dg.SkipReason(f"raw folder {raw_dir} unchanged")
    # The run key names the transition, not only the new state, so that a folder going
    # back to an earlier state (a file added, then removed) still triggers a refresh,
    # while re-evaluating the same transition never launches a second run.
    run_key = f"{fingerprint[:24]}-after-{(previous or 'start')[:24]}"
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=run_key,
                tags={"provstats/trigger": "raw_folder_sensor",
                      "provstats/raw_fingerprint": fingerprint},
            )
        ],
        cursor=fingerprint,
    )


SENSORS = [raw_folder_sensor]
