"""Python stages: raw files → ``landing.source_documents`` → ``landing.observations``.

Both stages read the published warehouse read-only, close that connection, do their
work in memory and then write in ONE ``staged_build`` (a private copy published
atomically). When their input did not change they do not write at all, so a refresh
on unchanged input leaves the landing schema byte-for-byte as it was.
"""

import collections
import dataclasses
import datetime as dt
import time
import traceback
from collections.abc import Iterable
from typing import Any

import dagster as dg
import duckdb
from pydantic import Field

from orchestration import extraction, settings
from orchestration.defs.formatting import markdown_table
from orchestration.defs.resources import WarehouseResource, fetch_dicts, table_exists
from orchestration.ingest import RawScan, scan_raw_folder
from orchestration.ingest.formats import ReadLimits
from orchestration.warehouse.landing import ensure_landing_schema, replace_rows

INGEST_GROUP = "ingest"

#: Columns of landing.source_documents compared to decide whether a document changed
#: (``text`` is covered by ``text_sha256``; ``ingested_at`` is bookkeeping).
_DOCUMENT_COMPARED = (
    "file_name", "content_sha256", "text_sha256", "byte_size", "encoding", "media_type",
    "char_count", "title", "published_date", "published_date_evidence", "source_kind",
    "duplicate_of",
)
_QUARANTINE_COMPARED = ("file_name", "reason", "content_sha256", "byte_size")


