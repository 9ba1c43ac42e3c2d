"""How Vietnamese a piece of text looks: the yardstick for choosing a legacy encoding.

A wrong 8-bit decoding of Vietnamese bytes still yields letters, but not Vietnamese
*syllables*: tone marks land on consonants, two tones share a syllable, symbols such as
``¸`` or ``¹`` appear inside words, or a checked syllable (final -c, -ch, -p, -t) carries a
tone it can never take. :func:`vietnamese_share` counts, among the words that contain a
non-ASCII character (ASCII words read the same in every candidate encoding), the share
that are well-formed Vietnamese syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Tone marks (the five written tones) and vowel modifiers, as combining characters.
GRAVE, ACUTE, TILDE, HOOK, DOT_BELOW = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONE_MARKS = frozenset(GRAVE + ACUTE + TILDE + HOOK + DOT_BELOW)
MODIFIERS = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn

_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEUS = r"[aăâeêioôơuưy]{1,3}"
_FINAL = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(rf"{_INITIAL}({_NUCLEUS})({_FINAL})")
_VOWELS = frozenset("aăâeêioôơuưy")

# Characters trimmed from both ends of a whitespace-separated token before judging it.
_EDGE_PUNCT = "\"'`.,;:!?()[]{}<>«»“”‘’„…-–—/\\|*#%&+=~^_•·°§©®™0123456789"
_SPLIT = re.compile(r"[\s\-–—/]+")


@dataclass(frozen=True)
class VietnameseScore:
    """Result of :func:`vietnamese_share`."""

    words: int  # words that contain a non-ASCII character
    valid: int  # of those, well-formed Vietnamese syllables

    @property
    def share(self) -> float:
        """Share of non-ASCII words that are Vietnamese syllables (0.0 when there are none)."""
        return self.valid / self.words if self.words else 0.0


def is_vietnamese_syllable(word: str) -> bool:
    """True if ``word`` (any case, any normalisation form) is a well-formed syllable.

    Checks the alphabet, the initial + vowel nucleus + final structure, at most one tone
    mark sitting on a vowel, and that checked syllables (final c, ch, p, t) carry only
    the acute or dot-below tone.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones: list[str] = []
    plain: list[str] = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            if not plain or plain[-1] not in _VOWELS and plain[-1] not in MODIFIERS:
                return False
            tones.append(ch)
        else:
            plain.append(ch)
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(plain))
    match = _SYLLABLE.fullmatch(base)
    if match is None:
        return False
    final = match.group(2)
    return not (tones and final in ("c", "ch", "p", "t") and tones[0] not in (ACUTE, DOT_BELOW))


def vietnamese_share(text: str, *, limit: int = 20000) -> VietnameseScore:
    """Score how Vietnamese ``text`` looks, judging at most ``limit`` non-ASCII words."""
    words = valid = 0
    for token in _SPLIT.split(unicodedata.normalize("NFC", text)):
        word = token.strip(_EDGE_PUNCT)
        if not word or word.isascii():
            continue
        words += 1
        if is_vietnamese_syllable(word):
            valid += 1
        if words >= limit:
            break
    return VietnameseScore(words=words, valid=valid)
