"""Settings every entry point shares (orchestration/settings.py): environment overrides,
defaults, and a clear error for a value that is not a number."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration import settings

NUMBERS: list[tuple[str, Callable[[], float], float, str]] = [
    ("PROVSTATS_LOCK_TIMEOUT_S", settings.lock_timeout_s, settings.DEFAULT_LOCK_TIMEOUT_S,
     "seconds"),
    ("PROVSTATS_MAX_FILE_BYTES", settings.max_file_bytes, settings.DEFAULT_MAX_FILE_BYTES,
     "bytes"),
    ("PROVSTATS_MAX_PDF_PAGES", settings.max_pdf_pages, settings.DEFAULT_MAX_PDF_PAGES,
     "pages"),
    ("PROVSTATS_READ_TIMEOUT_S", settings.read_timeout_s, settings.DEFAULT_READ_TIMEOUT_S,
     "seconds"),
]


@pytest.mark.parametrize(("name", "read", "default", "what"), NUMBERS,
                         ids=[n[0] for n in NUMBERS])
def test_numeric_settings(monkeypatch, name, read, default, what):
    monkeypatch.delenv(name, raising=False)
    assert read() == default
    monkeypatch.setenv(name, "  ")
    assert read() == default
    monkeypatch.setenv(name, "2500")
    assert read() == 2500
    monkeypatch.setenv(name, "soon")
    with pytest.raises(ValueError, match=f"^{name}='soon' is not a number of {what}$"):
        read()
    for bad in ("-1", "inf", "nan"):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValueError,
                           match=f"^{name}='{bad}' must be a finite, non-negative number$"):
            read()


def test_size_limit_is_whole_bytes(monkeypatch):
    monkeypatch.setenv("PROVSTATS_MAX_FILE_BYTES", "1e6")
    assert settings.max_file_bytes() == 1_000_000
    assert isinstance(settings.max_file_bytes(), int)


def test_paths_default_to_the_project_and_resolve_relative_overrides(monkeypatch, tmp_path):
    for name in ("RAW_DIR", "WAREHOUSE_PATH", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert settings.raw_dir() == settings.PROJECT_ROOT / "raw"
    assert settings.warehouse_path() == (
        settings.PROJECT_ROOT / "warehouse" / settings.DEFAULT_WAREHOUSE_NAME)
    assert settings.dagster_home() == settings.PROJECT_ROOT / ".dagster_home"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WAREHOUSE_PATH", "out/w.duckdb")
    assert settings.warehouse_path() == tmp_path.resolve() / "out" / "w.duckdb"
    assert settings.warehouse_path().is_absolute()
    monkeypatch.setenv("RAW_DIR", "~/docs")
    assert settings.raw_dir() == Path("~/docs").expanduser().resolve()
