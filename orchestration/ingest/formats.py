"""Which reader a raw file needs (PDF, Word, Excel, or text), and the limits they share.

:func:`read_office_or_pdf` is the one entry point :mod:`.reader` calls: it returns the
document text of a PDF (:mod:`.pdf`), a Word ``.docx`` (:mod:`.docx_reader`) or an Excel
``.xlsx`` (:mod:`.xlsx_reader`), raises :class:`~.decode.UnreadableFileError` with the
reason for the formats that cannot be read (legacy ``.doc``/``.xls``, encrypted Office
files, OpenDocument, a ``.docx``/``.xlsx`` that is some other ZIP, a ZIP that would
expand too far), and returns None for everything else, which is decoded as text.

The file signature (magic bytes) decides, never the name alone: a PDF saved as
``report.txt`` is read as a PDF, and a ``.pdf`` that is really a PNG is refused as a PNG
by the text decoder. The name only tells a Word file from an Excel one where the bytes
cannot (legacy OLE2 files) and names the format expected in a refusal.
"""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..settings import DEFAULT_MAX_PDF_PAGES, DEFAULT_READ_TIMEOUT_S
from .decode import UnreadableFileError, _repair_tcvn3_capitals, decode_legacy, normalize_text
from .vietnamese import vietnamese_share

__all__ = [
    "DEFAULT_MAX_PDF_PAGES",
    "DEFAULT_READ_TIMEOUT_S",
    "DOCX_MEDIA_TYPE",
    "EXTRACTED_ENCODING",
    "MAX_UNZIPPED_BYTES",
    "PDF_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "Deadline",
    "ExtractedText",
    "ReadLimits",
    "read_office_or_pdf",
]

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: ``encoding`` recorded for text taken from a PDF, DOCX or XLSX: the characters come
#: from the format itself (font maps, XML), no byte encoding was detected. Text typed in
#: a legacy TCVN3 font and converted (:func:`repair_legacy_font`) records ``tcvn3``.
EXTRACTED_ENCODING = "binary"

