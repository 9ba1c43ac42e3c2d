"""Raw bytes → document text and the encoding that produced it, or a reasoned refusal.

The text is the document decoded, Unicode NFC, with ``\\r\\n`` and ``\\r`` line ends turned
into ``\\n``; nothing else is changed (spans of later stages index it).

Decisions, in order:

1. Empty file, or a known binary format by its magic number (PDF, ZIP/DOCX, PNG, ...)
   → refused, naming what it looks like.
2. A byte-order mark decides: UTF-8 (``utf-8-sig``), UTF-16 or UTF-32.
3. UTF-16 without a BOM is accepted only when the NUL bytes sit (almost) all on one side
   of the code units and the decoded text is ordinary text.
4. Otherwise NUL bytes, or many control bytes, mean a binary file → refused.
5. Valid UTF-8 is UTF-8, unless the whole text is UTF-8 that was once mis-decoded as
   Windows-1252 and saved again ("mojibake"): refused rather than guessed at.
6. Not UTF-8: the legacy Vietnamese encodings (Windows-1258, TCVN3 and VISCII) are
   each tried and scored by the share of words that are well-formed Vietnamese
   syllables (:mod:`.vietnamese`). The best one is used only if it is convincing and
   clearly ahead of the others; otherwise the file is refused with the scores.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from .vietnamese import VietnameseScore, vietnamese_share

__all__ = [
    "LEGACY_ENCODINGS",
    "DecodedText",
    "UnreadableFileError",
    "canonical_encoding",
    "decode_bytes",
    "decode_legacy",
    "normalize_text",
]


class UnreadableFileError(ValueError):
    """A raw file that cannot be turned into document text.

    ``str(error)`` is ``"<name> <reason>"``, e.g. ``"notes.txt is empty"``. The
    attributes let a caller record the file in ``landing.quarantined_files``.
    """

    def __init__(
        self,
        name: str,
        reason: str,
        *,
        content_sha256: str | None = None,
        byte_size: int | None = None,
    ) -> None:
        super().__init__(f"{name} {reason}")
        self.name = name
        self.reason = reason
        self.content_sha256 = content_sha256
        self.byte_size = byte_size


@dataclass(frozen=True)
class DecodedText:
    """Decoded, normalised text and the encoding it was decoded with."""

    text: str
    encoding: str


def normalize_text(text: str) -> str:
    """NFC, with CRLF and lone CR line ends turned into LF. Nothing else changes."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# --------------------------------------------------------------------------- legacy tables

# TCVN 5712:1993 as in glibc's TCVN5712-1 charmap (VN1). Its lowercase letters and the
# capitals Ă Â Ê Ô Ơ Ư Đ are the ABC/TCVN3 (VN3) font encoding; VN1 adds the toned capitals
# in spare slots (C0 and 0x80-0x9F, ...). 0xB0-0xB4 are combining tone marks.
_TCVN3_C0 = {
    0x01: "\u00da", 0x02: "\u1ee4", 0x04: "\u1eea", 0x05: "\u1eec", 0x06: "\u1eee",
    0x11: "\u1ee8", 0x12: "\u1ef0", 0x13: "\u1ef2", 0x14: "\u1ef6", 0x15: "\u1ef8",
    0x16: "\u00dd", 0x17: "\u1ef4",
}  # fmt: skip
_TCVN3_HIGH = (
    "\u00c0\u1ea2\u00c3\u00c1\u1ea0\u1eb6\u1eac\u00c8"  # 0x80
    "\u1eba\u1ebc\u00c9\u1eb8\u1ec6\u00cc\u1ec8\u0128"  # 0x88
    "\u00cd\u1eca\u00d2\u1ece\u00d5\u00d3\u1ecc\u1ed8"  # 0x90
    "\u1edc\u1ede\u1ee0\u1eda\u1ee2\u00d9\u1ee6\u0168"  # 0x98
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110"  # 0xA0
    "\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"  # 0xA8
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3"  # 0xB0
    "\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"  # 0xB8
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7"  # 0xC0
    "\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"  # 0xC8
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec"  # 0xD0
    "\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"  # 0xD8
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7"  # 0xE0
    "\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"  # 0xE8
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef"  # 0xF0
    "\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"  # 0xF8
)

