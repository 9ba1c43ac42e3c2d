"""Python stages: raw files → ``landing.source_documents`` → ``landing.observations``.

Both stages read what the run sees (the published warehouse, or the run's build once a
step wrote it) and write only what changed, into the run's ONE build copy (see
:mod:`orchestration.defs.run_writes`), which the run's last writing step publishes. When
their input did not change they do not write at all, so a refresh on unchanged input
leaves the warehouse byte-for-byte as it was.
"""

import collections
import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Iterable, Iterator
from typing import Any

import dagster as dg
import duckdb
from pydantic import Field

from orchestration import extraction, extraction_runner, settings
from orchestration.defs.formatting import markdown_table
from orchestration.defs.resources import WarehouseResource, fetch_dicts, table_exists
from orchestration.defs.run_writes import StepWriter, is_full_rebuild
from orchestration.defs.stage_timing import timed_stage
from orchestration.ingest import RawScan, scan_raw_folder
from orchestration.ingest.formats import ReadLimits
from orchestration.ingest.scan_cache import CachedScan, ScanCache, scan_cache_path
from orchestration.warehouse.landing import (
    ensure_landing_schema,
    mark_landing_changed,
    replace_rows,
)

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


#: Columns a document's row can change without its content or text changing (the scan
#: decides them from the other documents): updated in place, the text is not rewritten.
_RELABELLED = ("duplicate_of",)


@dataclasses.dataclass
class _DocumentDelta:
    """How ``landing.source_documents`` must change, row by row."""

    rewrite: list[dict]  # new documents and documents whose content or text changed
    relabel: list[dict]  # same content and text, only _RELABELLED columns changed
    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def empty(self) -> bool:
        return not (self.rewrite or self.relabel or self.removed)


def _document_delta(documents: list[dict], previous: dict[str, dict]) -> _DocumentDelta:
    rewrite, relabel, added, changed = [], [], [], []
    for doc in documents:
        before = previous.get(doc["source_id"])
        if before is None:
            added.append(doc["source_id"])
            rewrite.append(doc)
            continue
        different = [c for c in _DOCUMENT_COMPARED if before[c] != doc[c]]
        if not different:
            continue
        if any(before[c] != doc[c] for c in ("content_sha256", "text_sha256")):
            changed.append(doc["source_id"])
        if set(different) <= set(_RELABELLED):
            relabel.append(doc)
        else:
            rewrite.append(doc)
    removed = sorted(set(previous) - {d["source_id"] for d in documents})
    return _DocumentDelta(rewrite, relabel, sorted(added), sorted(changed), removed)