def _now() -> dt.datetime:
    """UTC wall-clock time as a naive timestamp (landing columns are ``timestamp``)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _in_list(column: str) -> str:
    """SQL predicate ``column`` ∈ the list passed as the single parameter."""
    return f"list_contains(?::varchar[], {column})"


# ------------------------------------------------------------------------ raw_documents


def _landing_rows(scan: RawScan, previous_docs: dict[str, dict], previous_quar: dict[str, dict],
                  now: dt.datetime) -> tuple[list[dict], list[dict]]:
    """Rows for both landing tables, keeping the timestamps of unchanged files."""
    documents = []
    for doc in scan.documents:
        row = dataclasses.asdict(doc)
        before = previous_docs.get(doc.source_id)
        # same bytes decoded to the same text: the row is the one ingested before (a new
        # decoder giving another text for the same bytes counts as a new ingestion, which
        # makes the observations stage re-extract the document)
        keep = (before is not None and before["content_sha256"] == doc.content_sha256
                and before["text_sha256"] == doc.text_sha256)
        row["ingested_at"] = before["ingested_at"] if keep else now
        documents.append(row)
    quarantined = []
    for bad in scan.quarantined:
        row = dataclasses.asdict(bad)
        before = previous_quar.get(bad.source_id)
        keep = before is not None and all(before[c] == row[c] for c in _QUARANTINE_COMPARED)
        row["detected_at"] = before["detected_at"] if keep else now
        quarantined.append(row)
    return documents, quarantined


def _same_rows(new: list[dict], old: dict[str, dict], columns: Iterable[str]) -> bool:
    columns = tuple(columns)
    if {r["source_id"] for r in new} != set(old):
        return False
    return all(all(r[c] == old[r["source_id"]][c] for c in columns) for r in new)


@dg.asset(
    group_name=INGEST_GROUP,
    kinds={"python", "duckdb"},
    description=(
        "Every file of the raw folder (RAW_DIR) read into `landing.source_documents` "
        "(decoded text, encoding, title, publication date, duplicates) or, if it cannot be "
        "read, into `landing.quarantined_files` with the reason. One bad file never stops "
        "the others. Unchanged input writes nothing."
    ),
)
def raw_documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    raw_dir = settings.raw_dir()
    if not raw_dir.is_dir():
        raise dg.Failure(
            description=(
                f"raw folder {raw_dir} does not exist or is not a folder: create it or set "
                "RAW_DIR; the warehouse was not changed"
            ),
            metadata={"raw_dir": str(raw_dir)},
        )
    try:
        settings.check_warehouse_outside_raw_dir()
        max_bytes = settings.max_file_bytes()
        limits = ReadLimits(settings.max_pdf_pages(), settings.read_timeout_s())
    except ValueError as error:
        raise dg.Failure(description=f"{error}; the warehouse was not changed") from None
    started = time.perf_counter()
    scan = scan_raw_folder(raw_dir, max_bytes=max_bytes, limits=limits)
    scan_seconds = time.perf_counter() - started
    for bad in scan.quarantined:
        context.log.warning(f"quarantined {bad.source_id}: {bad.reason}")
    for skipped in scan.skipped:
        context.log.info(f"skipped {skipped.source_id}: {skipped.reason}")
    context.log.info(
        f"read {len(scan.documents)} documents and quarantined {len(scan.quarantined)} "
        f"files from {raw_dir} in {scan_seconds:.2f}s"
    )

    previous_docs: dict[str, dict] = {}
    previous_quar: dict[str, dict] = {}
    with warehouse.read_only() as con:
        landed_before = table_exists(con, "landing", "source_documents") and table_exists(
            con, "landing", "quarantined_files"
        )
        if table_exists(con, "landing", "source_documents"):
            cols = ", ".join(("source_id", "ingested_at", *_DOCUMENT_COMPARED))
            previous_docs = {
                r["source_id"]: r
                for r in fetch_dicts(con, f"select {cols} from landing.source_documents")
            }
        if table_exists(con, "landing", "quarantined_files"):
            previous_quar = {
                r["source_id"]: r
                for r in fetch_dicts(con, "select * from landing.quarantined_files")
            }

    documents, quarantined = _landing_rows(scan, previous_docs, previous_quar, _now())
    unchanged = (
        landed_before
        and _same_rows(documents, previous_docs, _DOCUMENT_COMPARED)
        and _same_rows(quarantined, previous_quar, _QUARANTINE_COMPARED)
    )
    new_ids = {d["source_id"] for d in documents}
    added = sorted(new_ids - set(previous_docs))
    removed = sorted(set(previous_docs) - new_ids)
    changed = sorted(
        d["source_id"] for d in documents
        if d["source_id"] in previous_docs
        and any(previous_docs[d["source_id"]][c] != d[c]
                for c in ("content_sha256", "text_sha256"))
    )

    if unchanged:
        summary = "raw folder unchanged: the warehouse was not written"
        context.log.info(summary)
    else:
        with warehouse.staged_build("raw_documents") as build_path:
            con = duckdb.connect(str(build_path))
            try:
                ensure_landing_schema(con)
                con.execute("begin transaction")
                replace_rows(con, "source_documents", documents)
                replace_rows(con, "quarantined_files", quarantined)
                con.execute("commit")
            finally:
                con.close()
        summary = (
            f"wrote {len(documents)} documents ({len(added)} new, {len(changed)} changed, "
            f"{len(removed)} removed) and {len(quarantined)} quarantined files"
        )
        context.log.info(summary)

    encodings = collections.Counter(d["encoding"] for d in documents)
    return dg.MaterializeResult(
        metadata={
            "summary": summary,
            "raw_dir": dg.MetadataValue.path(str(raw_dir)),
            "warehouse": dg.MetadataValue.path(str(warehouse.published_path)),
            "warehouse_written": not unchanged,
            "documents_read": len(documents),
            "quarantined_count": len(quarantined),
            "duplicates": sum(1 for d in documents if d["duplicate_of"]),
            "documents_added": len(added),
            "documents_changed": len(changed),
            "documents_removed": len(removed),
            "total_characters": sum(d["char_count"] for d in documents),
            "encodings": dg.MetadataValue.md(
                markdown_table(["encoding", "documents"], sorted(encodings.items()))
            ),
            "quarantined_files": dg.MetadataValue.md(
                markdown_table(["file", "reason"], [(q["source_id"], q["reason"])
                                                    for q in quarantined])
            ),
            "skipped_count": len(scan.skipped),
            "skipped_files": dg.MetadataValue.md(
                markdown_table(["file", "reason"], [(f.source_id, f.reason)
                                                    for f in scan.skipped])
            ),
            "documents": dg.MetadataValue.md(
                markdown_table(
                    ["source_id", "encoding", "characters", "published", "kind", "duplicate_of",
                     "title"],
                    [(d["source_id"], d["encoding"], f"{d['char_count']:,}",
                      d["published_date"], d["source_kind"], d["duplicate_of"], d["title"])
                     for d in documents],
                )
            ),
            "scan_seconds": round(scan_seconds, 3),
        }
    )


# ------------------------------------------------------------------------- observations


class ObservationsConfig(dg.Config):
    full_refresh: bool = Field(
        default=False,
        description=(
            "Re-extract every document, even those whose content and extractor version "
            "are unchanged since their last extraction."
        ),
    )


@dataclasses.dataclass
class _Plan:
    """What an incremental run has to do, decided from the published warehouse."""

    documents: dict[str, dict]  # source_id -> source_documents row (no text)
    to_extract: list[str]
    unchanged: list[str]
    duplicates: list[str]
    to_retract: list[str]
    periods_consistent: bool
    observations_before: int


def _plan(con: duckdb.DuckDBPyConnection | None, version: str, full_refresh: bool) -> _Plan:
    documents: dict[str, dict] = {}
    state: dict[str, tuple[str, str]] = {}
    extracted_at: dict[str, dt.datetime] = {}
    with_observations: set[str] = set()
    periods_consistent = True
    observations_before = 0
    if table_exists(con, "landing", "source_documents"):
        documents = {
            r["source_id"]: r
            for r in fetch_dicts(
                con,
                "select source_id, content_sha256, duplicate_of, published_date, title, "
                "char_count, ingested_at from landing.source_documents order by source_id",
            )
        }
    if table_exists(con, "landing", "extraction_state"):
        for sid, sha, ver, at in con.execute(
            "select source_id, content_sha256, extractor_version, extracted_at "
            "from landing.extraction_state"
        ).fetchall():
            state[sid] = (sha, ver)
            extracted_at[sid] = at
    if table_exists(con, "landing", "observations"):
        with_observations = {
            r[0] for r in con.execute("select distinct source_id from landing.observations")
            .fetchall()
        }
        observations_before = con.execute("select count(*) from landing.observations").fetchone()[0]
        if table_exists(con, "landing", "periods"):
            referenced = {r[0] for r in con.execute(_REFERENCED_PERIODS_SQL).fetchall()}
            present = {r[0] for r in con.execute("select period_code from landing.periods")
                       .fetchall()}
            periods_consistent = referenced == present
        else:
            periods_consistent = observations_before == 0

    extractable = [sid for sid, d in documents.items() if not d["duplicate_of"]]
    duplicates = [sid for sid, d in documents.items() if d["duplicate_of"]]

    def stale(sid: str) -> bool:
        doc = documents[sid]
        return (
            state.get(sid) != (doc["content_sha256"], version)
            # re-ingested (decoded text changed) after its last extraction
            or extracted_at[sid] < doc["ingested_at"]
        )

    to_extract = [sid for sid in extractable if full_refresh or stale(sid)]
    unchanged = [sid for sid in extractable if sid not in set(to_extract)]
    to_retract = sorted((set(state) | with_observations) - set(extractable))
    return _Plan(documents, to_extract, unchanged, duplicates, to_retract,
                 periods_consistent, observations_before)


_REFERENCED_PERIODS_SQL = """
    select period_code from landing.observations
    union
    select base_period_code from landing.observations where base_period_code is not null
