"""Asset checks on the landing data (dbt tests become checks of their own via dagster-dbt).

Every check reads what its run produced — the run's unpublished build when a step of the
run wrote one (it is published only when the run's last writing step succeeds), else the
published warehouse — through a read-only connection that it closes before returning.

A check's result depends on the landing tables only, so it is remembered per landing
version (``pipeline.state``, a new value whenever a Python stage writes the landing
schema) in ``.<warehouse>.checks.json`` next to the warehouse: a refresh with nothing new
reports the same results — failures included — without reading the data again, and says
so in the metadata (``evaluated``).
"""

import datetime as dt
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from orchestration.defs.assets_ingest import observations, raw_documents
from orchestration.defs.formatting import markdown_table
from orchestration.defs.resources import WarehouseResource, table_exists
from orchestration.warehouse.landing import LANDING_VERSION, read_state

#: Plausible range of a growth rate in percent (a fall cannot exceed 100 %).
GROWTH_MEASURES = ("yoy_pct", "change_pct", "avg_annual_growth_pct")
GROWTH_MIN, GROWTH_MAX = -100.0, 1000.0
#: GRDP components whose shares must add up to 100 %.
GRDP_COMPONENTS = (
    "grdp_agriculture", "grdp_industry_construction", "grdp_services", "grdp_product_taxes",
)
SHARE_TOLERANCE_PP = 1.5
#: How many offending rows a check lists in its metadata.
SHOWN = 50
#: Documents whose texts the span check fetches at a time.
SPAN_CHECK_BATCH = 200
_DIGIT = re.compile(r"[0-9]")

Evaluation = Callable[[duckdb.DuckDBPyConnection], dg.AssetCheckResult]


# ----------------------------------------------------------------- results per version


def check_cache_path(warehouse: Path) -> Path:
    """Where the check results of ``warehouse`` are remembered: next to it, hidden."""
    return warehouse.with_name(f".{warehouse.name}.checks.json")