# VISCII (RFC 1456), as in glibc's VISCII charmap.
_VISCII_C0 = {
    0x02: "\u1eb2", 0x05: "\u1eb4", 0x06: "\u1eaa", 0x14: "\u1ef6", 0x19: "\u1ef8",
    0x1E: "\u1ef4",
}  # fmt: skip
_VISCII_HIGH = (
    "\u1ea0\u1eae\u1eb0\u1eb6\u1ea4\u1ea6\u1ea8\u1eac"  # 0x80
    "\u1ebc\u1eb8\u1ebe\u1ec0\u1ec2\u1ec4\u1ec6\u1ed0"  # 0x88
    "\u1ed2\u1ed4\u1ed6\u1ed8\u1ee2\u1eda\u1edc\u1ede"  # 0x90
    "\u1eca\u1ece\u1ecc\u1ec8\u1ee6\u0168\u1ee4\u1ef2"  # 0x98
    "\u00d5\u1eaf\u1eb1\u1eb7\u1ea5\u1ea7\u1ea9\u1ead"  # 0xA0
    "\u1ebd\u1eb9\u1ebf\u1ec1\u1ec3\u1ec5\u1ec7\u1ed1"  # 0xA8
    "\u1ed3\u1ed5\u1ed7\u1ee0\u01a0\u1ed9\u1edd\u1edf"  # 0xB0
    "\u1ecb\u1ef0\u1ee8\u1eea\u1eec\u01a1\u1edb\u01af"  # 0xB8
    "\u00c0\u00c1\u00c2\u00c3\u1ea2\u0102\u1eb3\u1eb5"  # 0xC0
    "\u00c8\u00c9\u00ca\u1eba\u00cc\u00cd\u0128\u1ef3"  # 0xC8
    "\u0110\u1ee9\u00d2\u00d3\u00d4\u1ea1\u1ef7\u1eeb"  # 0xD0
    "\u1eed\u00d9\u00da\u1ef9\u1ef5\u00dd\u1ee1\u01b0"  # 0xD8
    "\u00e0\u00e1\u00e2\u00e3\u1ea3\u0103\u1eef\u1eab"  # 0xE0
    "\u00e8\u00e9\u00ea\u1ebb\u00ec\u00ed\u0129\u1ec9"  # 0xE8
    "\u0111\u1ef1\u00f2\u00f3\u00f4\u00f5\u1ecf\u1ecd"  # 0xF0
    "\u1ee5\u00f9\u00fa\u0169\u1ee7\u00fd\u1ee3\u1eee"  # 0xF8
)


def _decoding_table(c0: dict[int, str], high: str) -> str:
    table = [chr(b) for b in range(0x80)]
    for byte, char in c0.items():
        table[byte] = char
    return "".join(table) + high


_TABLES = {
    "tcvn3": _decoding_table(_TCVN3_C0, _TCVN3_HIGH),
    "viscii": _decoding_table(_VISCII_C0, _VISCII_HIGH),
}

#: Legacy Vietnamese encodings tried, in this order, for bytes that are not UTF-8.
LEGACY_ENCODINGS = ("cp1258", "tcvn3", "viscii")

_TCVN_LABELS = {
    "tcvn", "tcvn3", "tcvn-3", "tcvn5712", "tcvn-5712", "tcvn5712-1", "tcvn5712-1:1993",
    "vn3", "abc", "x-viet-tcvn", "x-viet-tcvn5712",
}  # fmt: skip


def canonical_encoding(label: str) -> str | None:
    """The encoding name used here for a charset label (``windows-1258`` → ``cp1258``).

    Returns None for labels that name no known encoding.
    """
    key = label.strip().strip("\"'").lower()
    if key in _TCVN_LABELS:
        return "tcvn3"
    if key in ("viscii", "csviscii", "x-viet-viscii"):
        return "viscii"
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return {"utf-8": "utf-8", "windows-1258": "cp1258"}.get(name, name)


def decode_legacy(data: bytes, encoding: str) -> str | None:
    """Strictly decode ``data`` with ``encoding`` (Python codec or ``tcvn3``/``viscii``).

    Returns the raw decoded string (not normalised), or None if some byte is undefined.
    """
    try:
        if encoding in _TABLES:
            return codecs.charmap_decode(data, "strict", _TABLES[encoding])[0]
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


# TCVN3 is a font encoding: capitals with a tone mark come from the matching uppercase
# font (.VnTimeH, ...) at the code points of the small letters. Plain text keeps the
# code point, not the font, so a heading reads "BáO CáO". Where the case is evident
# — a word with two or more capitals and no small ASCII letter, or a line whose ASCII
# letters are all capitals — the small toned letters are capitals.
_WORD = re.compile(r"[^\W\d_]+")


