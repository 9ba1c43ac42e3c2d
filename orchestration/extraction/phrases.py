"""Word lists compiled into one fast matcher.

Every word list of the extractor (indicator names and cues, measure words, status cues,
places, ...) is a list of *phrases* written in a small notation, matched on folded text
(:func:`.text.fold`):

* words separated by spaces; between two words the text may have spaces, a comma or a
  dash (``chế biến chế tạo`` matches ``chế biến, chế tạo``);
* ``{a|b c}`` one of several word sequences, ``[x y]`` an optional word sequence;
* ``...`` a gap of up to six words inside one clause (``toàn tỉnh có ... doanh nghiệp``).

:class:`PhraseMatcher` compiles all phrases into one regular expression shaped like a
trie (phrases sharing their first words share one branch), so a text is scanned once,
in one pass of the regular-expression engine, whatever the number of phrases. Matches
are leftmost-longest and never overlap; each reports the entries of the phrase found.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from .text import fold

T = TypeVar("T")

GAP = "..."
_SEP = r"(?:\s*[,\-–]\s*|\s+)"
_GAP_RE = r"(?:\s+[^\s;:()]*[^\s.;:(),]){0,6}?"
_WORD = re.compile(r"\.\.\.|[^\s,\-–{}\[\]|]+|[{}\[\]|]")


class PhraseSyntaxError(ValueError):
    """A phrase of a word list is not written in the phrase notation."""


def expand(phrase: str) -> list[tuple[str, ...]]:
    """Every word sequence a phrase stands for (alternatives and options expanded)."""
    tokens = _WORD.findall(fold(phrase))
    pos = 0

    def sequence(stop: set[str]) -> list[tuple[str, ...]]:
        nonlocal pos
        results: list[tuple[str, ...]] = [()]
        while pos < len(tokens) and tokens[pos] not in stop:
            tok = tokens[pos]
            pos += 1
            if tok in "{[":
                close = "}" if tok == "{" else "]"
                alternatives: list[tuple[str, ...]] = []
                while True:
                    alternatives.extend(sequence({"|", close}))
                    if pos >= len(tokens):
                        raise PhraseSyntaxError(f"unclosed {tok!r} in phrase {phrase!r}")
                    sep = tokens[pos]
                    pos += 1
                    if sep == close:
                        break
                if tok == "[":
                    alternatives.append(())
                results = [a + b for a, b in itertools.product(results, alternatives)]
            elif tok in "}]|":
                raise PhraseSyntaxError(f"unexpected {tok!r} in phrase {phrase!r}")
            else:
                results = [r + (tok,) for r in results]
        return results

    out = sequence(set())
    if pos != len(tokens):
        raise PhraseSyntaxError(f"unbalanced brackets in phrase {phrase!r}")
    out = [s for s in out if s and s[0] != GAP and s[-1] != GAP]
    if not out:
        raise PhraseSyntaxError(f"phrase {phrase!r} has no words")
    return out


@dataclass(eq=False)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    terminal: int | None = None  # index into PhraseMatcher._ends


class PhraseMatch(NamedTuple, Generic[T]):
    """One phrase found at ``[start, end)`` of the searched text."""

    start: int
    end: int
    text: str
    entries: tuple[T, ...]


class PhraseMatcher(Generic[T]):
    """All phrases of one or more word lists, each with the entries it stands for."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._root = _Node()
        self._ends: list[list[T]] = []
        self.sources: dict[tuple[str, ...], list[T]] = {}
        for phrase, entry in phrases:
            for words in expand(phrase):
                node = self._root
                for word in words:
                    node = node.children.setdefault(word, _Node())
                if node.terminal is None:
                    node.terminal = len(self._ends)
                    self._ends.append([])
                if entry not in self._ends[node.terminal]:
                    self._ends[node.terminal].append(entry)
                self.sources.setdefault(words, []).append(entry)
        self._group_to_end: list[int] = []
        body = self._compile(self._root, first=True)
        self._ends_tuples = [tuple(e) for e in self._ends]
        self.regex = re.compile(rf"(?<!\w)(?:{body})")

    def _compile(self, node: _Node, first: bool = False) -> str:
        """The regular expression of the phrases going on from ``node``: its words as a
        trie of characters (at each character the engine tries a handful of branches,
        not every word), then a gap, then the end of a phrase. Groups are numbered in
        the order they are written, so children are compiled in that order."""
        words = [w for w in node.children if w != GAP]
        alternatives = []
        if words:
            sep = "" if first else _SEP
            alternatives.append(sep + self._char_trie(words, node))
        if GAP in node.children:
            alternatives.append(_GAP_RE + self._compile(node.children[GAP]))
        if node.terminal is not None:
            self._group_to_end.append(node.terminal)
            alternatives.append(r"(?!\w)()")
        if len(alternatives) == 1 and not first:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    def _char_trie(self, words: list[str], node: _Node, depth: int = 0) -> str:
        """``words`` (sharing their first ``depth`` characters) as nested alternatives,
        one per next character; a longer word is tried before a word it extends."""
        by_char: dict[str, list[str]] = {}
        ended: str | None = None
        for w in words:
            if len(w) == depth:
                ended = w
            else:
                by_char.setdefault(w[depth], []).append(w)
        alternatives = [
            re.escape(ch) + self._char_trie(group, node, depth + 1)
            for ch, group in sorted(by_char.items())
        ]
        if ended is not None:
            alternatives.append(self._compile(node.children[ended]))
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    def finditer(
        self, folded: str, start: int = 0, end: int | None = None
    ) -> Iterator[PhraseMatch[T]]:
        """Leftmost-longest, non-overlapping phrases of ``folded[start:end]``."""
        ends, group_to_end = self._ends_tuples, self._group_to_end
        new = tuple.__new__  # (PhraseMatch's own constructor is a slower Python function)
        for m in self.regex.finditer(folded, start, len(folded) if end is None else end):
            a, b = m.span()
            yield new(PhraseMatch, (a, b, folded[a:b], ends[group_to_end[m.lastindex - 1]]))