#: A DOCX/XLSX whose parts would expand to more than this is refused unread (a ZIP
#: bomb, or a workbook far beyond any report).
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading one document (the pipeline takes them from the settings)."""

    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    timeout_s: float = DEFAULT_READ_TIMEOUT_S


@dataclass
class Deadline:
    """The time limit of reading one document, checked between pages, rows and tables
    (a single page that never finishes is not interrupted)."""

    name: str
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self, where: str) -> None:
        """Raise :class:`UnreadableFileError` if the time is up (``where`` says how far
        the reader got, e.g. ``"page 12 of 400"``)."""
        elapsed = time.monotonic() - self.started
        if elapsed > self.seconds:
            raise UnreadableFileError(
                self.name,
                f"took longer than the {self.seconds:g}-second limit for reading one "
                f"document (PROVSTATS_READ_TIMEOUT_S), stopped at {where}",
            )


@dataclass(frozen=True)
class ExtractedText:
    """Document text taken from a PDF, DOCX or XLSX (NFC, ``\\n`` line ends)."""

    text: str
    media_type: str
    encoding: str = EXTRACTED_ENCODING


#: A document is in a legacy TCVN3 font (.VnTime, .VnArial, ...) when fewer than this share
#: of its non-ASCII words are Vietnamese as extracted ...
_LEGACY_FONT_MAX_SHARE = 0.5
#: ... and at least this share once its characters are read back as TCVN3 bytes.
_LEGACY_FONT_MIN_SHARE = 0.85
_LEGACY_FONT_MIN_WORDS = 5


def _font_bytes(line: str) -> bytes | None:
    """The bytes a legacy 8-bit font showed as ``line`` (Windows-1252, else Latin-1, per
    character); None if some character is outside both (the line is real Unicode)."""
    out = bytearray()
    for ch in line:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))
    return bytes(out)


def repair_legacy_font(text: str) -> str | None:
    """``text`` re-read as TCVN3 if it is Vietnamese typed in a legacy TCVN3 font
    ("Tæng s¶n phÈm" → "Tổng sản phẩm"), else None.

    Word files and PDFs made with the .Vn* fonts carry the TCVN3 bytes as Latin letters.
    Only lines made wholly of such letters are converted (lines in a Unicode font stay),
    and only when the document is clearly not Vietnamese as it is and clearly Vietnamese
    once converted.
    """
    before = vietnamese_share(text)
    if before.words < _LEGACY_FONT_MIN_WORDS or before.share >= _LEGACY_FONT_MAX_SHARE:
        return None
    lines = text.split("\n")
    converted: list[str] = []
    for line in lines:
        raw = _font_bytes(line) if not line.isascii() else None
        decoded = decode_legacy(raw, "tcvn3") if raw is not None else None
        converted.append(decoded if decoded is not None else line)
    repaired = unicodedata.normalize("NFC", _repair_tcvn3_capitals("\n".join(converted)))
    after = vietnamese_share(repaired)
    if after.words < _LEGACY_FONT_MIN_WORDS or after.share < _LEGACY_FONT_MIN_SHARE:
        return None
    return repaired


def finish_text(name: str, lines: list[str], media_type: str, what: str) -> ExtractedText:
    """Join the reader's lines into document text: NFC, ``\\n``, no runs of blank lines,
    no blank lines at either end, a form feed only as a page-break line of its own.
    Refuses a document without any text."""
    out: list[str] = []
    for line in lines:
        line = line if line == "\f" else line.replace("\f", " ").rstrip()  # \f: pages only
        if not line.strip() and line != "\f":
            if out and out[-1] == "":
                continue
            line = ""
        out.append(line)
    text = normalize_text("\n".join(out).strip("\n "))
    if not text.replace("\f", "").strip():
        raise UnreadableFileError(name, f"is {what} without any text")
    repaired = repair_legacy_font(text)
    if repaired is not None:
        return ExtractedText(repaired, media_type, encoding="tcvn3")
    return ExtractedText(text, media_type)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def _legacy_office(data: bytes, name: str) -> UnreadableFileError:
    if _ENCRYPTED_OOXML in data:
        return UnreadableFileError(
            name,
            "is a password-protected (encrypted) Office document: remove the password "
            "(save an unprotected copy) to have it read",
        )
    suffix = PurePosixPath(name).suffix.lower()
    kind = {
        ".doc": "Word 97-2003 document (.doc)",
        ".xls": "Excel 97-2003 workbook (.xls)",
        ".ppt": "PowerPoint 97-2003 presentation (.ppt)",
    }.get(suffix, "Microsoft Office 97-2003 file (.doc/.xls/.ppt, OLE2)")
    return UnreadableFileError(
        name,
        f"is a legacy {kind}, which is not read: save it as .docx/.xlsx or PDF",
    )


def _zip_format(data: bytes, name: str) -> str | None:
    """``docx``/``xlsx`` for Office Open XML packages; None for other ZIP archives that
    are not named as Office files (they are refused by the text decoder). Raises for a
    damaged ZIP named as a document, OpenDocument files and ZIP bombs."""
    suffix = PurePosixPath(name).suffix.lower()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if suffix in (".docx", ".xlsx", ".docm", ".xlsm"):
            raise UnreadableFileError(
                name, f"is a damaged or truncated {suffix[1:].upper()} (bad ZIP archive: {exc})"
            ) from None
        return None
    names = {m.filename for m in members}
    expanded = sum(m.file_size for m in members)
    if "word/document.xml" in names:
        kind = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "mimetype" in names and "content.xml" in names:
        raise UnreadableFileError(
            name,
            "is an OpenDocument file (ODT/ODS), which is not read: save it as .docx/.xlsx "
            "or PDF",
        )
    elif suffix in (".docx", ".docm", ".xlsx", ".xlsm"):
        expected = "word/document.xml" if suffix.startswith(".doc") else "xl/workbook.xml"
        raise UnreadableFileError(
            name,
            f"is named {suffix} but is not a {'Word' if expected.startswith('word') else 'Excel'}"
            f" file: a ZIP archive without {expected} (a renamed ZIP?)",
        )
    else:
        return None
    if expanded > MAX_UNZIPPED_BYTES:
        raise UnreadableFileError(
            name,
            f"would expand to {expanded:,} bytes, over the {MAX_UNZIPPED_BYTES:,}-byte "
            "limit for a Word or Excel file",
        )
    return kind


def read_office_or_pdf(
    data: bytes, name: str, limits: ReadLimits | None = None
) -> ExtractedText | None:
    """The text of a PDF, DOCX or XLSX file, or None if ``data`` is none of these.

    ``name`` (the ``source_id``) names the file in errors and, for legacy Office files,
    tells Word from Excel. Raises :class:`UnreadableFileError` with the reason when the
    file is one of these formats (or a legacy/encrypted/OpenDocument one) and cannot be
    read.
    """
    limits = limits or ReadLimits()
    if data.startswith(b"%PDF-") or (
        data[:1024].find(b"%PDF-") > 0 and b"%%EOF" in data[-8192:]
    ):  # a PDF may have a few bytes of junk before its header
        from .pdf import read_pdf

        return read_pdf(data, name, limits)
    if data.startswith(_OLE2):
        raise _legacy_office(data, name)
    if data.startswith(_ZIP):
        kind = _zip_format(data, name)
        if kind == "docx":
            from .docx_reader import read_docx

            return read_docx(data, name, limits)
        if kind == "xlsx":
            from .xlsx_reader import read_xlsx

            return read_xlsx(data, name, limits)
    return None
