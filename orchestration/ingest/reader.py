"""Read raw files into :class:`SourceDocument` rows, or :class:`QuarantinedFile` rows.

The dataclasses map 1:1 onto ``landing.source_documents`` and
``landing.quarantined_files`` (minus ``ingested_at`` / ``detected_at``, which the
caller adds): ``dataclasses.asdict(row)`` is a row for
:func:`orchestration.warehouse.landing.replace_rows`.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ..settings import DEFAULT_MAX_FILE_BYTES
from .decode import UnreadableFileError, decode_bytes
from .formats import ReadLimits, read_office_or_pdf
from .html_article import declared_charset, extract_article, looks_like_html
from .metadata import classify_source_kind, find_published_date, find_title

__all__ = [
    "DEFAULT_MAX_BYTES",
    "QuarantinedFile",
    "RawScan",
    "SkippedFile",
    "SourceDocument",
    "fingerprint_raw_folder",
    "read_document",
    "scan_raw_folder",
]

#: Files larger than this are refused unread (25 MiB; the pipeline reads the limit from
#: ``PROVSTATS_MAX_FILE_BYTES``, see :mod:`orchestration.settings`).
DEFAULT_MAX_BYTES = DEFAULT_MAX_FILE_BYTES

DISAPPEARED = "disappeared while reading"
OUTSIDE_LINK = "is a symbolic link to a path outside the raw folder (not read)"
LINK_NOT_FOLLOWED = "is a symbolic link, or lies in a folder that is one (not followed)"
HIDDEN = "hidden: the name starts with '.'"
HIDDEN_FOLDER = "hidden folder: the name starts with '.' (not scanned)"


@dataclass(frozen=True)
class SourceDocument:
    """One readable raw file: ``landing.source_documents`` minus ``ingested_at``."""

    source_id: str  # path relative to the raw dir, '/' separators, NFC
    file_name: str
    content_sha256: str  # sha256 hex of the raw bytes
    text_sha256: str  # sha256 hex of text.encode('utf-8')
    byte_size: int
    encoding: str  # utf-8, utf-8-sig, utf-16, utf-16-le, cp1258, tcvn3, viscii, ...
    media_type: str  # text/plain or text/html
    text: str  # decoded, NFC, '\n' line ends (HTML: the extracted article text)
    char_count: int
    title: str | None
    published_date: dt.date | None
    published_date_evidence: str | None  # the words that stated the date
    source_kind: str  # official_report or news
    duplicate_of: str | None  # source_id of an earlier file with identical text


@dataclass(frozen=True)
class QuarantinedFile:
    """One raw file that could not be read: ``landing.quarantined_files`` minus
    ``detected_at``."""

    source_id: str
    file_name: str
    reason: str
    content_sha256: str | None
    byte_size: int | None


@dataclass(frozen=True)
class SkippedFile:
    """A name below the raw folder that the scan does not read by rule (hidden files and
    folders), listed so that nothing vanishes without a trace."""

    source_id: str
    reason: str


@dataclass(frozen=True)
class RawScan:
    """Everything :func:`scan_raw_folder` found, each in ``source_id`` order."""

    documents: tuple[SourceDocument, ...]
    quarantined: tuple[QuarantinedFile, ...]
    skipped: tuple[SkippedFile, ...] = ()


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = (os.O_RDONLY | _O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _O_CLOEXEC
               | getattr(os, "O_BINARY", 0))
_FOLDER_FLAGS = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC
#: Files and folders can be opened and examined relative to their folder (``openat``,
#: ``fstatat``): POSIX systems.
_OPEN_RELATIVE = (os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd
                  and bool(_O_NOFOLLOW and _O_DIRECTORY))


def _open_parent(path: Path, raw_dir: Path | None) -> tuple[int | None, str]:
    """The folder holding ``path`` as a descriptor, and the file's name in it.

    With ``raw_dir`` (the resolved raw folder, which holds ``path``), every folder from
    ``raw_dir`` down is opened relative to its parent with ``O_NOFOLLOW``: a folder
    swapped for a symbolic link after the listing makes this fail (``ELOOP``) instead of
    leading out of the raw folder. Without it (or without ``openat``): ``(None, path)``.
    """
    if raw_dir is None or not _OPEN_RELATIVE:
        return None, str(path)
    *folders, name = path.relative_to(raw_dir).parts
    parent = os.open(raw_dir, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        for folder in folders:
            try:
                inner = os.open(folder, _FOLDER_FLAGS, dir_fd=parent)
            except NotADirectoryError:
                info = os.stat(folder, dir_fd=parent, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    raise OSError(errno.ELOOP, "a folder on the path is a link") from None
                raise
            os.close(parent)
            parent = inner
    except BaseException:
        os.close(parent)
        raise
    return parent, name


def _read_bytes(path: Path, name: str, max_bytes: int, raw_dir: Path | None = None) -> bytes:
    """The file's bytes, refusing symbolic links (also on the way down from ``raw_dir``,
    see :func:`_open_parent`), non-regular files and files over ``max_bytes`` without
    reading them."""
    parent: int | None = None
    try:
        parent, entry = _open_parent(path, raw_dir)
        info = os.stat(entry, dir_fd=parent, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise UnreadableFileError(name, LINK_NOT_FOLLOWED)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(name, "is not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableFileError(
                name,
                f"is too large: {info.st_size:,} bytes, over the {max_bytes:,}-byte limit",
                byte_size=info.st_size,
            )
        descriptor = os.open(entry, _FILE_FLAGS, dir_fd=parent)
        with open(descriptor, "rb") as handle:  # closes the descriptor
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableFileError(name, "is not a regular file")
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableFileError(name, DISAPPEARED) from None
    except IsADirectoryError:
        raise UnreadableFileError(name, "is not a regular file") from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link
            raise UnreadableFileError(name, LINK_NOT_FOLLOWED) from None
        raise UnreadableFileError(
            name, f"could not be read ({type(exc).__name__}: {exc.strerror or exc})"
        ) from None
    finally:
        if parent is not None:
            os.close(parent)
    if len(data) > max_bytes:
        raise UnreadableFileError(
            name,
            f"is too large: over the {max_bytes:,}-byte limit (it grew while being read)",
        )
    return data


def read_document(
    path: Path,
    source_id: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    raw_dir: Path | None = None,
    limits: ReadLimits | None = None,
) -> SourceDocument:
    """Read one raw file into a :class:`SourceDocument`.

    ``source_id`` is the file's path relative to the raw folder (it is NFC-normalised
    here). A symbolic link is never followed; with ``raw_dir`` (the resolved raw folder
    holding ``path``) no folder on the way down from it may be a link either. Raises
    :class:`UnreadableFileError` (naming the file and the reason, and carrying the
    content hash and size when known) if the file cannot be read as a document.
    ``duplicate_of`` is always None here: :func:`scan_raw_folder` sets it.

    PDF, Word (.docx) and Excel (.xlsx) files, told by their signature, are read from
    the bytes already read by :mod:`.formats` within ``limits`` (pages, time); everything
    else is decoded as text.
    """
    source_id = _nfc(source_id)
    file_name = PurePosixPath(source_id).name
    data = _read_bytes(Path(path), source_id, max_bytes, raw_dir)
    content_sha256 = _sha256(data)
    try:
        extracted = read_office_or_pdf(data, source_id, limits)
        if extracted is not None:  # PDF, DOCX, XLSX
            media_type, text, encoding = extracted.media_type, extracted.text, extracted.encoding
            title = find_title(text)
            found = find_published_date(text)
            date, evidence = (found.date, found.evidence) if found else (None, None)
        else:
            head = data[:4096].decode("latin-1")
            declared = declared_charset(data) if looks_like_html(head, file_name) else None
            decoded = decode_bytes(data, source_id, declared=declared)
            encoding = decoded.encoding
            if looks_like_html(decoded.text, file_name):
                article = extract_article(decoded.text)
                if not article.text.strip():
                    raise UnreadableFileError(source_id, "is an HTML page with no article text")
                media_type, text, title = "text/html", article.text, article.title
                date, evidence = article.published_date, article.published_date_evidence
            else:
                media_type, text, title = "text/plain", decoded.text, find_title(decoded.text)
                found = find_published_date(text)
                date, evidence = (found.date, found.evidence) if found else (None, None)
    except UnreadableFileError as exc:
        raise UnreadableFileError(
            source_id, exc.reason, content_sha256=content_sha256, byte_size=len(data)
        ) from None
    return SourceDocument(
        source_id=source_id,
        file_name=file_name,
        content_sha256=content_sha256,
        text_sha256=_sha256(text.encode("utf-8")),
        byte_size=len(data),
        encoding=encoding,
        media_type=media_type,
        text=text,
        char_count=len(text),
        title=title,
        published_date=date,
        published_date_evidence=evidence,
        source_kind=classify_source_kind(text),
        duplicate_of=None,
    )


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class _Entry:
    source_id: str  # NFC, '/'-separated
    path: Path  # what to read: for a link inside the raw folder, its resolved target
    problem: str | None = None  # why it cannot be read, known from the listing alone
    skipped: str | None = None  # why it is not read at all (hidden)


def _has_surrogates(value: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in value)


def _link_entry(raw_dir: Path, source_id: str, path: Path) -> _Entry:
    """A symbolic link, judged by where it resolves without opening anything: a file
    inside ``raw_dir`` is read through its resolved path; anything else is a problem."""
    target = Path(os.path.realpath(path))  # follows every link on the way, opens nothing
    if not target.is_relative_to(raw_dir):
        return _Entry(source_id, path, OUTSIDE_LINK)
    try:
        info = os.stat(target)
    except OSError:  # missing, or a loop
        return _Entry(source_id, path, "is a broken symbolic link")
    if stat.S_ISDIR(info.st_mode):
        return _Entry(source_id, path, "is a link to a folder (not followed)")
    return _Entry(source_id, target)


def _walk(raw_dir: Path) -> Iterator[_Entry]:
    """Every entry below ``raw_dir`` (resolved; recursively), unsorted.

    Names starting with '.' (files and folders) are yielded as skipped, and a hidden
    folder is not entered. Symbolic links to folders are not followed (they are
    reported, to rule out cycles); a link to a file is read only when its resolved path
    lies inside ``raw_dir``.
    """
    pending: list[tuple[Path, tuple[str, ...]]] = [(raw_dir, ())]
    while pending:
        folder, parts = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            if folder == raw_dir:
                raise
            continue  # a subfolder removed while scanning: nothing left to read
        except OSError as exc:
            if folder == raw_dir:
                raise
            rel = "/".join(parts)
            yield _Entry(_nfc(rel), folder, f"is a folder that could not be listed ({exc})")
            continue
        for entry in entries:
            rel_parts = (*parts, entry.name)
            path = Path(entry.path)
            shown = entry.name
            if _has_surrogates(entry.name):
                shown = os.fsencode(entry.name).decode("utf-8", "backslashreplace")
            source_id = _nfc("/".join((*parts, shown)))
            if entry.name.startswith("."):
                try:
                    hidden_folder = entry.is_dir(follow_symlinks=False)
                except OSError:
                    hidden_folder = False
                yield _Entry(source_id, path,
                             skipped=HIDDEN_FOLDER if hidden_folder else HIDDEN)
                continue
            if shown != entry.name:
                yield _Entry(source_id, path,
                             "has a file name that is not valid UTF-8 (rename it)")
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((path, rel_parts))
                    continue
                if entry.is_symlink():
                    yield _link_entry(raw_dir, source_id, path)
                    continue
            except OSError:
                pass  # reading it will tell what is wrong
            yield _Entry(source_id, path)


def _listing(raw_dir: Path) -> list[_Entry]:
    """Every entry below the raw folder, sorted by ``source_id``. The raw folder may
    itself be a symbolic link: its resolved path is the boundary links must stay in."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist or is not a folder")
    return sorted(_walk(Path(os.path.realpath(raw_dir))), key=lambda e: e.source_id)