def _repair_tcvn3_capitals(text: str) -> str:
    def fix_word(m: re.Match[str]) -> str:
        word = m.group(0)
        capitals = sum(1 for c in word if c.isupper())
        if capitals >= 2 and not any("a" <= c <= "z" for c in word):
            return word.upper()
        return word

    out = []
    for line in text.split("\n"):
        ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 3 and all(c.isupper() for c in ascii_letters):
            out.append(line.upper())
        else:
            out.append(_WORD.sub(fix_word, line))
    return "\n".join(out)


# --------------------------------------------------------------------------- binary sniffing

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ODT, ...)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (DOC, XLS, PPT)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"{\\rtf", "an RTF document (rich text, not plain text)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
)


def _sniff_magic(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if re.match(rb"BZh[1-9]1AY&SY", data):
        return "a bzip2 archive"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file"}.get(
            data[8:12], "an AVI video"
        )
    if data[4:8] == b"ftyp":
        return "an MP4/MOV media file"
    if data[8:12] == b"DUCK":
        return "a DuckDB database"
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "a Windows executable"
    return None


# Bytes that never occur in text: C0 controls other than TAB LF VT FF CR ESC, and DEL.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.05
_SAMPLE = 1 << 20


def _control_share(data: bytes) -> float:
    sample = data[:_SAMPLE]
    return len(sample.translate(None, _TEXT_BYTES)) / max(1, len(sample))


def _control_char_share(text: str) -> float:
    sample = text[:_SAMPLE]
    n = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\v\f\r\x1b")
    return n / max(1, len(sample))


# --------------------------------------------------------------------------- UTF-16/32

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _is_ordinary_text(text: str) -> bool:
    """Text of letters, digits, punctuation and spaces: no controls, no unassigned or
    private-use code points, no surrogates."""
    sample = text[:_SAMPLE]
    bad = 0
    for c in sample:
        cat = unicodedata.category(c)
        if cat in ("Cn", "Co", "Cs") or (cat == "Cc" and c not in "\t\n\v\f\r"):
            bad += 1
    return bad <= len(sample) * 0.001


def _utf16_without_bom(data: bytes) -> str | None:
    """The ``utf-16-le``/``utf-16-be`` codec name if ``data`` reads as BOM-less UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    sides = (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls))
    for codec, high, low in sides:
        if high >= 0.3 and low <= 0.02:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec if _is_ordinary_text(text) else None
    return None


# --------------------------------------------------------------------------- mojibake


def _cp1252_bytes(text: str) -> bytes | None:
    """``text`` encoded as Windows-1252, with Latin-1 for the five bytes 1252 leaves
    undefined (how mis-decoded UTF-8 usually looks); None if some char does not fit."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError as exc:
        if ord(text[exc.start]) >= 256:
            return None
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 256:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _double_encoded_example(text: str) -> tuple[str, str] | None:
    """(mojibake word, what it should read) if ``text`` is wholly double-encoded UTF-8."""
    if text.isascii():
        return None
    raw = _cp1252_bytes(text)
    if raw is None:
        return None
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if fixed == text:
        return None
    for bad, good in zip(text.split(), fixed.split(), strict=False):
        if bad != good:
            return bad, good
    return text[:20], fixed[:20]


# --------------------------------------------------------------------------- main entry

#: A legacy decoding must make at least this share of non-ASCII words Vietnamese,
MIN_VIETNAMESE_SHARE = 0.85
#: rest on at least this many non-ASCII words,
MIN_WORDS = 5
#: and leave clearly fewer non-Vietnamese words than the runner-up: the runner-up's
#: error rate (share of non-Vietnamese words) must be at least twice the winner's and
#: this much higher, and it must have at least two more such words.
MIN_ERROR_GAP = 0.1


def _convincing(score: VietnameseScore) -> bool:
    return score.words >= MIN_WORDS and score.share >= MIN_VIETNAMESE_SHARE


def _clearly_ahead(best: VietnameseScore, other: VietnameseScore) -> bool:
    err_best, err_other = 1.0 - best.share, 1.0 - other.share
    return (
        err_other >= 2 * err_best
        and err_other - err_best >= MIN_ERROR_GAP
        and (other.words - other.valid) - (best.words - best.valid) >= 2
    )