def _metadata_to_json(metadata: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in metadata.items():
        if isinstance(value, dg.MarkdownMetadataValue):
            out[key] = {"md": value.md_str}
        else:
            out[key] = getattr(value, "value", value)
    return out


def _metadata_from_json(metadata: dict[str, Any]) -> dict[str, Any]:
    return {key: dg.MetadataValue.md(value["md"]) if isinstance(value, dict) and "md" in value
            else value for key, value in metadata.items()}


def _load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(path: Path, version: str, name: str, result: dg.AssetCheckResult) -> None:
    data = _load_cache(path)
    if data.get("landing_version") != version:
        data = {"landing_version": version, "results": {}}
    data["results"][name] = {
        "passed": result.passed,
        "severity": result.severity.value,
        "metadata": _metadata_to_json(dict(result.metadata or {})),
        "evaluated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):  # best effort: evaluated again next time
        tmp.unlink(missing_ok=True)


def _recalled(path: Path, version: str, name: str) -> dg.AssetCheckResult | None:
    data = _load_cache(path)
    if data.get("landing_version") != version:
        return None
    found = (data.get("results") or {}).get(name)
    if not found:
        return None
    metadata = _metadata_from_json(found.get("metadata") or {})
    metadata["evaluated"] = (f"{found.get('evaluated_at')}: the landing tables have not "
                             "changed since")
    return dg.AssetCheckResult(passed=bool(found["passed"]),
                               severity=dg.AssetCheckSeverity(found["severity"]),
                               metadata=metadata)


def _checked(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, name: str,
             required: tuple[str, ...], evaluate: Evaluation) -> dg.AssetCheckResult:
    """Run ``evaluate`` on what the run sees, or recall its result for this landing
    version; a note instead when a required landing table does not exist yet."""
    cache = check_cache_path(warehouse.published_path)
    with warehouse.read_only(context.run.run_id) as con:
        for table in required:
            if not table_exists(con, "landing", table):
                return dg.AssetCheckResult(
                    passed=True, metadata={"note": f"landing.{table} not built yet"})
        version = read_state(con).get(LANDING_VERSION)
        if version:
            recalled = _recalled(cache, version, name)
            if recalled is not None:
                return recalled
        result = evaluate(con)
    if version:
        _remember(cache, version, name, result)
    return result


# --------------------------------------------------------------------------- checks


@dg.asset_check(
    asset=raw_documents,
    name="no_quarantined_files",
    description="No raw file was quarantined (lists every quarantined file with the reason).",
)
def no_quarantined_files(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    def evaluate(con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        rows = con.execute(
            "select source_id, reason from landing.quarantined_files order by source_id"
        ).fetchall()
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "quarantined_count": len(rows),
                "quarantined_files": dg.MetadataValue.md(
                    markdown_table(["file", "reason"], rows)),
            },
        )

    return _checked(context, warehouse, "no_quarantined_files", ("quarantined_files",),
                    evaluate)


def bad_spans(
    con: duckdb.DuckDBPyConnection, source_ids: Collection[str] | None = None
) -> tuple[int, list[tuple]]:
    """(observations checked, the observations whose span does not slice its document's
    text to a mention with a digit), over every observation or those of ``source_ids``.
    One pass over the observations and the texts in source_id order, a document's text in
    memory only while its observations are checked: Python slices a text in constant
    time, where SQL's substring() walks the UTF-8 text up to the offset (10 s for 373,000
    observations in 10,000 documents, against 1.5 s)."""
    only = "" if source_ids is None else "where source_id in (select unnest(?::varchar[]))"
    params = [] if source_ids is None else [sorted(source_ids)]
    observations = con.cursor()
    texts = con.cursor()
    try:
        observations.execute(
            "select observation_id, source_id, span_start, span_end, mention "
            f"from landing.observations {only} order by source_id, span_start", params)
        texts.execute(
            "select source_id, text from landing.source_documents where source_id in "
            f"(select source_id from landing.observations {only}) order by source_id", params)
        checked, bad = 0, []
        text_id, text = None, None
        pending_texts: list[tuple[str, str]] = []
        while rows := observations.fetchmany(SPAN_CHECK_BATCH * 20):
            for observation_id, source_id, start, end, mention in rows:
                checked += 1
                while text_id is None or text_id < source_id:
                    if not pending_texts:
                        pending_texts = texts.fetchmany(SPAN_CHECK_BATCH)[::-1]
                        if not pending_texts:
                            text_id, text = "\U0010ffff", None  # past the last document
                            break
                    text_id, text = pending_texts.pop()
                if text_id != source_id:
                    problem, piece = "document not in source_documents", ""
                else:
                    piece = text[start:end]
                    problem = (
                        "span outside the text" if not (0 <= start < end <= len(text))
                        else "no digit in the span" if not _DIGIT.search(piece)
                        else "span text differs from mention" if piece != mention
                        else None)
                if problem:
                    bad.append((observation_id, source_id, start, end, mention, piece, problem))
        return checked, bad
    finally:
        observations.close()
        texts.close()


def span_memory_path(warehouse: Path) -> Path:
    """Where the span check remembers what it checked: next to the warehouse, hidden."""
    return warehouse.with_name(f".{warehouse.name}.span-check.json")


def bad_spans_since(
    con: duckdb.DuckDBPyConnection, memory_path: Path
) -> tuple[int, int, int, list[tuple]]:
    """:func:`bad_spans` of the documents whose extraction was not checked before:
    (observations checked, documents checked, documents unchanged since they were
    checked, every bad span — found now, or found before in a document unchanged since).

    A document's observations are written with its extraction time
    (``landing.extraction_state.extracted_at``) and never change without it, so a
    document is checked once per extraction: a refresh with one new document checks that
    document (the whole check took 0.8 s at 10,000 documents). ``memory_path`` keeps the
    (document, extraction time) pairs checked and the bad spans found; a missing or
    unreadable file means every document is checked. Observations of a document without
    an extraction state are always checked."""
    current = {source_id: str(extracted_at) for source_id, extracted_at in con.execute(
        "select source_id, extracted_at from landing.extraction_state").fetchall()}
    orphans = {row[0] for row in con.execute(
        "select distinct source_id from landing.observations where source_id not in "
        "(select source_id from landing.extraction_state)").fetchall()}
    memory = _load_cache(memory_path)
    was_checked = memory.get("checked") if isinstance(memory.get("checked"), dict) else {}
    unchanged = {s for s, at in current.items() if was_checked.get(s) == at} - orphans
    kept = [tuple(row) for row in memory.get("bad") or []
            if isinstance(row, list) and len(row) == 7 and row[1] in unchanged]
    to_check = (set(current) | orphans) - unchanged
    checked, found = bad_spans(con, to_check) if to_check else (0, [])
    bad = sorted(kept + found, key=lambda row: (row[1], row[2], row[0]))
    data = {"checked": current, "bad": bad}
    tmp = memory_path.with_name(memory_path.name + f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, memory_path)
    except (OSError, TypeError, ValueError):  # best effort: everything is checked next time
        tmp.unlink(missing_ok=True)
    return checked, len(to_check), len(unchanged), bad


@dg.asset_check(
    asset=observations,
    name="spans_index_numbers",
    description=(
        "Every observation's span slices `source_documents.text` to text containing a digit, "
        "equal to the observation's `mention` (each document is read once per extraction; "
        "bad spans found earlier in unchanged documents are still reported)."
    ),
)
def spans_index_numbers(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    memory_path = span_memory_path(warehouse.published_path)

    def evaluate(con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        checked, documents, unchanged, bad = bad_spans_since(con, memory_path)
        return dg.AssetCheckResult(
            passed=not bad,
            metadata={
                "observations_checked": checked,
                "documents_checked": documents,
                "documents_unchanged_since_checked": unchanged,
                "bad_spans": len(bad),
                "examples": dg.MetadataValue.md(markdown_table(
                    ["observation_id", "source_id", "start", "end", "mention", "text at span",
                     "problem"], bad[:SHOWN])),
            },
        )

    return _checked(context, warehouse, "spans_index_numbers",
                    ("observations", "source_documents"), evaluate)


@dg.asset_check(
    asset=observations,
    name="growth_rates_plausible",
    description=(
        f"Growth rates ({', '.join(GROWTH_MEASURES)}) lie within "
        f"{GROWTH_MIN:g}..{GROWTH_MAX:g} %."
    ),
)
def growth_rates_plausible(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    def evaluate(con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        measures = ", ".join(f"'{m}'" for m in GROWTH_MEASURES)
        checked = con.execute(
            f"select count(*) from landing.observations where measure in ({measures})"
        ).fetchone()[0]
        bad = con.execute(
            f"""
            select observation_id, source_id, indicator_code, measure, value, mention
            from landing.observations
            where measure in ({measures})
              and (value < ? or value > ? or value_low < ? or value_high > ?)
            order by source_id, span_start
            """,
            [GROWTH_MIN, GROWTH_MAX, GROWTH_MIN, GROWTH_MAX],
        ).fetchall()
        return dg.AssetCheckResult(
            passed=not bad,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "growth_observations": checked,
                "implausible": len(bad),
                "examples": dg.MetadataValue.md(markdown_table(
                    ["observation_id", "source_id", "indicator", "measure", "value", "mention"],
                    bad[:SHOWN])),
            },
        )

    return _checked(context, warehouse, "growth_rates_plausible", ("observations",), evaluate)


@dg.asset_check(
    asset=observations,
    name="grdp_shares_sum_to_100",
    description=(
        "Where a document gives the GRDP share (`share_pct`) of all four components "
        f"({', '.join(GRDP_COMPONENTS)}) for one place, period and status, they add up to "
        f"100 ± {SHARE_TOLERANCE_PP:g} %."
    ),
)
def grdp_shares_sum_to_100(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    def evaluate(con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        codes = ", ".join(f"'{c}'" for c in GRDP_COMPONENTS)
        rows = con.execute(
            f"""
            select source_id, geo_code, period_code, status, indicator_code, avg(value)
            from landing.observations
            where measure = 'share_pct' and indicator_code in ({codes}) and value is not null
            group by all
            """
        ).fetchall()
        groups: dict[tuple, dict[str, float]] = defaultdict(dict)
        for source_id, geo, period, status, code, value in rows:
            groups[(source_id, geo, period, status)][code] = value
        complete = {k: v for k, v in groups.items() if len(v) == len(GRDP_COMPONENTS)}
        bad = sorted(
            (*key, round(sum(shares.values()), 2))
            for key, shares in complete.items()
            if abs(sum(shares.values()) - 100.0) > SHARE_TOLERANCE_PP
        )
        return dg.AssetCheckResult(
            passed=not bad,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "complete_groups": len(complete),
                "groups_off_100": len(bad),
                "examples": dg.MetadataValue.md(markdown_table(
                    ["source_id", "geo", "period", "status", "sum of shares"], bad[:SHOWN])),
            },
        )

    return _checked(context, warehouse, "grdp_shares_sum_to_100", ("observations",), evaluate)


@dg.asset_check(
    asset=observations,
    name="periods_defined",
    description="Every period and base period of an observation has its row in landing.periods.",
)
def periods_defined(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    def evaluate(con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        if not table_exists(con, "landing", "periods"):
            return dg.AssetCheckResult(passed=False, metadata={"note": "no landing.periods"})
        missing = con.execute(
            """
            select code, count(*) from (
                select period_code as code from landing.observations
                union all
                select base_period_code from landing.observations
                where base_period_code is not null
            ) used
            where code not in (select period_code from landing.periods)
            group by code order by code
            """
        ).fetchall()
        periods = con.execute("select count(*) from landing.periods").fetchone()[0]
        return dg.AssetCheckResult(
            passed=not missing,
            metadata={
                "periods": periods,
                "undefined_codes": len(missing),
                "examples": dg.MetadataValue.md(
                    markdown_table(["period_code", "uses"], missing[:SHOWN])
                ),
            },
        )

    return _checked(context, warehouse, "periods_defined", ("observations",), evaluate)


ASSET_CHECKS = [
    no_quarantined_files,
    spans_index_numbers,
    growth_rates_plausible,
    grdp_shares_sum_to_100,
    periods_defined,
]
