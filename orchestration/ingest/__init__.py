"""Raw-document ingestion: every file of the raw folder → decoded text + metadata.

Plain Python (no Dagster). The Dagster asset calls :func:`scan_raw_folder` and writes
``RawScan.documents`` to ``landing.source_documents`` and ``RawScan.quarantined`` to
``landing.quarantined_files`` (adding ``ingested_at`` / ``detected_at``); a sensor polls
:func:`fingerprint_raw_folder`.

Modules: :mod:`.decode` (bytes → text + encoding, or a refusal), :mod:`.vietnamese`
(the Vietnamese-syllable yardstick for legacy encodings), :mod:`.html_article` (article
text from saved news pages), :mod:`.formats` (which files are PDF, Word or Excel, and the
limits on reading them) with :mod:`.pdf`, :mod:`.docx_reader`, :mod:`.xlsx_reader` and
:mod:`.tables` (tables as ``" | "`` rows), :mod:`.metadata` (title, publication date,
source kind), :mod:`.reader` (files and folders).
"""

from .decode import UnreadableFileError
from .reader import (
    DEFAULT_MAX_BYTES,
    QuarantinedFile,
    RawScan,
    SkippedFile,
    SourceDocument,
    fingerprint_raw_folder,
    read_document,
    scan_raw_folder,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "QuarantinedFile",
    "RawScan",
    "SkippedFile",
    "SourceDocument",
    "UnreadableFileError",
    "fingerprint_raw_folder",
    "read_document",
    "scan_raw_folder",
]
