"""The ``--vars`` every dbt command of the pipeline gets, in one place.

dbt builds the run's build file (:attr:`Warehouse.build_path`, a stable name next to the
warehouse). dbt re-parses the whole project whenever its ``--vars`` or profile differ
from the previous invocation's ("Unable to do partial parsing because config vars
changed"), so ``make run``'s ``dbt parse``, the manifest preparation and every
``dbt build`` pass exactly these vars.

    python -m orchestration.warehouse.dbt_vars      # print them (used by the Makefile)
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration import settings
from orchestration.warehouse.store import Warehouse


def dbt_build_vars(warehouse_path: Path | str | None = None) -> str:
    """JSON ``--vars`` pointing dbt's profile at the build file of the warehouse."""
    path = Warehouse(warehouse_path or settings.warehouse_path()).build_path
    return json.dumps({"warehouse_path": str(path)})


if __name__ == "__main__":
    print(dbt_build_vars())