def scan_raw_folder(
    raw_dir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: ReadLimits | None = None,
    reuse: Callable[[str, Path], SourceDocument | None] | None = None,
) -> RawScan:
    """Read every non-hidden file below ``raw_dir`` (recursively).

    Files are processed in ``source_id`` order. A file that cannot be read becomes a
    :class:`QuarantinedFile` with the reason; one bad file never stops the scan. Nothing
    outside ``raw_dir`` (resolved) is opened: a symbolic link leading out of it is
    quarantined unread. Hidden names are listed as :class:`SkippedFile`. Of files with
    identical text, the later ones get ``duplicate_of`` = the first one's ``source_id``.
    Raises FileNotFoundError if ``raw_dir`` itself does not exist. ``reuse(source_id,
    path)`` may return the document of an unchanged file instead of reading it (see
    :mod:`orchestration.ingest.scan_cache`).
    """
    documents: list[SourceDocument] = []
    quarantined: dict[str, QuarantinedFile] = {}
    skipped: list[SkippedFile] = []
    first_with_text: dict[str, str] = {}
    seen: set[str] = set()
    root = Path(os.path.realpath(raw_dir))
    for entry in _listing(raw_dir):
        if entry.skipped is not None:
            skipped.append(SkippedFile(entry.source_id, entry.skipped))
            continue
        file_name = PurePosixPath(entry.source_id).name
        problem = entry.problem
        if problem is None and entry.source_id in seen:
            problem = "has the same name as another file once Unicode-normalised (NFC)"
        if problem is not None:
            quarantined.setdefault(
                entry.source_id, QuarantinedFile(entry.source_id, file_name, problem, None, None)
            )
            continue
        seen.add(entry.source_id)
        try:
            doc = (reuse(entry.source_id, entry.path) if reuse else None) or read_document(
                entry.path, entry.source_id, max_bytes=max_bytes, raw_dir=root, limits=limits
            )
        except UnreadableFileError as exc:
            quarantined[entry.source_id] = QuarantinedFile(
                entry.source_id, file_name, exc.reason, exc.content_sha256, exc.byte_size
            )
            continue
        except Exception as exc:  # a bug or a pathological file: one file never stops the scan
            quarantined[entry.source_id] = QuarantinedFile(
                entry.source_id,
                file_name,
                f"could not be read (unexpected {type(exc).__name__}: {exc})",
                None,
                None,
            )
            continue
        earlier = first_with_text.setdefault(doc.text_sha256, doc.source_id)
        if earlier != doc.source_id:
            doc = replace(doc, duplicate_of=earlier)
        documents.append(doc)
    return RawScan(documents=tuple(documents), quarantined=tuple(quarantined.values()),
                   skipped=tuple(skipped))


def fingerprint_raw_folder(raw_dir: Path) -> str:
    """A cheap fingerprint of the raw folder's state, for a sensor.

    sha256 hex over every non-hidden file's ``source_id``, size and ``mtime_ns`` (no
    file is opened). It changes when a file is added, removed, renamed, or rewritten. A
    link inside the raw folder counts with its target; a link that cannot be read counts
    as itself (nothing outside the raw folder is looked at).
    """
    digest = hashlib.sha256()
    for entry in _listing(raw_dir):
        if entry.skipped is not None:
            continue
        try:
            info = os.lstat(entry.path)
            facts = f"{info.st_size}\t{info.st_mtime_ns}"
        except OSError:
            facts = "unreadable"
        digest.update(f"{entry.source_id}\t{facts}\n".encode("utf-8", "backslashreplace"))
    return digest.hexdigest()
