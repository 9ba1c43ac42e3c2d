"""Jobs: an incremental refresh of everything, and a full rebuild."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets_ingest import ObservationsConfig

#: Every asset (raw files → landing → dbt seeds, models and tests) and its checks.
ALL_ASSETS = dg.AssetSelection.all()

refresh_warehouse = dg.define_asset_job(
    name="refresh_warehouse",
    selection=ALL_ASSETS,
    description=(
        "Incremental refresh: read the raw folder, extract only new or changed documents, "
        "rebuild the dbt models and run every check."
    ),
)

full_rebuild = dg.define_asset_job(
    name="full_rebuild",
    selection=ALL_ASSETS,
    config=dg.RunConfig(ops={"observations": ObservationsConfig(full_refresh=True)}),
    description=(
        "Like refresh_warehouse, but every document is re-extracted (observations run with "
        "full_refresh=True)."
    ),
)

JOBS = [refresh_warehouse, full_rebuild]