"""


def _stats(con: duckdb.DuckDBPyConnection | None) -> dict[str, Any]:
    if not table_exists(con, "landing", "observations"):
        return {"total": 0, "unassigned": 0, "by_indicator": [], "periods": 0}
    total, unassigned = con.execute(
        "select count(*), count(*) filter (where indicator_code is null) "
        "from landing.observations"
    ).fetchone()
    by_indicator = con.execute(
        "select coalesce(indicator_code, '(unassigned)'), count(*) from landing.observations "
        "group by 1 order by 2 desc, 1"
    ).fetchall()
    periods = (con.execute("select count(*) from landing.periods").fetchone()[0]
               if table_exists(con, "landing", "periods") else 0)
    return {"total": total, "unassigned": unassigned, "by_indicator": by_indicator,
            "periods": periods}


def _unique_by_id(rows: list[dict], source_id: str, log: Any) -> list[dict]:
    """Drop rows repeating an earlier row's observation_id (same span, indicator and
    measure): the id is the primary key of landing.observations."""
    seen: dict[str, dict] = {}
    for row in rows:
        if row["observation_id"] in seen:
            log.warning(
                f"{source_id}: extractor returned two observations with id "
                f"{row['observation_id']} (span {row['span_start']}-{row['span_end']}, "
                f"{row['indicator_code']}, {row['measure']}); keeping the first"
            )
            continue
        seen[row["observation_id"]] = row
    return list(seen.values())


EXTRACTION_ERRORS_CHECK = "extraction_errors"

#: The daily schedule refreshes at 06:00; warn after 24 h without a materialisation,
#: fail after 26 h. Evaluated by the freshness daemon that ``dagster dev`` runs (the
#: Dagster 1.12+ replacement of ``build_last_update_freshness_checks`` + its sensor).
OBSERVATIONS_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=dt.timedelta(hours=26), warn_window=dt.timedelta(hours=24)
)


@dg.asset(
    deps=[raw_documents],
    group_name=INGEST_GROUP,
    kinds={"python", "duckdb"},
    code_version=extraction.EXTRACTOR_VERSION,
    freshness_policy=OBSERVATIONS_FRESHNESS,
    description=(
        "Quantitative statements extracted from every document into "
        "`landing.observations` (with `landing.periods` and `landing.extraction_state`). "
        "Incremental: only documents whose content or extractor version changed are "
        "re-extracted, exact duplicates are skipped, observations of removed documents are "
        "retracted; run config `full_refresh: true` re-extracts everything."
    ),
    check_specs=[
        dg.AssetCheckSpec(
            EXTRACTION_ERRORS_CHECK,
            asset="observations",
            description=(
                "The extractor did not raise on any document (a document it fails on keeps "
                "its previous observations and is retried on the next run)."
            ),
        )
    ],
)
def observations(
    context: dg.AssetExecutionContext, config: ObservationsConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    version = extraction.EXTRACTOR_VERSION
    with warehouse.read_only() as con:
        plan = _plan(con, version, config.full_refresh)
        texts = (
            dict(con.execute(
                "select source_id, text from landing.source_documents "
                f"where {_in_list('source_id')}", [plan.to_extract],
            ).fetchall())
            if plan.to_extract else {}
        )
        stats_before = _stats(con)

    context.log.info(
        f"{len(plan.documents)} documents: {len(plan.to_extract)} to extract, "
        f"{len(plan.unchanged)} unchanged, {len(plan.duplicates)} exact duplicates skipped, "
        f"{len(plan.to_retract)} to retract (extractor {version}"
        f"{', full refresh' if config.full_refresh else ''})"
    )

    new_rows: list[dict] = []
    state_rows: list[dict] = []
    new_periods: dict[str, dict] = {}
    extracted: list[tuple[str, int, int, float]] = []
    errors: dict[str, str] = {}
    started = time.perf_counter()
    for i, sid in enumerate(plan.to_extract, 1):
        doc, text = plan.documents[sid], texts[sid]
        t0 = time.perf_counter()
        try:
            found = extraction.extract_observations(
                text, published_date=doc["published_date"], title=doc["title"],
                source_id=sid, default_geo=settings.default_geo(),
            )
            rows = [o.to_row(sid, doc["content_sha256"], version) for o in found]
            periods = {
                p.code: p.to_row()
                for o in found for p in (o.period, o.base_period) if p is not None
            }
        except Exception as exc:  # one document never stops the others
            errors[sid] = f"{type(exc).__name__}: {exc}"
            context.log.error(
                f"[{i}/{len(plan.to_extract)}] {sid}: extraction failed, keeping its previous "
                f"observations: {errors[sid]}\n{traceback.format_exc()}"
            )
            continue
        rows = _unique_by_id(rows, sid, context.log)
        seconds = time.perf_counter() - t0
        new_rows.extend(rows)
        new_periods.update(periods)
        state_rows.append({
            "source_id": sid,
            "content_sha256": doc["content_sha256"],
            "extractor_version": version,
            "observation_count": len(rows),
            "extracted_at": _now(),
        })
        extracted.append((sid, len(rows), len(text), seconds))
        context.log.info(
            f"[{i}/{len(plan.to_extract)}] {sid}: {len(rows)} observations from "
            f"{len(text):,} characters in {seconds:.2f}s"
        )
    extraction_seconds = time.perf_counter() - started

    touched = sorted({sid for sid, *_ in extracted} | set(plan.to_retract))
    must_write = bool(touched) or not plan.periods_consistent
    removed = 0
    if must_write:
        with warehouse.staged_build("observations") as build_path:
            con = duckdb.connect(str(build_path))
            try:
                ensure_landing_schema(con)
                con.execute("begin transaction")
                removed = con.execute(
                    f"select count(*) from landing.observations where {_in_list('source_id')}",
                    [touched],
                ).fetchone()[0]
                replace_rows(con, "observations", new_rows,
                             where=_in_list("source_id"), params=[touched])
                replace_rows(con, "extraction_state", state_rows,
                             where=_in_list("source_id"), params=[touched])
                _rebuild_periods(con, new_periods, context.log)
                con.execute("commit")
                stats = _stats(con)
            finally:
                con.close()
        summary = (
            f"extracted {len(extracted)} documents, retracted {len(plan.to_retract)}: "
            f"{len(new_rows)} observations written, {removed} replaced or removed"
        )
    else:
        stats = stats_before
        summary = "nothing changed: no extraction, the warehouse was not written"
    context.log.info(summary)

    return dg.MaterializeResult(
        metadata={
            "summary": summary,
            "warehouse_written": must_write,
            "full_refresh": config.full_refresh,
            "extractor_version": version,
            "documents": len(plan.documents),
            "documents_extracted": len(extracted),
            "documents_skipped_unchanged": len(plan.unchanged),
            "documents_skipped_duplicate": len(plan.duplicates),
            "documents_retracted": len(plan.to_retract),
            "documents_failed": len(errors),
            "observations_total": stats["total"],
            "observations_written": len(new_rows),
            "observations_removed": removed,
            "unassigned_numbers": stats["unassigned"],
            "periods": stats["periods"],
            "observations_by_indicator": dg.MetadataValue.md(
                markdown_table(["indicator_code", "observations"], stats["by_indicator"])
            ),
            "extracted_documents": dg.MetadataValue.md(
                markdown_table(
                    ["source_id", "observations", "characters", "seconds"],
                    [(s, n, f"{c:,}", f"{t:.2f}") for s, n, c, t in extracted],
                )
            ),
            "retracted_documents": dg.MetadataValue.md(
                markdown_table(["source_id"], [(s,) for s in plan.to_retract])
            ),
            "extraction_seconds": round(extraction_seconds, 3),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=EXTRACTION_ERRORS_CHECK,
                passed=not errors,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "failed_documents": len(errors),
                    "errors": dg.MetadataValue.md(
                        markdown_table(["source_id", "error"], sorted(errors.items()))
                    ),
                },
            )
        ],
    )


def _rebuild_periods(con: duckdb.DuckDBPyConnection, new_periods: dict[str, dict],
                     log: Any) -> None:
    """Make landing.periods exactly the periods the observations reference: rows of this
    run's Period objects, else the existing row of a code still referenced."""
    referenced = sorted(r[0] for r in con.execute(_REFERENCED_PERIODS_SQL).fetchall())
    existing = {r["period_code"]: r for r in fetch_dicts(con, "select * from landing.periods")}
    rows, missing = [], []
    for code in referenced:
        row = new_periods.get(code) or existing.get(code)
        if row is None:
            missing.append(code)
        else:
            rows.append(row)
    if missing:
        log.warning(f"no period definition for referenced period codes {missing}")
    replace_rows(con, "periods", rows)
