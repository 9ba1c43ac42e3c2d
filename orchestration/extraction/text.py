"""The reading view of a stored text, and case folding.

The stored text (``dim_source.text``) is what spans index. Before reading it, a few
characters that change nothing for a reader but break a regular expression are made
plain, once, for the whole document:

* spaces of other widths (no-break, thin, narrow no-break, figure, ideographic) and tabs
  become a plain space, a form feed (a PDF page break) a line break;
* fullwidth ASCII forms (``１８．０６３，８``) become ASCII (their NFKC form), the minus
  sign and non-breaking hyphens a hyphen;
* zero-width characters, bidirectional marks and soft hyphens are dropped.

Only ASCII digits are ever read as numbers (Arabic-Indic, Devanagari or mathematical
digits are not), see :mod:`.numbers`.

The view has the stored text's length except where characters were dropped;
:meth:`ReadingView.to_stored` maps a view offset back, so every span still indexes the
stored text. :func:`fold` lower-cases without moving any character, for matching words.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
)
_DROPPED = (  # zero-width characters, bidirectional marks, the soft hyphen
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u00ad"
)
_DROPPED_RE = re.compile(f"[{_DROPPED}]")

_TRANSLATE = {ord(c): " " for c in _SPACES}
_TRANSLATE[ord("\f")] = "\n"
_TRANSLATE[ord("\u2212")] = "-"  # minus sign
_TRANSLATE[ord("\u2010")] = "-"
_TRANSLATE[ord("\u2011")] = "-"
_TRANSLATE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})  # fullwidth ASCII
_TRANSLATED_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TRANSLATE)) + "]")


@dataclass(frozen=True)
class ReadingView:
    """The text as the extractor reads it, with the way back to stored offsets."""

    text: str
    dropped: tuple[int, ...]  # stored offsets of the dropped characters, ascending
    page_breaks: tuple[int, ...]  # view offsets of form feeds (PDF page breaks)

    def to_stored(self, offset: int) -> int:
        """Stored-text offset of the view character at ``offset`` (or of the end, for an
        end-exclusive offset)."""
        if not self.dropped:
            return offset
        # the k-th kept character sits at stored offset k + (dropped characters before it)
        shift = 0
        for _ in range(len(self.dropped) + 1):
            moved = bisect.bisect_right(self.dropped, offset + shift)
            if moved == shift:
                break
            shift = moved
        return offset + shift

    def page_of(self, offset: int) -> int:
        """1-based page number of a view offset (1 when the text has no page breaks)."""
        return bisect.bisect_right(self.page_breaks, offset) + 1


def reading_view(text: str) -> ReadingView:
    """The reading view of a stored text (see the module docstring)."""
    dropped: tuple[int, ...] = ()
    if _DROPPED_RE.search(text):
        dropped = tuple(m.start() for m in _DROPPED_RE.finditer(text))
        text = _DROPPED_RE.sub("", text)
    page_breaks = tuple(m.start() for m in re.finditer("\f", text)) if "\f" in text else ()
    if _TRANSLATED_RE.search(text):  # (str.translate is slow on non-ASCII text)
        text = _TRANSLATED_RE.sub(lambda m: _TRANSLATE[ord(m.group())], text)
    return ReadingView(text, dropped, page_breaks)


_TONE_MOVES = {
    # old-style placement (mark on the second vowel) -> new style (on the first)
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
#: one substitution per spelling (a fixed replacement is much faster than a callback);
#: look-behinds stand after the letters they follow ("not after q", "not inside a word"),
#: so that the engine jumps from one occurrence of the letters to the next instead of
#: trying every position of the text
_TONE_SUBS = [
    (old, re.compile(f"{old}(?<!q{old})(?![a-zà-ỹđ])"), new) for old, new in _TONE_MOVES.items()
]
_TONE_ANY = re.compile("|".join(_TONE_MOVES))
_TI_RE = re.compile(r"tỉ(?<!\wtỉ)(?!\w)")


def fold(text: str) -> str:
    """Lower-case ``text`` and unify spelling variants (``hoá``/``hóa``, ``tỉ``/``tỷ``)
    without moving any character: the result always has the length of ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer (rare)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if _TONE_ANY.search(low):
        for spelled, rx, moved in _TONE_SUBS:
            if spelled in low:
                low = rx.sub(moved, low)
    if "tỉ" in low:
        low = _TI_RE.sub("tỷ", low)
    return low


#: every upper-case letter of Vietnamese text, for regular-expression classes (``À-Ỹ``
#: would also take the lower-case letters that lie between them)
UPPER = "A-Z" + "".join(
    ch for ch in map(chr, range(0xC0, 0x1EFA)) if ch.isupper() and ch.lower() != ch
)
