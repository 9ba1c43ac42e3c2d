"""Paths every entry point agrees on (main job, Dagster UI, dbt, notebooks, tests).

Environment variables override the defaults:

* ``RAW_DIR``         folder of raw source documents        (default ``<project>/raw``)
* ``WAREHOUSE_PATH``  the published DuckDB warehouse file   (default
  ``<project>/warehouse/provstats.duckdb``)
* ``DAGSTER_HOME``    Dagster instance (run history, schedules, sensor cursors)
  (default ``<project>/.dagster_home``)
* ``PROVSTATS_LOCK_TIMEOUT_S``  seconds a refresh waits for another writer of the same
  warehouse before failing (default 900)
* ``PROVSTATS_MAX_FILE_BYTES``  raw files larger than this are quarantined unread
  (default 26214400, 25 MiB)
* ``PROVSTATS_MAX_PDF_PAGES``  PDFs with more pages are quarantined unread (default 300)
* ``PROVSTATS_READ_TIMEOUT_S``  seconds reading one PDF/Word/Excel document may take
  before it is quarantined (default 120; checked between pages, rows and tables)
* ``PROVSTATS_DEFAULT_GEO``  ISO 3166-2 code of the place a document is about when
  neither its text nor its folder names one (default ``VN-09``, Lạng Sơn)
* ``PROVSTATS_EXTRACT_WORKERS``  processes extracting documents in parallel (default: the
  number of cores; 1 extracts in the run's own process)
* ``PROVSTATS_EXTRACT_TIMEOUT_S``  time budget of one document's extraction (default 300;
  0 = none)
* ``PROVSTATS_EXTRACT_MAX_CHARS``  size budget: longer documents are not extracted
  (default 5000000; 0 = none)

Relative values are resolved against the current working directory, then made
absolute, so that dbt (which runs in its own working directory) and Dagster always
name the same file.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_WAREHOUSE_NAME = "provstats.duckdb"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default.resolve()


def raw_dir() -> Path:
    """Folder holding the raw source documents."""
    return _env_path("RAW_DIR", PROJECT_ROOT / "raw")


def warehouse_path() -> Path:
    """The published warehouse file that analysts, notebooks and the scorer read."""
    return _env_path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse" / DEFAULT_WAREHOUSE_NAME)


def dagster_home() -> Path:
    """The Dagster instance folder; kept in the project so history survives restarts."""
    return _env_path("DAGSTER_HOME", PROJECT_ROOT / ".dagster_home")


def check_warehouse_outside_raw_dir() -> None:
    """Raise ValueError (one line naming both paths) if the warehouse lies inside the raw
    folder, where it would be read as a raw document. Both paths are compared resolved
    (symbolic links followed)."""
    raw, warehouse = raw_dir(), warehouse_path()
    if warehouse.is_relative_to(raw):
        raise ValueError(
            f"WAREHOUSE_PATH {warehouse} is inside RAW_DIR {raw}: the warehouse would be "
            "read as a raw document; set WAREHOUSE_PATH to a file outside the raw folder"
        )


DEFAULT_LOCK_TIMEOUT_S = 900.0
DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024


def _env_number(name: str, default: float, what: str) -> float:
    """A non-negative number from the environment variable ``name`` (``default`` if unset)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number of {what}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name}={value!r} must be a finite, non-negative number")
    return number


def lock_timeout_s() -> float:
    """Seconds a writer waits for another writer's lock (``PROVSTATS_LOCK_TIMEOUT_S``)."""
    return _env_number("PROVSTATS_LOCK_TIMEOUT_S", DEFAULT_LOCK_TIMEOUT_S, "seconds")


def max_file_bytes() -> int:
    """Largest raw file that is read (``PROVSTATS_MAX_FILE_BYTES``); larger ones are
    quarantined without being read into memory."""
    return int(_env_number("PROVSTATS_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES, "bytes"))


DEFAULT_MAX_PDF_PAGES = 300
DEFAULT_READ_TIMEOUT_S = 120.0


def max_pdf_pages() -> int:
    """Most pages a PDF may have to be read (``PROVSTATS_MAX_PDF_PAGES``)."""
    return int(_env_number("PROVSTATS_MAX_PDF_PAGES", DEFAULT_MAX_PDF_PAGES, "pages"))


def read_timeout_s() -> float:
    """Seconds reading one PDF, Word or Excel document may take
    (``PROVSTATS_READ_TIMEOUT_S``)."""
    return _env_number("PROVSTATS_READ_TIMEOUT_S", DEFAULT_READ_TIMEOUT_S, "seconds")


DEFAULT_GEO = "VN-09"
_GEO_CODE = re.compile(r"VN(-[0-9A-Z]{2})?")


def default_geo() -> str:
    """The place of a document whose text and folder name none (``PROVSTATS_DEFAULT_GEO``,
    an ISO 3166-2 code such as ``VN-09``, or ``VN`` for national documents)."""
    value = os.environ.get("PROVSTATS_DEFAULT_GEO", "").strip()
    if not value:
        return DEFAULT_GEO
    if not _GEO_CODE.fullmatch(value):
        raise ValueError(
            f"PROVSTATS_DEFAULT_GEO={value!r} is not an ISO 3166-2 code of Viet Nam "
            "(e.g. VN-09, VN-HN, or VN)"
        )
    return value


DEFAULT_EXTRACT_TIMEOUT_S = 300.0
DEFAULT_EXTRACT_MAX_CHARS = 5_000_000


def extract_workers() -> int | None:
    """Worker processes for extraction (``PROVSTATS_EXTRACT_WORKERS``); None = one per core."""
    value = os.environ.get("PROVSTATS_EXTRACT_WORKERS", "").strip()
    if not value:
        return None
    number = _env_number("PROVSTATS_EXTRACT_WORKERS", 0, "processes")
    if number != int(number) or number < 1:
        raise ValueError(f"PROVSTATS_EXTRACT_WORKERS={value!r} must be a whole number >= 1")
    return int(number)


def extract_timeout_s() -> float:
    """Seconds one document's extraction may take (``PROVSTATS_EXTRACT_TIMEOUT_S``;
    0 = no limit). A document over the budget is recorded as an extraction error."""
    return _env_number("PROVSTATS_EXTRACT_TIMEOUT_S", DEFAULT_EXTRACT_TIMEOUT_S, "seconds")


def extract_max_chars() -> int:
    """Longest document (characters) that is extracted (``PROVSTATS_EXTRACT_MAX_CHARS``;
    0 = no limit). A longer one is recorded as an extraction error, not extracted."""
    return int(_env_number("PROVSTATS_EXTRACT_MAX_CHARS", DEFAULT_EXTRACT_MAX_CHARS,
                           "characters"))