@dg.asset(
    group_name=INGEST_GROUP,
    kinds={"python", "duckdb"},
    description=(
        "Every file of the raw folder (RAW_DIR) read into `landing.source_documents` "
        "(decoded text, encoding, title, publication date, duplicates) or, if it cannot be "
        "read, into `landing.quarantined_files` with the reason. One bad file never stops "
        "the others. Files unchanged since they were read (same size, times and inode) are "
        "not read again; only the rows that changed are written; unchanged input writes "
        "nothing."
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

    with warehouse.writer(context, "raw_documents") as writer, \
            timed_stage(context.log, "ingest") as timing:
        previous_docs: dict[str, dict] = {}
        previous_quar: dict[str, dict] = {}
        with writer.read_only() as con:
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

        started = time.perf_counter()
        cache = CachedScan(
            ScanCache.load(scan_cache_path(warehouse.published_path), raw_dir, max_bytes),
            previous_docs,
        )
        scan = scan_raw_folder(raw_dir, max_bytes=max_bytes, limits=limits, reuse=cache)
        scan_seconds = time.perf_counter() - started
        for bad in scan.quarantined:
            context.log.warning(f"quarantined {bad.source_id}: {bad.reason}")
        for skipped in scan.skipped:
            context.log.info(f"skipped {skipped.source_id}: {skipped.reason}")
        context.log.info(
            f"read {len(scan.documents) - len(cache.reused)} documents, reused "
            f"{len(cache.reused)} unchanged ones and quarantined {len(scan.quarantined)} "
            f"files from {raw_dir} in {scan_seconds:.2f}s"
        )

        documents, quarantined = _landing_rows(scan, previous_docs, previous_quar, _now())
        delta = _document_delta(documents, previous_docs)
        quarantine_changed = not _same_rows(quarantined, previous_quar, _QUARANTINE_COMPARED)
        unchanged = landed_before and delta.empty and not quarantine_changed

        write_seconds = 0.0
        if unchanged:
            summary = "raw folder unchanged: the warehouse was not written"
            context.log.info(summary)
        else:
            written = {d["source_id"] for d in delta.rewrite}
            if written & cache.reused:  # a reused document has no text to write
                raise RuntimeError(f"bug: unread documents to rewrite: {written & cache.reused}")
            t0 = time.perf_counter()
            with writer.build() as build_path:
                con = duckdb.connect(str(build_path))
                try:
                    ensure_landing_schema(con)
                    con.execute("begin transaction")
                    replace_rows(con, "source_documents", delta.rewrite,
                                 where=_in_list("source_id"),
                                 params=[sorted(written | set(delta.removed))])
                    for row in delta.relabel:
                        con.execute(
                            "update landing.source_documents set "
                            + ", ".join(f"{c} = ?" for c in _RELABELLED) + " where source_id = ?",
                            [*(row[c] for c in _RELABELLED), row["source_id"]],
                        )
                    if quarantine_changed or not landed_before:
                        replace_rows(con, "quarantined_files", quarantined)
                    mark_landing_changed(con)
                    con.execute("commit")
                finally:
                    con.close()
            write_seconds = time.perf_counter() - t0
            summary = (
                f"wrote {len(delta.rewrite) + len(delta.relabel)} of {len(documents)} documents "
                f"({len(delta.added)} new, {len(delta.changed)} changed, {len(delta.removed)} "
                f"removed) and {len(quarantined)} quarantined files"
            )
            context.log.info(summary)
        cache.save(list(scan.documents))

    encodings = collections.Counter(d["encoding"] for d in documents)
    return dg.MaterializeResult(
        metadata={
            "summary": summary,
            "raw_dir": dg.MetadataValue.path(str(raw_dir)),
            "warehouse": dg.MetadataValue.path(str(warehouse.published_path)),
            "warehouse_written": not unchanged,
            "documents_read": len(documents),
            "documents_reused_unread": len(cache.reused),
            "quarantined_count": len(quarantined),
            "duplicates": sum(1 for d in documents if d["duplicate_of"]),
            "documents_added": len(delta.added),
            "documents_changed": len(delta.changed),
            "documents_removed": len(delta.removed),
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
                     for d in documents[:200]],
                ) + (f"\n\n… and {len(documents) - 200:,} more" if len(documents) > 200 else "")
            ),
            "scan_seconds": round(scan_seconds, 3),
            "write_seconds": round(write_seconds, 3),
            "stage_seconds": round(timing.wall_s, 3),
            "stage_cpu_seconds": round(timing.cpu_s, 3),
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
        "re-extracted — in parallel worker processes (PROVSTATS_EXTRACT_WORKERS, default "
        "one per core), each document within a time and size budget — exact duplicates are "
        "skipped, observations of removed documents are retracted; run config "
        "`full_refresh: true` re-extracts everything."
    ),
    check_specs=[
        dg.AssetCheckSpec(
            EXTRACTION_ERRORS_CHECK,
            asset="observations",
            description=(
                "Every document was extracted: the extractor did not raise and no document "
                "went over its time budget (PROVSTATS_EXTRACT_TIMEOUT_S) or size budget "
                "(PROVSTATS_EXTRACT_MAX_CHARS). A failed document is listed with the reason, "
                "keeps its previous observations and is retried on the next run; the others "
                "go on."
            ),
        )
    ],
)
def observations(
    context: dg.AssetExecutionContext, config: ObservationsConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    version = extraction.EXTRACTOR_VERSION
    try:
        settings.default_geo()
        workers = extraction_runner.default_workers()
        timeout_s = settings.extract_timeout_s()
        max_chars = settings.extract_max_chars()
    except ValueError as error:
        raise dg.Failure(description=f"{error}; the warehouse was not changed") from None
    full_refresh = config.full_refresh or is_full_rebuild(context)

    with warehouse.writer(context, "observations") as writer:
        with writer.read_only() as con:
            plan = _plan(con, version, full_refresh)
            stats_before = _stats(con)
        workers = max(1, min(workers, len(plan.to_extract)))
        context.log.info(
            f"{len(plan.documents)} documents: {len(plan.to_extract)} to extract, "
            f"{len(plan.unchanged)} unchanged, {len(plan.duplicates)} exact duplicates "
            f"skipped, {len(plan.to_retract)} to retract (extractor {version}"
            f"{', full refresh' if full_refresh else ''}; {workers} "
            f"{'process' if workers == 1 else 'processes'}, budget per document "
            f"{timeout_s:g}s and {max_chars:,} characters)"
        )

        outcome = _Outcome()
        extraction_timing = landing_timing = None
        landing = _LandingWriter(writer, outcome)
        try:
            if plan.to_retract or not plan.periods_consistent:
                landing.retract(plan.to_retract)
            with contextlib.ExitStack() as stack, \
                    timed_stage(context.log, "extraction") as extraction_timing:
                # texts come from what this run sees: its build if an earlier step wrote
                # one (the connection the observations are written with), else the
                # published file; the build is made only when there is something to write
                texts = (landing.connection() if writer.pending is not None
                         else stack.enter_context(writer.read_only()))
                progress = extraction_runner.Progress(
                    len(plan.to_extract),
                    sum(plan.documents[s]["char_count"] for s in plan.to_extract),
                    context.log.info, workers)
                for result in extraction_runner.extract_documents(
                        _documents_to_extract(texts, plan), workers=workers,
                        timeout_s=timeout_s, max_chars=max_chars):
                    progress.add(result)
                    if result.error is not None:
                        outcome.errors[result.source_id] = result.error
                        context.log.error(
                            f"{result.source_id}: extraction failed, keeping its previous "
                            f"observations: {result.error}")
                        continue
                    landing.add(result, plan.documents[result.source_id], version,
                                context.log)
                # bulk writes made while extracting count as landing time
                extraction_timing.adjust_wall_s = -landing.write_seconds
                extraction_timing.adjust_cpu_s = -landing.write_cpu_seconds
            written = landing.opened or bool(landing.states)
            if written:
                with timed_stage(context.log, "landing") as landing_timing:
                    landing_timing.adjust_wall_s = landing.write_seconds
                    landing_timing.adjust_cpu_s = landing.write_cpu_seconds
                    landing.flush()
                    con = landing.connection()
                    _rebuild_periods(con, outcome.periods, context.log)
                    mark_landing_changed(con)
                    stats = _stats(con)
        finally:
            landing.close()
        if written:
            summary = (
                f"extracted {len(outcome.extracted)} documents, retracted "
                f"{len(plan.to_retract)}: {outcome.written:,} observations written, "
                f"{outcome.removed:,} replaced or removed"
                + (f"; {len(outcome.errors)} documents failed" if outcome.errors else "")
            )
        else:
            stats = stats_before
            summary = (
                f"extraction failed for {len(outcome.errors)} documents: the warehouse was "
                "not written" if outcome.errors else
                "nothing changed: no extraction, the warehouse was not written")
        context.log.info(summary)

    extracted = sorted(outcome.extracted)
    return dg.MaterializeResult(
        metadata={
            "summary": summary,
            "warehouse_written": written,
            "full_refresh": full_refresh,
            "extractor_version": version,
            "documents": len(plan.documents),
            "documents_extracted": len(extracted),
            "documents_skipped_unchanged": len(plan.unchanged),
            "documents_skipped_duplicate": len(plan.duplicates),
            "documents_retracted": len(plan.to_retract),
            "documents_failed": len(outcome.errors),
            "observations_total": stats["total"],
            "observations_written": outcome.written,
            "observations_removed": outcome.removed,
            "unassigned_numbers": stats["unassigned"],
            "periods": stats["periods"],
            "extraction_processes": workers,
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
            "extraction_seconds": round(extraction_timing.wall_s if extraction_timing else 0, 3),
            "extraction_cpu_seconds": round(extraction_timing.cpu_s if extraction_timing else 0,
                                            3),
            "landing_write_seconds": round(landing_timing.wall_s if landing_timing else 0, 3),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=EXTRACTION_ERRORS_CHECK,
                passed=not outcome.errors,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "failed_documents": len(outcome.errors),
                    "errors": dg.MetadataValue.md(
                        markdown_table(["source_id", "error"], [
                            (sid, error.splitlines()[0])
                            for sid, error in sorted(outcome.errors.items())])
                    ),
                },
            )
        ],
    )