def _finish(name: str, raw_text: str, encoding: str) -> DecodedText:
    text = normalize_text(raw_text)
    if not text.strip().strip("\u200b\ufeff"):
        raise UnreadableFileError(name, "is empty (only whitespace)")
    share = _control_char_share(text)
    if share > _MAX_CONTROL_SHARE:
        raise UnreadableFileError(
            name, f"looks like a binary file ({share:.0%} control characters)"
        )
    return DecodedText(text=text, encoding=encoding)


def _describe(scores: dict[str, VietnameseScore]) -> str:
    return (
        ", ".join(f"{enc} {s.share:.0%} of {s.words} words" for enc, s in scores.items())
        or "no encoding decodes every byte"
    )


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> DecodedText:
    """Decode a raw file's bytes to normalised text, or raise :class:`UnreadableFileError`.

    ``name`` is used in error messages. ``declared`` is a charset the document itself
    declares (an HTML ``<meta charset>``); it is honoured when the bytes bear it out.
    """
    if not data:
        raise UnreadableFileError(name, "is empty")
    what = _sniff_magic(data)
    if what is not None:
        raise UnreadableFileError(name, f"looks like {what}, not a text document")

    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                raw = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(
                    name,
                    f"starts with a {codec.replace('-sig', '')} byte-order mark but is not "
                    f"valid {codec.replace('-sig', '')} (byte {exc.start})",
                ) from None
            return _finish(name, raw, codec)

    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is not None:
            return _finish(name, data.decode(codec), codec)
        raise UnreadableFileError(name, "looks like a binary file (contains NUL bytes)")
    share = _control_share(data)
    if share > _MAX_CONTROL_SHARE:
        raise UnreadableFileError(name, f"looks like a binary file ({share:.0%} control bytes)")

    declared_enc = canonical_encoding(declared) if declared else None
    if declared_enc and declared_enc.startswith(("utf-16", "utf-32")):
        declared_enc = "utf-8"  # an ASCII-compatible file cannot really be UTF-16

    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raw = None
    if raw is not None:
        example = _double_encoded_example(raw)
        if example is not None:
            raise UnreadableFileError(
                name,
                "looks like UTF-8 that was mis-decoded as Windows-1252 and saved again "
                f"(mojibake: {example[0]!r} would read {example[1]!r}); refusing to guess",
            )
        if data.isascii() and declared_enc and decode_legacy(data, declared_enc) == raw:
            return _finish(name, raw, declared_enc)
        return _finish(name, raw, "utf-8")

    # Not UTF-8: the declared charset if it reads as Vietnamese, else the legacy candidates.
    declared_text = None
    if declared_enc and declared_enc != "utf-8":
        declared_text = decode_legacy(data, declared_enc)
        if declared_text is not None:
            score = vietnamese_share(declared_text)
            if _convincing(score) or score.words == 0:
                return _finish_legacy(name, declared_text, declared_enc)

    scores: dict[str, VietnameseScore] = {}
    texts: dict[str, str] = {}
    for enc in LEGACY_ENCODINGS:
        decoded = decode_legacy(data, enc)
        if decoded is not None:
            texts[enc] = decoded
            scores[enc] = vietnamese_share(decoded)
    ranked = sorted(scores, key=lambda e: scores[e].share, reverse=True)
    if ranked and _convincing(scores[ranked[0]]):
        best = ranked[0]
        if len(ranked) == 1 or _clearly_ahead(scores[best], scores[ranked[1]]):
            return _finish_legacy(name, texts[best], best)
        raise UnreadableFileError(
            name,
            "is not UTF-8 and reads as Vietnamese in more than one legacy encoding "
            f"({_describe(scores)}); refusing to guess",
        )
    if declared_text is not None:
        return _finish_legacy(name, declared_text, declared_enc or "")
    best_words = max((s.words for s in scores.values()), default=0)
    if scores and best_words < MIN_WORDS:
        raise UnreadableFileError(
            name,
            f"is not UTF-8 and has too few non-ASCII words ({best_words}) to tell its "
            "legacy encoding; refusing to guess",
        )
    raise UnreadableFileError(
        name,
        "is not UTF-8 and does not read as Vietnamese in Windows-1258, TCVN3 or VISCII "
        f"({_describe(scores)}); refusing to guess",
    )


def _finish_legacy(name: str, raw_text: str, encoding: str) -> DecodedText:
    decoded = _finish(name, raw_text, encoding)
    if encoding == "tcvn3":
        text = unicodedata.normalize("NFC", _repair_tcvn3_capitals(decoded.text))
        return DecodedText(text=text, encoding=encoding)
    return decoded
