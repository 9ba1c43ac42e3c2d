"""Skip re-reading raw files that did not change since they were ingested.

Reading a file means hashing its bytes, decoding it, parsing HTML and finding its title
and date — most of a refresh's ingest time when thousands of files are unchanged. The
cache remembers, for every file read into ``landing.source_documents``, its **file
signature** — size, modification time, inode and status-change time, as the raw-folder
sensor uses (no byte is read) — and the content hash of what was read. A file is reused
without opening it only when

* its signature is exactly the one recorded, and
* the warehouse still holds its document with that content hash, and
* the cache was written by the same reader code (a fingerprint of ``orchestration/ingest``)
  with the same size limit.

``ctime`` cannot be set by a user (``touch -d`` and ``cp -p`` change it), so a file
rewritten with its old size and modification time is still read again.

The cache is a small JSON file next to the warehouse (``.<warehouse name>.scan-cache.json``),
never in the raw folder; losing it only costs one full read of the folder. It is written
atomically after each scan.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reader import SourceDocument

FORMAT = 1
_INGEST_DIR = Path(__file__).resolve().parent


def reader_fingerprint() -> str:
    """sha256 over the source of the ingest package: a new decoder or reader makes every
    cached entry stale."""
    digest = hashlib.sha256()
    for path in sorted(_INGEST_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_signature(info: os.stat_result) -> list[int]:
    """What must be unchanged for a file to count as unchanged."""
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


@dataclass
class ScanCache:
    """source_id → (file signature, content_sha256) of the files last read."""

    path: Path
    raw_dir: str
    max_bytes: int
    reader: str
    entries: dict[str, tuple[list[int], str]]

    @classmethod
    def load(cls, path: Path, raw_dir: Path, max_bytes: int,
             reader: str | None = None) -> ScanCache:
        """The cache at ``path`` if it was written for this raw folder, size limit and
        reader; an empty one otherwise (missing, unreadable or stale file)."""
        reader = reader or reader_fingerprint()
        empty = cls(path, str(raw_dir), max_bytes, reader, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return empty
        if not isinstance(data, dict) or (
            data.get("format"), data.get("raw_dir"), data.get("max_bytes"), data.get("reader")
        ) != (FORMAT, str(raw_dir), max_bytes, reader):
            return empty
        entries = {
            str(sid): (list(sig), str(sha))
            for sid, (sig, sha) in (data.get("entries") or {}).items()
        }
        return cls(path, str(raw_dir), max_bytes, reader, entries)

    def save(self, documents: Mapping[str, tuple[list[int], str]]) -> None:
        """Replace the cache with ``documents`` (source_id → (signature, content_sha256));
        best effort: a cache that cannot be written is simply not used next time."""
        data = {"format": FORMAT, "raw_dir": self.raw_dir, "max_bytes": self.max_bytes,
                "reader": self.reader, "entries": documents}
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


class CachedScan:
    """The ``reuse`` hook of :func:`orchestration.ingest.scan_raw_folder`.

    ``landed`` maps source_id → the document's ``landing.source_documents`` row (every
    column but ``text``). A reused document is a :class:`SourceDocument` built from that
    row with an empty ``text``: its row is already in the warehouse and must not be
    written again (:attr:`reused` names them).
    """

    def __init__(self, cache: ScanCache, landed: Mapping[str, Mapping[str, Any]]) -> None:
        self.cache = cache
        self.landed = landed
        self.reused: set[str] = set()
        self.signatures: dict[str, list[int]] = {}

    def __call__(self, source_id: str, path: Path) -> SourceDocument | None:
        try:
            info = path.stat()
        except OSError:
            return None
        signature = file_signature(info)
        self.signatures[source_id] = signature
        cached = self.cache.entries.get(source_id)
        row = self.landed.get(source_id)
        if cached is None or row is None or cached[0] != signature:
            return None
        if row["content_sha256"] != cached[1] or info.st_size > self.cache.max_bytes:
            return None
        self.reused.add(source_id)
        values = {f.name: row.get(f.name) for f in dataclasses.fields(SourceDocument)}
        # the scan decides duplicates again from text_sha256
        return SourceDocument(**{**values, "source_id": source_id, "text": "",
                                 "duplicate_of": None})

    def save(self, documents: list[SourceDocument]) -> None:
        """Remember the signature and content hash of every document of this scan."""
        self.cache.save({
            d.source_id: (self.signatures[d.source_id], d.content_sha256)
            for d in documents if d.source_id in self.signatures
        })


def scan_cache_path(warehouse: Path) -> Path:
    """Where the scan cache of ``warehouse`` lives: next to it, hidden."""
    return warehouse.with_name(f".{warehouse.name}.scan-cache.json")