#: Documents whose texts are read from the warehouse at a time (the rest wait on disk).
TEXT_BATCH = 64


def _documents_to_extract(con: duckdb.DuckDBPyConnection, plan: _Plan) -> Iterator[dict]:
    """The documents to extract with their texts, read batch by batch (lazily)."""
    for i in range(0, len(plan.to_extract), TEXT_BATCH):
        batch = plan.to_extract[i:i + TEXT_BATCH]
        texts = dict(con.execute(
            f"select source_id, text from landing.source_documents where {_in_list('source_id')}",
            [batch],
        ).fetchall())
        for sid in batch:
            doc = plan.documents[sid]
            yield {"source_id": sid, "text": texts[sid], "published_date": doc["published_date"],
                   "title": doc["title"], "content_sha256": doc["content_sha256"]}


@dataclasses.dataclass
class _Outcome:
    """What the extraction of a run did."""

    extracted: list[tuple[str, int, int, float]] = dataclasses.field(default_factory=list)
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    periods: dict[str, dict] = dataclasses.field(default_factory=dict)
    written: int = 0
    removed: int = 0


class _LandingWriter:
    """Writes the documents' observations into the run's build as they are extracted, in
    bulk batches (the build is private to the run and published whole, so a batch needs no
    longer transaction than itself): rows never pile up in memory. The build is opened
    (copied) only when there is something to write."""

    #: Observations buffered before a bulk insert.
    BATCH_ROWS = 20_000

    def __init__(self, writer: StepWriter, outcome: _Outcome) -> None:
        self.writer, self.outcome = writer, outcome
        self.rows: list[dict] = []
        self.states: list[dict] = []
        self.write_seconds = self.write_cpu_seconds = 0.0
        self._stack = contextlib.ExitStack()
        self._con: duckdb.DuckDBPyConnection | None = None

    @property
    def opened(self) -> bool:
        return self._con is not None

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The write connection to the run's build (opening the build if needed)."""
        if self._con is None:
            build_path = self._stack.enter_context(self.writer.build())
            self._con = duckdb.connect(str(build_path))
            self._stack.callback(self._con.close)
            ensure_landing_schema(self._con)
        return self._con

    def close(self) -> None:
        self._stack.close()

    def retract(self, source_ids: list[str]) -> None:
        self.connection()
        if source_ids:
            self._replace(source_ids, [], [])

    def add(self, result: extraction_runner.DocumentResult, doc: dict, version: str,
            log: Any) -> None:
        rows = _unique_by_id(result.rows, result.source_id, log)
        self.rows.extend(rows)
        self.outcome.periods.update(result.periods)
        self.states.append({
            "source_id": result.source_id,
            "content_sha256": doc["content_sha256"],
            "extractor_version": version,
            "observation_count": len(rows),
            "extracted_at": _now(),
        })
        self.outcome.extracted.append(
            (result.source_id, len(rows), result.characters, result.seconds))
        if len(self.rows) >= self.BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.states:
            ids = [s["source_id"] for s in self.states]
            self._replace(ids, self.rows, self.states)
            self.outcome.written += len(self.rows)
        self.rows, self.states = [], []

    def _replace(self, ids: list[str], rows: list[dict], states: list[dict]) -> None:
        con = self.connection()
        t0, cpu0 = time.perf_counter(), time.process_time()
        con.execute("begin transaction")
        self.outcome.removed += con.execute(
            f"select count(*) from landing.observations where {_in_list('source_id')}", [ids]
        ).fetchone()[0]
        replace_rows(con, "observations", rows, where=_in_list("source_id"), params=[ids])
        replace_rows(con, "extraction_state", states, where=_in_list("source_id"), params=[ids])
        con.execute("commit")
        self.write_seconds += time.perf_counter() - t0
        self.write_cpu_seconds += time.process_time() - cpu0


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
