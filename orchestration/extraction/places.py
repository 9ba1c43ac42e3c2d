"""Places: provinces in the text, the province a document is about, the raw folder.

The place of a number is decided by the reader (:mod:`.reader`) from the words of its
clause; this module supplies the fallbacks of the observation contract (section 7), in
order: the province the document's text is about, the province named by the nearest
folder above the file (``raw/cao-bang/…``, ``raw/Cao Bằng/…``, ``raw/tinh-dak-lak/…``,
``raw/VN-04/…``), the configured default.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import PurePosixPath

from .lexicon import Entry, noun_matcher, province_aliases
from .phrases import PhraseMatch
from .text import fold

NATIONAL = "VN"

#: a text, or a text with its folded form (:func:`.text.fold`) when the caller has it
#: already (the extractor's paragraphs carry theirs)
Text = str | tuple[str, str]


#: the noun phrases (:func:`.lexicon.noun_matcher`) of a folded text
NounPhrases = Callable[[str], Iterable[PhraseMatch[Entry]]]


def _with_folded(text: Text) -> tuple[str, str]:
    return (text, fold(text)) if isinstance(text, str) else text


def _noun_phrases(folded: str) -> Iterable[PhraseMatch[Entry]]:
    return noun_matcher().finditer(folded)


def _ascii_key(name: str) -> str:
    """Lower-case ASCII letters and digits only: ``Đắk Lắk`` -> ``daklak``."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


_FOLDER_PREFIXES = ("thanhpho", "tinh", "tp")


@cache
def _folder_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for code, names in province_aliases().items():
        keys[_ascii_key(code)] = code
        for name in names:
            keys.setdefault(_ascii_key(name), code)
    return keys


def province_of_folder(name: str) -> str | None:
    """The province a folder name names, with or without diacritics, spaces or hyphens,
    an optional "tinh"/"tp"/"thanh-pho" prefix, or its ISO code; else ``None``."""
    key = _ascii_key(name)
    keys = _folder_keys()
    if key in keys:
        return keys[key]
    for prefix in _FOLDER_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in keys:
            return keys[key[len(prefix) :]]
    return None


def province_of_path(source_id: str | None) -> str | None:
    """The province named by the nearest folder above the file, if any."""
    if not source_id:
        return None
    for folder in reversed(PurePosixPath(source_id).parts[:-1]):
        code = province_of_folder(folder)
        if code:
            return code
    return None


_HEAD = re.compile(r"^\s*(?:tỉnh|thành\s+phố|tp\.?)\s+", re.IGNORECASE)


def is_proper_noun(original: str, start: int, end: int, name: str | None = None) -> bool:
    """Every word of ``original[start:end]`` starts with a capital (names of places are
    written so; "hòa bình" is peace, "Hòa Bình" the province); a leading "tỉnh",
    "thành phố" or "TP" is not part of the name, nor are words the name as listed
    (``name``) writes in lower case ("Thủ đô Hà Nội")."""
    text = original[start:end]
    head = _HEAD.match(text)
    words = re.findall(r"[^\W\d_]+", text[head.end() :] if head else text)
    if name is not None:
        listed = re.findall(r"[^\W\d_]+", name)
        if len(listed) == len(words):
            return bool(words) and all(
                w[0].isupper() or not n[0].isupper() for w, n in zip(words, listed, strict=True)
            )
    return bool(words) and all(w[0].isupper() for w in words)


def provinces_in(
    original: str, folded: str | None = None, nouns: NounPhrases = _noun_phrases
) -> list[tuple[int, int, str]]:
    """(start, end, code) of every province written in ``original`` (``nouns`` gives the
    noun phrases of its folded form)."""
    folded = fold(original) if folded is None else folded
    out = []
    for m in nouns(folded):
        codes = [e.value for e in m.entries if _is_province(e)]
        names = [e.phrase for e in m.entries if _is_province(e)]
        if codes and is_proper_noun(original, m.start, m.end, names[0]):
            out.append((m.start, m.end, codes[0]))
    return out


#: words that say a text speaks of its own province ("tỉnh" alone does not: a national
#: report names "các tỉnh, thành phố"), looked for in the folded text
_OWN_PROVINCE = re.compile(r"toàn\s+tỉnh|của\s+tỉnh|trên\s+địa\s+bàn|toàn\s+thành\s+phố|tỉnh\s+ta")


#: the national statistics office (the General Statistics Office, since 2025 the
#: Statistics Office of the Ministry of Finance), never a province's
_NATIONAL_OFFICE = re.compile(
    r"tổng\s+cục\s+thống\s+kê|cục\s+thống\s+kê\s*(?:\(|,|-|–|thuộc)\s*bộ\s+tài\s+chính"
)


def national_document(texts: list[Text], nouns: NounPhrases = _noun_phrases) -> str | None:
    """The national cue of a text that names no province but speaks of the country: the
    national statistics office as its source, or at least two national cues ("cả nước",
    "GDP", ...), and no word of its own province; None otherwise."""
    first: str | None = None
    national = 0
    source: str | None = None
    for text in texts:
        _, folded = _with_folded(text)
        if _OWN_PROVINCE.search(folded):
            return None
        office = _NATIONAL_OFFICE.search(folded)
        if office and source is None:
            source = office.group(0)
        for m in nouns(folded):
            if any(e.kind == "place" and e.role == "national" for e in m.entries):
                national += 1
                first = first or m.text
    return source or (first if national >= 2 else None)


def _is_province(e: Entry) -> bool:
    return e.kind == "place" and e.role == "province"


def document_province(
    title: str | None,
    head: list[Text],
    lead: list[Text],
    body: list[Text],
    nouns: NounPhrases = _noun_phrases,
) -> tuple[str | None, str]:
    """The province a document's text is about, with the words that said it.

    In order: a province named in the title (the first, or the one before a colon); the
    most named province of the header and lead; the most named province of the body when
    it is named at least twice and more than any other. ``nouns`` gives the noun phrases
    of a folded text (the extractor passes a memo: the words of each paragraph reuse
    them)."""
    if title:
        found = provinces_in(title)
        if found:
            head_colon = re.match(r"[^:]{2,40}:", title)
            if head_colon:
                inside = [f for f in found if f[1] <= head_colon.end()]
                if inside:
                    return inside[0][2], f"title: {title[inside[0][0] : inside[0][1]]}"
            return found[0][2], f"title: {title[found[0][0] : found[0][1]]}"
    counts: Counter[str] = Counter()
    for text in head + lead:
        counts.update(code for _, _, code in provinces_in(*_with_folded(text), nouns))
    if counts:
        code, _ = counts.most_common(1)[0]
        return code, "header and lead"
    counts.clear()
    for text in body:
        counts.update(code for _, _, code in provinces_in(*_with_folded(text), nouns))
    if counts:
        ranked = counts.most_common(2)
        if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0], "most named in the text"
    return None, ""
