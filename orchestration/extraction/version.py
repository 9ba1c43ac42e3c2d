"""The extractor version: a digest of the extraction code and its word lists.

Any change to the rules changes the version, which makes the next incremental run
re-extract every document (see ``landing.extraction_state``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _digest() -> str:
    h = hashlib.sha256()
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json", ".yml", ".yaml"}:
            h.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


EXTRACTOR_VERSION = f"rules-{_digest()}"
