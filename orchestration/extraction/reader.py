"""Reading one sentence: its words, its clauses and, for every number, its fields.

A sentence is read left to right once:

1. **Words.** Period expressions (:mod:`.period_grammar`) are found and masked so years
   and dates are never values; quantities (:mod:`.numbers`), noun phrases (indicator
   names, components, places, subsets, capital words) and verbs (measure and status
   words) are found with the word lists of :mod:`.lexicon`.
2. **Clauses.** The sentence is cut at ``;``, ``,``, ``:``, at connectors ("trong đó",
   "riêng", "trong khi"), before "và" + a verb, and at brackets and dashes that enclose a
   number (a bracket without a number is part of its clause).
3. **Fields of each number**, each decided once (see :class:`Reading`): the indicator
   from the subject of its clause (a name before it, the count's own noun, a component
   of the subject in force, or the subject inherited by a clause without one), the
   measure from the verbs of its clause and the words after it, the period, the base of
   a comparison, the status, the place and the value in the indicator's unit.

Everything a number looks at lies in a bounded window of its own clause, so reading is
linear in the number of numbers.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .context import UNKNOWN, Decision, Publication, Scope, Subject
from .lexicon import (
    Entry,
    Indicator,
    capital_of,
    catalogue,
    components,
    count_context_matcher,
    count_defaults,
    function_matcher,
    measure_defaults,
    noun_matcher,
    qualifier_words,
    verb_matches,
)
from .numbers import Quantity, find_quantities, identifier_pattern
from .period_grammar import PeriodMention, find_periods, term_containing
from .periods import Period
from .phrases import PhraseMatch
from .places import NATIONAL, is_proper_noun
from .text import UPPER, fold

#: regular expressions used inline below, compiled once
_COMPARED_BEFORE = re.compile(r"so\s+(?:với\s+)?(?:\S+\s+){0,3}$")
_GROWTH_WORDS = re.compile(r"tăng\s+trưởng")
_AND_BETWEEN = re.compile(r"\s+và\s+")
_SCALE_PREFIX = re.compile(r"^(?:[\d.,\s-]|nghìn|ngàn|triệu|tỷ)+")
_NEXT_WORDS = re.compile(r"\s*(của\s+)?([^\W_]\w*(?:\s+[^\W\d_]+)?)")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_CONTRIBUTION = re.compile(r"đóng\s+góp")
_COMPARED = re.compile(r"so\s+với")
_EQUATED = re.compile(r"\s*(?:=|là|:)\s*(?:\S+\s+)?")
_COMPARED_END = re.compile(r"so\s+với\s*$")
_MULTIPLE_BASE_GAP = re.compile(r"\s*(?:lần\s*)?(?:so\s+với\s*)?(?:mức\s+)?")
_CLAUSE_STOP = re.compile(r"[;.]")
#: words that name a merger of provinces (2025): the provinces named after them are history
_MERGED = re.compile(r"(?:hợp\s+nhất|sáp\s+nhập)(?:\s+với)?(?:\s+tỉnh)?\s")
_AFTER_A_NUMBER = re.compile(r"[0-9%]\s*(?:so\s+với\s+)?$")
_FEW_WORDS = re.compile(r"[\s(]*(?:[^\s;,.()]+\s+){0,5}?[\s(]*")

WINDOW = 160  # characters a number looks back or ahead within its clause
_MONEY_UNITS = {"VND": ("VND_BN", "VND_MN"), "USD": ("USD_MN", "USD")}
_SAME_COUNT = {"CASE": ("ACCIDENT",), "VEHICLE": ("VEHICLE_PER_DAY",)}
_BOUNDARY = re.compile(r"[;,:()]|\s[-–]\s")
#: "và" as a word; its look-behind stands after the word so that the engine jumps from one
#: "và" to the next instead of trying every position of the sentence
_AND = re.compile(r"và(?<!\wvà)(?!\w)")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    kind: str  # indicator, component, topic, place, subset, capital, function, clause,
    #            measure, status
    role: str
    values: tuple[str, ...]
    text: str


@dataclass
class Clause:
    start: int
    end: int
    opener: str  # start, semi, comma, colon, paren, dash, breakdown, contrast, and, restate
    host: int | None = None  # index of the clause a bracketed clause belongs to


@dataclass
class Reading:
    """One number of a sentence with its fields (offsets are sentence offsets)."""

    start: int
    end: int
    indicator: Indicator | None
    measure: str
    value: float
    low: float | None
    high: float | None
    qualifier: str
    unit: str
    period: Period
    base: Period | None
    status: str
    geo: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class SentenceState:
    """What a sentence has said so far (for clauses that continue it)."""

    subject: Decision | None = None  # Subject of the previous clause with numbers
    whole: Decision | None = None  # the last subject that is not a component (a parent)
    period: Decision | None = None  # the running period
    base: Decision | None = None  # a comparison stated for the whole sentence
    place: Decision | None = None  # the place of the previous clause's subject
    status: Decision | None = None  # the status cue in force (estimate / target)
    status_period: Period | None = None  # period in force when the status cue was read
    measure: str | None = None  # measure of the previous number
    counted: str | None = None  # indicator of the last count (for "với tổng vốn …")
    average: Period | None = None  # period of an annual average the sentence stated
    share: bool = False  # the sentence spoke of a structure ("Cơ cấu GRDP năm 2030: …")
    pending: int | None = None  # index of a clause that named a subject and no number
    subplace: Tok | None = None  # "Riêng huyện X, …": the sentence speaks of a smaller place
    last_reading: Reading | None = None


@cache
def _identifier() -> re.Pattern[str]:
    from .lexicon import _rows

    return identifier_pattern(tuple(r["phrase"] for r in _rows("lexicon/identifier_words.csv")))


@cache
def _qualifier_word_set() -> frozenset[str]:
    words: set[str] = set()
    for phrase, _, _ in qualifier_words():
        words.update(phrase.split())
    return frozenset(words)


_RANK_BEFORE = re.compile(r"(?:xếp|đứng)\s+(?:thứ|hạng)\s*$|thứ\s+hạng\s*$|\bhạng\s*$")
_VALUE_VERB = re.compile(
    r"(?:đạt|là|có|ước|khoảng|tăng|giảm|thêm|còn|lên|mới|gồm|=|:|thứ|hạng|với|đón|"
    r"thu\s+hút|phục\s+vụ|giao|bằng|gấp|chiếm|trên|dưới|hơn|gần)\s*$"
)
#: "tăng 3,6% về số doanh nghiệp": the words after "về" (in terms of) say which of the
#: things read before the number it is about
_IN_TERMS_OF = re.compile(r"\s*về\s+(?:mặt\s+)?((?:[^\W\d_]+\s*){1,4})")
#: periods said relative to another (comparison bases, not what a number is about)
_RELATIVE_KINDS = frozenset(
    {
        "same_period_last_year",
        "same_period_of_year",
        "previous_year",
        "previous_month",
        "previous_quarter",
        "previous_period",
        "start_of_year",
    }
)
#: words that name what later sentences may go on about
_NAME_KINDS = frozenset({"indicator", "component", "topic", "place", "subset", "capital", "clause"})
#: places a clause names that speak of the whole province again, not of a part of it
_WHOLE_PLACES = frozenset({"province", "national", "self"})
#: "cao hơn mức (tăng|chung) X": X is the level compared with
_COMPARED_LEVEL = re.compile(r"(?<!\w)mức(?!\w)")
#: "5,05% của cả nước", "11,2% của cùng kỳ": a number said of the place or period after it
_SAID_OF = re.compile(r"\s*của\s+")
#: "X của [khu vực] Y": X of Y (a few words may stand before Y's name)
_OF_THING = re.compile(r"\s*của\s+(?:[^\W\d_]+\s+){0,2}")
#: "thu từ [khu vực doanh nghiệp] X" right before a name: revenue collected from X (a
#: line of the budget's revenue), not X's own indicator; "doanh thu từ" (turnover) is not
_REVENUE_FROM = re.compile(r"(?<!\w)(?<!doanh\s)thu\s+từ(?:\s+[^\W\d_]+){0,4}\s+$")
#: what may stand before a province opening a sentence: "Tại Khánh Hòa, …", "Riêng Hà Nội"
_HEAD_PLACE_LEAD = re.compile(
    r"\s*(?:(?:tại|riêng|ở|còn|với)\s+)?(?:(?:tỉnh|thành\s+phố|tp\.?)\s*)?"
)
#: "<part> trong [tổng] <whole>" after a share word
_IN_WHOLE = re.compile(r"\s*trong\s+(?:tổng\s+)?")
#: a ranking before the country's name: "thứ 3 trên cả nước", "dẫn đầu cả nước"
_RANKED_AMONG = re.compile(
    r"(?<!\w)(?:thứ\s+(?:[0-9]+|nhất|hai|ba|tư|năm)|dẫn\s+đầu|đứng\s+đầu|top\s+[0-9]+)"
    r"\s+(?:(?:trên|trong|của)\s+)?$"
)
#: what separates the numbers of a list ("12%, 15% và 35%")
_LIST_GLUE = re.compile(r"\s*(?:,|và|;)?\s*(?:và\s*)?")
_COMPARATIVES = frozenset({"cao hơn", "thấp hơn", "nhiều hơn", "ít hơn"})
_PLAN_AFTER = re.compile(
    r"\s*(?:so\s+với\s+)?(?:kế\s+hoạch|dự\s+toán|kh\b|chỉ\s+tiêu|mục\s+tiêu|nhiệm\s+vụ)"
)
_COMPARE_AFTER = re.compile(r"\s*(?:so\s+với|so)\b")
#: a period said as a span of time (a flow), not a point in time (a stock's date)
_DIGIT = re.compile(r"[0-9]")
_PROPER_RUN = re.compile(rf"(?:\s+(?:[{UPPER}0-9][\w.-]*|-))+")
_FLOW_PHRASE = re.compile(r"từ\s+đầu\s+năm|từ\s+ngày|\d+\s+tháng|qu[ýy]|trong\s+tháng")
_PER_DAY = re.compile(r"mỗi\s+ngày|một\s+ngày|/\s*ngày|hằng\s+ngày|hàng\s+ngày|bình\s+quân")


_BOUNDARY_KINDS = {";": "semi", ",": "comma", ":": "colon", "(": "open", ")": "close"}


# ------------------------------------------------------------------------------- words
def _tokens(
    original: str,
    masked: str,
    verbs: bool = True,
    nouns: Sequence[PhraseMatch[Entry]] | None = None,
) -> list[Tok]:
    """The words of a paragraph (``nouns``: the noun phrases of ``masked`` if the caller
    has them already)."""
    out: list[Tok] = []
    found = noun_matcher().finditer(masked) if nouns is None else nouns
    for m in found:
        by_kind: dict[tuple[str, str], list[str]] = {}
        for e in m.entries:
            if (
                e.kind == "place"
                and e.role == "province"
                and not is_proper_noun(original, m.start, m.end, e.phrase)
            ):
                continue  # "hòa bình" (peace) is not "Hòa Bình"
            values = by_kind.setdefault((e.kind, "" if e.kind == "component" else e.role), [])
            if e.value and e.value not in values:
                values.append(e.value)
        for (kind, role), values in by_kind.items():
            if kind == "place" and role == "subplace" and _the_city_itself(original, m):
                role = "self"  # "trên địa bàn Thành phố 9 tháng": the city the text is about
            elif kind == "place" and role == "subplace" and not _names_a_place(original, m):
                continue
            out.append(Tok(m.start, m.end, kind, role, tuple(values), m.text))
    if not verbs:
        return out
    in_name = bytearray(len(masked) + 1)
    for t in out:
        if t.kind in ("indicator", "place", "component", "topic"):
            in_name[t.start : t.end] = b"\x01" * (t.end - t.start)
    for m in verb_matches(masked):
        inside = in_name[m.start] and in_name[m.end - 1]
        for e in m.entries:
            if e.role not in ("growth", "share") and inside:
                # a word of a name ("bình quân" in "GRDP bình quân đầu người"), unless it
                # says growth or a structure ("cơ cấu kinh tế")
                continue
            out.append(Tok(m.start, m.end, e.kind, e.role, (), m.text))
    out.sort(key=lambda t: (t.start, -t.end))
    return out


def _bare_count(q: Quantity) -> bool:
    """A number with no unit, scale or range: a value only after a verb of quantity."""
    return q.kind == "bare" and q.scale == 1.0 and q.low is None


def _the_city_itself(original: str, m: PhraseMatch) -> bool:
    """A capitalised "Thành phố" with no name after it: the city the text is about (a
    centrally-run city's reports say "Thành phố" for themselves)."""
    after = original[m.end : m.end + 30].lstrip()
    return m.text == "thành phố" and original[m.start : m.start + 1] == "T" and not (
        after[:1].isupper()
    )


def _names_a_place(original: str, m: PhraseMatch) -> bool:
    """A head noun of a smaller place heads a proper name: a capitalised name follows it
    ("huyện Đồng Văn", "Khu kinh tế Dung Quất"), or the head itself is capitalised inside
    a sentence ("Riêng Khu du lịch sinh thái Tràng An đón …")."""
    after = original[m.end : m.end + 30].lstrip()
    if after[:1].isupper() or after[:1].isdigit():
        return True
    before = original[max(0, m.start - 3) : m.start].rstrip()
    return original[m.start : m.start + 1].isupper() and before[-1:] not in (
        "",
        ".",
        "!",
        "?",
        ":",
        ";",
        "\n",
    )


def _mask(folded: str, periods: list[PeriodMention]) -> str:
    if not periods:
        return folded
    chars = list(folded)
    for pm in periods:
        chars[pm.start : pm.end] = " " * (pm.end - pm.start)
    return "".join(chars)


# ----------------------------------------------------------------------------- clauses
def _clauses(
    masked: str, lo: int, hi: int, protected: bytearray, toks: list[Tok], quantities: list[Quantity]
) -> list[Clause]:
    """Cut the sentence ``masked[lo:hi]`` into clauses (see the module docstring)."""
    cuts: list[tuple[int, int, str]] = []  # (position, where the next clause starts, kind)
    for m in _BOUNDARY.finditer(masked, lo, hi):
        if protected[m.start()]:
            continue
        ch = m.group(0).strip()
        kind = _BOUNDARY_KINDS.get(ch, "dash")
        cuts.append((m.start(), m.end(), kind))
    for t in toks:
        if t.kind == "clause" and t.role in ("breakdown", "contrast", "restatement"):
            cuts.append((t.start, t.start, "restate" if t.role == "restatement" else t.role))
    tok_starts = [t.start for t in toks]
    for m in _AND.finditer(masked, lo, hi):
        k = bisect.bisect_left(tok_starts, m.end())
        while k < len(toks) and toks[k].kind not in ("measure", "status"):
            if toks[k].start - m.end() > 2:
                break
            k += 1
        if k < len(toks) and toks[k].start - m.end() <= 2 and toks[k].kind in ("measure", "status"):
            cuts.append((m.start(), m.start(), "and"))
    cuts.sort()
    q_starts = [q.start for q in quantities]

    def has_quantity(a: int, b: int) -> bool:
        k = bisect.bisect_left(q_starts, a)
        return k < len(q_starts) and q_starts[k] < b

    clauses: list[Clause] = []
    pos, opener, host = lo, "start", None
    brackets: list[bool] = []  # for each open bracket: does it make a clause?
    for at, resume, kind in cuts:
        if at < pos:
            continue
        if kind == "open":
            close = masked.find(")", at, hi)
            if close < 0 or not has_quantity(at, close):
                brackets.append(False)  # a bracket without a number is part of its clause
                continue
            brackets.append(True)
            clauses.append(Clause(pos, at, opener, host))
            pos, opener, host = resume, "paren", len(clauses) - 1
            continue
        if kind == "close":
            if brackets and brackets.pop():
                clauses.append(Clause(pos, at, opener, host))
                pos, opener, host = resume, "after_paren", None
            continue
        if brackets and not brackets[-1] and kind in ("comma", "colon", "dash"):
            continue  # punctuation inside a bracket that is part of its clause
        if at == pos and kind in ("breakdown", "contrast", "and", "restate"):
            if opener in ("start", "comma", "semi", "colon", "after_paren"):
                opener = kind
            continue
        clauses.append(Clause(pos, at, opener, host))
        pos, opener = resume, kind
        if kind in ("semi",):
            host = None
    clauses.append(Clause(pos, hi, opener, host))
    return clauses


# ------------------------------------------------------------------------------ words
class ParagraphWords:
    """The words of a paragraph, found once for all its sentences: period expressions
    (masked so years and dates are never values), quantities, noun phrases and verbs.
    Offsets are offsets of the paragraph's reading string."""

    def __init__(
        self,
        original: str,
        folded: str,
        context_year: int | None,
        english: bool = False,
        nouns: Sequence[PhraseMatch[Entry]] | None = None,
    ) -> None:
        """``nouns`` are the noun phrases of ``folded`` when the caller has them (the
        document's place was decided on them): they are reused when no period expression
        is masked, the masked text being ``folded`` itself."""
        self.original = original
        self.folded = folded
        self.periods = find_periods(folded, context_year)
        self.masked = _mask(folded, self.periods)
        has_digits = _DIGIT.search(folded) is not None
        self.quantities = (
            find_quantities(self.masked, _identifier(), english) if (has_digits) else []
        )
        reused = nouns if not self.periods else None  # (no period: masked is folded)
        self.toks = _tokens(original, self.masked, verbs=has_digits, nouns=reused)
        self.protected = bytearray(len(folded) + 1)
        name_cover = bytearray(len(folded) + 1)
        for q in self.quantities:
            self.protected[q.start : q.end] = b"\x01" * (q.end - q.start)
        for t in self.toks:
            if t.kind in ("indicator", "component", "place", "topic", "subset", "capital"):
                self.protected[t.start : t.end] = b"\x01" * (t.end - t.start)
            if t.kind == "indicator":
                name_cover[t.start : t.end] = b"\x01" * (t.end - t.start)
        self.count_words = (
            list(count_context_matcher().finditer(self.masked)) if (self.quantities) else []
        )
        # status cues outside indicator names ("kế hoạch vốn" names a plan indicator)
        self.status_cues = [
            t
            for t in self.toks
            if t.kind == "status" and not (name_cover[t.start] and name_cover[t.end - 1])
        ]
        self._function_toks: dict[tuple[int, int], list[Tok]] = {}
        self.q_starts = [q.start for q in self.quantities]
        self.tok_starts = [t.start for t in self.toks]
        self.name_starts = [t.start for t in self.toks if t.kind in _NAME_KINDS]
        self.period_starts = [p.start for p in self.periods]
        self.status_starts = [t.start for t in self.status_cues]
        self.count_starts = [m.start for m in self.count_words]

    def says_anything(self, a: int, b: int) -> bool:
        """``[a, b)`` holds a number, a period or a word that names something a later
        sentence may go on about (a sentence without any changes nothing)."""
        for starts in (self.q_starts, self.period_starts, self.name_starts):
            k = bisect.bisect_left(starts, a)
            if k < len(starts) and starts[k] < b:
                return True
        return False

    def function_toks(self, a: int, b: int) -> list[Tok]:
        """Function words lying in ``[a, b)`` (matched in that window only: readers ask
        for a few short windows of a paragraph; a window ends at a number or a clause's
        punctuation, which no function word crosses)."""
        found = self._function_toks.get((a, b))
        if found is None:
            found = self._function_toks[(a, b)] = [
                Tok(m.start, m.end, "function", "filler", (), m.text)
                for m in function_matcher().finditer(self.masked, a, b)
            ]
        return found


def _within(items: list, starts: list[int], lo: int, hi: int) -> list:
    """The items (sorted by start, with an ``end``) lying inside ``[lo, hi)``."""
    i = bisect.bisect_left(starts, lo)
    j = bisect.bisect_left(starts, hi, i)
    return [x for x in items[i:j] if x.end <= hi]


# ------------------------------------------------------------------------------ reader
class SentenceReader:
    """Reads the numbers of one sentence (``[lo, hi)`` of its paragraph) in the context
    of its scope. Offsets are paragraph offsets."""

    def __init__(
        self,
        words: ParagraphWords,
        lo: int,
        hi: int,
        scope: Scope,
        publication: Publication,
        doc_geo: Decision,
        recent: list[Period] | None = None,
        recent_codes: tuple[str, ...] = (),
    ) -> None:
        self.words = words
        # indicators read in the last paragraphs, most recent last (a part named with no
        # whole in force belongs to the latest of them it is a part of)
        self.recent_codes = recent_codes
        self.original = words.original
        self.folded = words.folded
        self.masked = words.masked
        self.lo, self.hi = lo, hi
        self.scope = scope
        self.pub = publication
        self.doc_geo = doc_geo
        self.catalogue = catalogue()
        self.state = SentenceState()
        self.recent = recent if recent is not None else []  # periods stated earlier
        self.first_period: Decision | None = None
        self.periods = _within(words.periods, words.period_starts, lo, hi)
        self.quantities = _within(words.quantities, words.q_starts, lo, hi)
        self.toks = _within(words.toks, words.tok_starts, lo, hi)
        self.count_words = _within(words.count_words, words.count_starts, lo, hi)
        self.status_cues = _within(words.status_cues, words.status_starts, lo, hi)
        self.clauses = _clauses(self.masked, lo, hi, words.protected, self.toks, self.quantities)
        self.clause_starts = [c.start for c in self.clauses]
        self.q_starts = [q.start for q in self.quantities]
        self.tok_starts = [t.start for t in self.toks]
        self._toks_in: dict[tuple[int, int], list[Tok]] = {}
        self.ref_periods = [p for p in self.periods if not p.is_name]
        self.ref_starts = [p.start for p in self.ref_periods]
        self.all_starts = [p.start for p in self.periods]
        self.status_starts = [t.start for t in self.status_cues]
        first = [p.start for p in self.ref_periods if p.horizon]
        self.first_horizon = first[0] if first else None
        first = [p.start for p in self.periods if p.kind == "now"]
        self.first_now = first[0] if first else None

    def function_toks(self, a: int, b: int) -> list[Tok]:
        return self.words.function_toks(a, b)

    # -- helpers ---------------------------------------------------------------------
    def _set_period(self, d: Decision) -> None:
        self.state.period = d
        if self.first_period is None:
            self.first_period = d

    def _context_year(self) -> int | None:
        d = self.scope.find("period")
        if d is not None:
            return d.value.end.year
        if self.pub.year:
            return self.pub.year
        d = self.scope.find("year")
        return d.value if d is not None else None

    def clause_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.clause_starts, pos) - 1)

    def toks_in(self, a: int, b: int) -> list[Tok]:
        """Words lying inside ``[a, b)`` (remembered: readers ask for the same windows
        again; the list returned is shared and must not be changed)."""
        found = self._toks_in.get((a, b))
        if found is None:
            found = self._toks_in[(a, b)] = _within(self.toks, self.tok_starts, a, b)
        return found

    def is_reference(self, p: PeriodMention, lo: int = 0) -> bool:
        """A period the statement is about: not a comparison base ("so với năm 2020"),
        not the scope of a superlative ("cao nhất trong cả nhiệm kỳ"), not a name."""
        if p.is_name:
            return False
        before = self.masked[max(lo, self.lo, p.start - 30) : p.start]
        if _COMPARED_BEFORE.search(before) or re.search(
            r"(?:cao|thấp|lớn|nhỏ|nhiều|ít)\s+nhất\s+(?:\S+\s+){0,2}$|từ\s+trước\s+(?:tới|đến)\s+nay\s*$",
            before,
        ):
            return False
        return p.kind not in _RELATIVE_KINDS

    def periods_in(self, a: int, b: int) -> list[PeriodMention]:
        """Reference periods lying in ``[a, b)`` (none in most windows: a quick look
        first)."""
        starts = self.ref_starts
        if not starts or starts[-1] < a or starts[0] >= b:
            return []
        return _within(self.ref_periods, starts, a, b)

    def all_periods_in(self, a: int, b: int) -> list[PeriodMention]:
        """Every period expression (names included) starting in ``[a, b)``."""
        i = bisect.bisect_left(self.all_starts, a)
        j = bisect.bisect_left(self.all_starts, b)
        return self.periods[i:j]

    # -- the sentence ------------------------------------------------------------------
    def stated_periods(self) -> list[Period]:
        """The explicit periods this sentence stated (for later sentences' references)."""
        return [p.period for p in self.ref_periods if p.period is not None]

    def read(self) -> list[Reading]:
        out: list[Reading] = []
        self.readings = out  # the sentence's readings so far
        qi = 0
        for ci, clause in enumerate(self.clauses):
            self._clause_context(ci, clause)
            while qi < len(self.quantities) and self.quantities[qi].start < clause.end:
                q = self.quantities[qi]
                qi += 1
                if q.start < clause.start:
                    continue
                reading = self._read_quantity(q, ci, clause)
                if reading is not None:
                    out.append(reading)
                    self.state.last_reading = reading
                    for code in reading.evidence.get("also", ()):
                        other = self.catalogue.get(code)
                        if other is not None:
                            twin = dataclasses.replace(
                                reading, indicator=other, evidence=dict(reading.evidence)
                            )
                            twin.evidence["subject_rule"] = "named with the first indicator"
                            out.append(twin)
        return out

    def _first_quantity_at(self, pos: int) -> int | None:
        """Start of the first quantity at or after ``pos``."""
        k = bisect.bisect_left(self.q_starts, pos)
        return self.q_starts[k] if k < len(self.q_starts) else None

    def _has_quantity(self, clause: Clause) -> bool:
        first = self._first_quantity_at(clause.start)
        return first is not None and first < clause.end

    def _first_value_at(self, pos: int, end: int) -> int | None:
        """Start of the first number in ``[pos, end)`` that may be a value (not a bare
        number without a verb of quantity: "trong 7 ngày nghỉ Tết")."""
        k = bisect.bisect_left(self.q_starts, pos)
        while k < len(self.quantities) and self.q_starts[k] < end:
            q = self.quantities[k]
            if not _bare_count(q) or _VALUE_VERB.search(
                self.masked[max(pos, q.start - 14) : q.start]
            ):
                return q.start
            k += 1
        return None

    def _clause_context(self, ci: int, clause: Clause) -> None:
        """Sentence-wide statements made by a clause: the running period, a comparison
        for the whole sentence ("So với cùng kỳ, …"), status cues."""
        if clause.opener == "semi":
            self.state.subplace = None  # a smaller place speaks up to the next ';'
        has_q = self._has_quantity(clause)
        # a period before the clause's first value (or in a clause without one) runs on
        first_value = self._first_value_at(clause.start, clause.end)
        for p in self.periods_in(clause.start, clause.end):
            if p.kind == "name":
                continue
            before = self.masked[max(clause.start, p.start - 25) : p.start]
            if not self.is_reference(p, clause.start) and not _COMPARED_BEFORE.search(before):
                continue
            if _COMPARED_BEFORE.search(before):
                if not has_q:
                    base = self._resolve_relative(p)
                    self.state.base = Decision((p, base), "sentence", p.text)
                continue
            resolved = self._resolve_relative(p)
            before_values = first_value is None or p.start < first_value
            if resolved is not None and p.kind not in _RELATIVE_KINDS and before_values:
                self._set_period(Decision(resolved, "sentence", p.text))
        # a clause with no number that names its subject sets it for the clauses after
        if not has_q:
            clause_toks = self.toks_in(clause.start, clause.end)
            if any(t.kind == "measure" and t.role == "share" for t in clause_toks):
                self.state.share = True
            narrower = self._subplaces(clause_toks)
            attributed = any(t.kind == "clause" and t.role == "attribution" for t in clause_toks)
            if narrower and not attributed:  # not "Chi cục Thống kê tỉnh cho biết, …"
                self.state.subplace = narrower[-1]
            subject = self._named_subject(clause.start, clause.end)
            if subject is not None:
                self.state.subject = subject
                self.state.pending = ci
                if subject.value.known:
                    self.state.whole = subject

    def _named_subject(self, a: int, b: int) -> Decision | None:
        toks = self.toks_in(a, b)
        narrower = self._subplaces(toks)
        for t in toks:  # the head of the clause, not its object
            if t.kind in ("indicator", "topic"):
                return Decision(
                    Subject(t.values, t.text, growth=self._growth_near(t, b)), "clause", t.text
                )
            if narrower and t is narrower[0]:
                return Decision(UNKNOWN, "clause", t.text)
        return None

    def _names_its_own(self, a: int, b: int) -> bool:
        """``[a, b)`` names a thing, a part or a smaller place of its own ("(khách quốc
        tế 210.000 lượt, …)": the bracket is not about the number it follows)."""
        toks = self.toks_in(a, b)
        return any(t.kind in ("indicator", "component", "topic", "subset") for t in toks) or bool(
            self._subplaces(toks)
        )

    def _growth_near(self, tok: Tok, end: int) -> bool:
        lo = max(0, tok.start - 30)
        return any(
            t.kind == "measure" and t.role == "growth" and lo <= t.start < end
            for t in self.toks_in(lo, end)
        ) or bool(_GROWTH_WORDS.search(tok.text))

    # -- one number ----------------------------------------------------------------------
    def _read_quantity(self, q: Quantity, ci: int, clause: Clause) -> Reading | None:
        s = self.masked
        lo = max(clause.start, q.start - WINDOW)
        if clause.host is not None:
            host = self.clauses[clause.host]
            lo_host = max(host.start, host.end - WINDOW)
        else:
            host = None
            lo_host = lo
        before = s[lo : q.start]
        # bare numbers are values only after a verb of quantity
        if (
            _bare_count(q)
            and not _VALUE_VERB.search(before[-14:])
            and not (host is not None and s[lo : q.start].strip() == "")
        ):
            return None
        if q.kind in ("fraction", "bare") and _RANK_BEFORE.search(before[-20:]):
            q.kind = "rank"
        ev: dict[str, Any] = {
            "clause": self.original[clause.start : min(clause.end, clause.start + 200)].strip()
        }
        # a bracketed number is read with its own words only: the verbs before the
        # bracket belong to the number they compare it with
        verbs = [t for t in self.toks_in(lo, q.start) if t.kind in ("measure", "status")]
        subject, how = self._subject(q, ci, clause, host, lo, lo_host)
        before = self.toks_in(lo, q.start)
        own_places = self._subplaces(before)
        if own_places:  # "Riêng huyện X …, trong đó …": the clauses after speak of it too
            self.state.subplace = own_places[-1]
        whole = any(t.kind == "place" and t.role in _WHOLE_PLACES for t in before)
        place_scope = own_places or (
            [self.state.subplace] if self.state.subplace is not None and not whole else []
        )
        if place_scope and subject is not None and subject.value.known:
            t = place_scope[-1]
            subject, how = (
                Decision(UNKNOWN, "clause", t.text),
                (f"'{t.text}': a place inside the province, not its total"),
            )
        narrower, is_subset = self._narrowed_count(q)
        if (
            narrower
            and subject is not None
            and subject.value.known
            and (how not in ("the count's noun", "name around it") or is_subset)
        ):
            subject, how = (
                Decision(UNKNOWN, "clause", narrower),
                (f"counts '{narrower}': not the indicator's thing"),
            )
        ev["subject_rule"] = how
        code, ind = self._pick(subject, q)
        if subject is not None and subject.value.also and ind is not None:
            ev["also"] = [c for c in subject.value.also if self._compatible(c, q)]
        ev["subject"] = (
            subject.evidence() | {"codes": list(subject.value.codes)} if subject else None
        )
        measure, direction, mcue, factor_pct = self._measure(q, ind, verbs, clause, host, subject)
        ev["measure_cue"] = mcue
        if measure == "growth_share":
            if ind is not None:
                ev["indicator_rule"] = f"a share of the growth of {ind.code}: unassigned"
            ind, measure = None, "share_pct"
        if ind is not None and q.is_pct and measure == "level" and not ind.is_rate:
            ev["indicator_rule"] = f"a percentage of {ind.code} with no measure: unassigned"
            ind = None
        if (
            ind is not None
            and measure == "multiple_of_base"
            and self._compared_with_a_place(q, clause)
        ):
            # "gấp 2,3 lần mức bình quân cả nước": a multiple of another place's value
            ev["indicator_rule"] = "a multiple of another place's value: unassigned"
            ind = None
        if ind is not None and q.kind == "pp" and not ind.is_rate and measure != "contribution_pp":
            # "thấp hơn cả nước 1,9 điểm phần trăm": points change a rate (here the growth
            # rate), which no measure of an amount says
            ev["indicator_rule"] = f"percentage points of {ind.code}, not a rate: unassigned"
            ind = None
        period_d, own_period = self._period(q, clause, host, measure, ind)
        if period_d is None:
            return None
        period = period_d.value
        ev["period"] = period_d.evidence()
        if measure in ("avg_annual_growth_pct", "avg_annual_change_abs"):
            per_year = q.per == "năm" or any(v.role == "per_year" for v in verbs)
            if not per_year and period.grain != "years":
                # "bình quân 11 tháng tăng 3,1%": an average over one period, year on year
                measure = "yoy_pct" if measure == "avg_annual_growth_pct" else "change_abs"
                ev["measure_cue"] = "bình quân over one period: year on year"
        base_d = self._base(q, clause, period, measure)
        base = base_d.value if base_d else None
        if measure == "change_pct" and base is None:
            measure = "yoy_pct"
        if base is not None and measure == "yoy_pct":
            if base == period.shifted_years(-1):
                base = None
            else:
                measure = "change_pct"
        if measure in ("change_pct", "yoy_pct") and base_d and base_d.cue == "(same period)":
            measure, base = "yoy_pct", None
        ev["base"] = base_d.evidence() if base_d else None
        if measure in ("avg_annual_growth_pct", "avg_annual_change_abs"):
            self.state.average = period
        elif self.state.average == period and direction and measure in ("yoy_pct", "change_abs"):
            # "bình quân hằng năm … 6,79%, trong đó: nông nghiệp tăng 5,93%": the parts of an
            # annual average are annual averages
            measure = "avg_annual_growth_pct" if measure == "yoy_pct" else "avg_annual_change_abs"
            ev["measure_cue"] = "part of an annual average stated before it"
        last = self.state.last_reading
        if (
            ind is not None
            and last is not None
            and last.measure == "share_pct"
            and last.indicator is ind
            and measure in ("yoy_pct", "change_pct")
            and how == "the sentence's subject"
        ):
            # "chiếm 20,28%, giảm 2,96% so với năm 2020": the change of a share has no
            # measure of its own here
            ev["indicator_rule"] = f"change of the share of {ind.code}: unassigned"
            ind = None
        status_d = self._status(q, clause, period, own_period, ind)
        ev["status"] = status_d.evidence()
        status = status_d.value
        each_year = any(v.role == "per_year" for v in verbs)
        period = self._adjust_period(
            period, period_d, measure, status, ind, own_period, ev, each_year
        )
        geo_d = self._geo(q, clause, host, subject)
        ev["geo"] = geo_d.evidence()
        unit, factor = _unit_and_factor(q, ind, measure)
        value = q.value * factor
        low = q.low * factor if q.low is not None else None
        high = q.high * factor if q.high is not None else None
        qualifier = q.qualifier
        if factor_pct is not None:  # "vượt 18,4% dự toán", "bằng 102,7% cùng kỳ"
            value = factor_pct(value)
            low = factor_pct(low) if low is not None else None
            high = factor_pct(high) if high is not None else None
        if direction < 0 and measure not in (
            "level",
            "share_pct",
            "pct_of_plan",
            "multiple_of_base",
            "rank",
        ):
            value = -value
            low, high = (-high if high is not None else None), (-low if low is not None else None)
            qualifier = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}.get(
                qualifier, qualifier
            )
        if qualifier in ("gt", "gte"):
            low, high = value, None
        elif qualifier in ("lt", "lte"):
            low, high = None, value
        elif qualifier != "range":
            low = high = None
        reading = Reading(
            q.start,
            q.end,
            ind,
            measure,
            value,
            low,
            high,
            qualifier,
            unit,
            period,
            base,
            status,
            geo_d.value,
            ev,
        )
        # remember for the clauses after this one
        if (
            subject is not None
            and subject.value.known
            and ind is None
            and q.kind in ("money", "count")
            and clause.host is None  # not a restatement in brackets ("(khoảng 10.400 USD)")
        ):
            # the name before an amount it does not fit ("vốn đăng ký bình quân một doanh
            # nghiệp thành lập mới … đạt 9,6 tỷ đồng"): the sentence speaks of something
            # no list names, and its next figures are not the name's
            self.state.subject = Decision(UNKNOWN, subject.level, subject.cue)
        elif subject is not None:
            self.state.subject = subject
            if subject.value.known and how.startswith(
                ("name", "the count", "the document", "the section", "the paragraph")
            ):
                self.state.whole = subject
        if ind is not None and q.kind == "count":
            self.state.counted = ind.code
        if q.is_pct and ind is not None:
            self.state.measure = measure
        if geo_d.level == "clause" and clause.host is None:
            self.state.place = geo_d
        return reading

    # -- subject ------------------------------------------------------------------------
    def _subject(
        self, q: Quantity, ci: int, clause: Clause, host: Clause | None, lo: int, lo_host: int
    ) -> tuple[Decision | None, str]:
        s = self.masked
        # a name whose gap holds the number ("thành lập mới 612 doanh nghiệp")
        for t in self.toks_in(max(0, q.start - 60), q.end + 60):
            if (
                t.kind == "indicator"
                and t.start < q.start
                and t.end >= q.end
                and "..." not in t.text
            ):
                return Decision(Subject(t.values, t.text), "clause", t.text), "name around it"
        # a bracketed value right after a name is that name's value ("… chiếm 60% tổng
        # thu ngân sách (12.840 tỷ đồng)"); after a number, it is compared with that
        # number and about the same thing ("4.725 doanh nghiệp (tăng 148% so với năm 2019
        # = 1.905 doanh nghiệp)")
        if host is not None:
            named_before = [
                t
                for t in self.toks_in(max(host.start, host.end - 60), host.end)
                if t.kind == "indicator" and host.end - t.end <= 3
            ]
            if named_before and self._compatible_any(named_before[-1].values, q):
                t = named_before[-1]
                return Decision(Subject(t.values, t.text), "clause", t.text), (
                    "the name the bracket follows"
                )
        if (
            host is not None
            and self._has_quantity(host)
            and self.state.subject is not None
            and not self._names_its_own(clause.start, q.start)
        ):
            inherited = self.state.subject
            if inherited.value.known and self._compatible_any(inherited.value.codes, q):
                return inherited, "the number the bracket belongs to"
        # "đạt 70% mục tiêu đón 7 triệu lượt khách": the plan's own words say of what
        plan = _PLAN_AFTER.match(s, q.end) if q.is_pct else None
        if plan is not None:
            named = [
                t
                for t in self.toks_in(plan.end(), min(clause.end, plan.end() + 40))
                if t.kind == "indicator"
            ]
            if named:
                t = named[0]
                return Decision(Subject(t.values, t.text), "clause", t.text), (
                    "named in the plan it is a percentage of"
                )
        respective = self._respective_subject(q, clause) or self._in_terms_of(q)
        if respective is not None:
            return respective
        # the count's own noun phrase ("126/162 xã đạt chuẩn nông thôn mới"), unless a
        # topic heads the clause ("vận chuyển hành khách đạt 41,2 triệu lượt khách")
        if q.kind == "count" and not any(
            t.kind == "topic" for t in self.toks_in(max(clause.start, q.start - WINDOW), q.start)
        ):
            end = min(clause.end, q.end + 40)
            own = [
                t
                for t in self.toks_in(q.start, end)
                if t.start <= q.end + 2
                and (
                    t.kind == "indicator"
                    and self._compatible_any(t.values, q)
                    # a topic going on past the counted noun ("28 xã đạt chuẩn nông thôn
                    # mới nâng cao"), not the counted noun itself ("2.150 lao động")
                    or t.kind == "topic"
                    and t.end > q.end + 1
                )
            ]
            if own:
                t = own[0]
                return Decision(Subject(t.values, t.text), "clause", t.text), "the count's noun"
        # a name before the number in its clause
        continues = self.state.pending == ci - 1 and clause.opener in ("comma", "and")
        named = self._subject_before(q, lo, q.start, allow_unknown=not continues)
        if named is not None:
            return named
        if host is not None:
            named = self._subject_before(q, lo_host, host.end)
            if named is not None:
                dec, how = named
                return dec, how + " (the clause the bracket belongs to)"
        # a name right after the number: "giảm 2% hộ nghèo", "đón 7,5 triệu lượt khách du lịch",
        # or said of it: "mức tăng 0,45% của CPI"
        after = [t for t in self.toks_in(q.end, clause.end) if t.start < q.end + 40]
        verbs_before = [t for t in self.toks_in(lo, q.start) if t.kind == "measure"]
        denominator = bool(verbs_before) and verbs_before[-1].role in ("share", "equal")
        if after and not denominator:
            t = after[0]
            right_after = t.start - q.end <= 2 or bool(_SAID_OF.fullmatch(s, q.end, t.start))
            if t.kind == "indicator" and right_after and not _PLAN_AFTER.match(s, q.end):
                # "giảm 5% tai nạn giao thông và tội phạm": one number, two indicators
                also = tuple(
                    b.values[0]
                    for a, b in zip(after, after[1:], strict=False)
                    if a.kind == b.kind == "indicator"
                    and _AND_BETWEEN.fullmatch(s[a.end : b.start])
                )
                return Decision(Subject(t.values, t.text, also=also), "clause", t.text), (
                    "name after it"
                )
        # a count followed by words saying which of them ("có 96 doanh nghiệp tạm ngừng
        # kinh doanh"): those words decide, not a subject in force
        which = self._count_words_right_after(q)
        if which is not None:
            return self._count_decision(q, which)
        # an amount followed by words no list knows names a thing of its own ("thu hút
        # 6.000 tỷ đồng vốn ngoài ngân sách"): no subject in force is its subject
        own_thing = self._unknown_tail(q, clause)
        if own_thing is not None:
            return Decision(UNKNOWN, "clause", own_thing), (
                f"'{own_thing}' after the amount is not catalogued"
            )
        # a clause with no subject of its own continues the sentence's
        inherited = self.state.subject
        if inherited is not None and (
            not inherited.value.known
            or inherited.value.is_topic  # "có 1.250 doanh nghiệp …, trong đó … chiếm 14%"
            or (
                self._compatible_any(inherited.value.codes, q) and self._names_counted(inherited, q)
            )
        ):
            return inherited, "the sentence's subject"
        placed = self._place_in(lo, q.start) or (
            self._place_in(host.start, host.end) if host else None
        )
        # a sentence whose first clause names nothing ("Lũy kế 5 tháng đạt …") goes on
        # about the subject of the sentence before it, unless it speaks of growth alone
        zero_subject = clause.opener == "start" and not any(
            t.kind == "measure" and t.role in measure_defaults() for t in self.toks_in(lo, q.start)
        )
        if placed is not None or clause.opener == "breakdown" or zero_subject:
            for level in ("paragraph", "section", "document"):
                d = self.scope.find("subject", above=level)
                if d is not None and d.value.known and self._compatible_any(d.value.codes, q):
                    if placed is None and level != "paragraph":
                        break
                    return d, f"the {d.level}'s subject"
        # what the words around a count say it counts ("có 120 doanh nghiệp": the stock)
        if q.kind == "count":
            around = [
                m
                for m in self.count_words
                if lo <= m.start
                and m.end <= min(self.hi, q.end + 30)
                and any(e.role == q.unit for e in m.entries)
            ]
            if around:
                nearest = min(around, key=lambda m: min(abs(m.end - q.start), abs(m.start - q.end)))
                return self._count_decision(q, nearest)
        # growth with nothing named is the economy's growth
        if q.is_pct:
            growth = [
                t
                for t in self.toks_in(lo, q.start)
                if t.kind == "measure" and t.role in measure_defaults()
            ]
            if growth:
                code = measure_defaults()[growth[-1].role]
                return Decision(
                    Subject((code,), growth[-1].text, growth=True), "clause", growth[-1].text
                ), "growth with nothing named"
        # what the counted noun implies
        if q.kind == "count" and q.unit in count_defaults():
            code = count_defaults()[q.unit]
            return Decision(Subject((code,), q.unit_text), "clause", q.unit_text), "counted noun"
        if q.kind == "count" and q.unit == "VEHICLE" and _PER_DAY.search(s[lo : q.end + 20]):
            code = count_defaults().get("VEHICLE_PER_DAY")
            if code:
                return Decision(Subject((code,), q.unit_text), "clause", q.unit_text), (
                    "vehicles per day"
                )
        return None, "no subject"

    def _respective_list(self, q: Quantity, clause: Clause) -> tuple[Tok, list[Quantity]] | None:
        """The "lần lượt" (respectively) cue before ``q`` in its clause and the list of
        numbers after it that ``q`` belongs to ("tăng lần lượt 12%, 15% và 35%")."""
        cue = next(
            (
                t
                for t in self.toks_in(clause.start, q.start)
                if t.kind == "clause" and t.role == "respectively"
            ),
            None,
        )
        if cue is None:
            return None
        listed: list[Quantity] = []
        for x in self.quantities:
            if x.start < cue.end:
                continue
            if listed and not _LIST_GLUE.fullmatch(self.masked[listed[-1].end : x.start]):
                break
            listed.append(x)
        if len(listed) < 2 or q not in listed:
            return None
        return cue, listed

    def _respective_period(self, q: Quantity, clause: Clause) -> Decision | None:
        """ "… tháng 11 và 11 tháng năm 2023 tăng lần lượt 1,4% và 10,2%": the k-th number
        of the list is of the k-th of as many periods stated before the cue."""
        found = self._respective_list(q, clause)
        if found is None:
            return None
        cue, listed = found
        periods = [
            (p, resolved)
            for p in self.periods_in(self.lo, cue.start)
            if self.is_reference(p) and (resolved := self._resolve_relative(p)) is not None
        ]
        if len(periods) != len(listed):
            return None
        p, resolved = periods[listed.index(q)]
        return Decision(resolved, "clause", f"{p.text} ({cue.text})")

    def _respective_subject(self, q: Quantity, clause: Clause) -> tuple[Decision, str] | None:
        """ "…, tăng lần lượt 12% và 35%": the k-th number of a list after "lần lượt"
        (respectively) is about the k-th of as many things read before it in the
        sentence."""
        found = self._respective_list(q, clause)
        if found is None:
            return None
        cue, listed = found
        named: list[Indicator] = []
        for r in self.readings:
            fresh = not named or named[-1] is not r.indicator
            if r.end <= cue.start and r.indicator is not None and fresh:
                named.append(r.indicator)
        if len(named) < len(listed):
            return None
        ind = named[len(named) - len(listed) + listed.index(q)]
        if not self._compatible(ind.code, q):
            return None
        return Decision(Subject((ind.code,), cue.text), "clause", cue.text), (
            f"'{cue.text}': number {listed.index(q) + 1} of {len(listed)} is about "
            f"the {listed.index(q) + 1}th of the last {len(listed)} things read"
        )

    def _in_terms_of(self, q: Quantity) -> tuple[Decision, str] | None:
        """ "…, tăng 3,6% về số doanh nghiệp và 11% về vốn": a number followed by "về"
        and words is about the thing read before it that those words name."""
        m = _IN_TERMS_OF.match(self.masked, q.end)
        if m is None:
            return None
        ind = self._read_before_named(m.group(1), q)
        if ind is None:
            if not m.group(1).startswith("số "):
                return None  # "về giá trị", "về lượng": the subject in force, measured so
            # "giảm 3,5% về số lao động": a count of a thing no figure read before was
            # said of; not the subject in force either
            said = m.group(0).strip()
            return Decision(UNKNOWN, "clause", said), f"'{said}': nothing read before"
        return Decision(Subject((ind.code,), m.group(0).strip()), "clause", m.group(0).strip()), (
            f"'{m.group(0).strip()}': the thing read before it with those words"
        )

    def _read_before_named(
        self, named: str, q: Quantity, every_word: bool = False
    ) -> Indicator | None:
        """The one indicator read before ``q`` in the sentence whose words (its number's
        unit, its name) share the most content words with ``named`` (folded) — with
        ``every_word``, hold all of them — if it fits the number."""
        for f in function_matcher().finditer(named):  # "số lượng", "tổng", "các"
            named = named[: f.start] + " " * (f.end - f.start) + named[f.end :]
        words = set(named.split())
        best: list[tuple[int, Indicator]] = []
        for r in self.readings:
            if r.indicator is None or r.end > q.start:
                continue
            cue = (r.evidence.get("subject") or {}).get("cue") or ""
            said = set(self.masked[r.start : r.end].split()) | set(cue.split())
            shared = len(words & said)
            if shared and (not every_word or words <= said):
                best.append((shared, r.indicator))
        if not best:
            return None
        top = max(n for n, _ in best)
        chosen = {ind.code: ind for n, ind in best if n == top}
        if len(chosen) != 1:
            return None
        ind = next(iter(chosen.values()))
        return ind if self._compatible(ind.code, q) else None

    def _names_counted(self, subject: Decision, q: Quantity) -> bool:
        """A count inherits a subject only when the subject names what it counts ("1 khu
        công nghiệp" is not "khu và cụm công nghiệp")."""
        if q.kind != "count" or not subject.cue or q.unit == "RANK":
            return True  # (steps of a rank, "tăng 7 bậc", count no thing of their own)
        noun = _SCALE_PREFIX.sub("", fold(q.unit_text)).strip()
        return not noun or noun in fold(subject.cue)

    def _narrowed_count(self, q: Quantity) -> tuple[str | None, bool]:
        """Words right after a counted noun that make it a narrower thing ("16 doanh
        nghiệp lữ hành", "21 sản phẩm 04 sao", "19 dự án của nhà đầu tư Trung Quốc"), or
        a bare number followed by the noun it counts ("2,31 tiêu chí/xã"); and whether
        they are a subset word ("lượt khách quốc tế": narrower even than the count's
        own name)."""
        if q.kind not in ("count", "bare", "fraction") or (q.kind == "bare" and q.scale != 1):
            return None, False
        m = _NEXT_WORDS.match(self.masked[q.end : min(self.hi, q.end + 40)])
        if not m:
            return None, False
        pos = q.end + m.start(2)
        toks = [t for t in self.toks_in(pos, pos + 40) if t.start <= pos + 1] + [
            t for t in self.function_toks(pos, pos + 40) if t.start <= pos + 1
        ]
        if m.group(1):  # "của …": owned by the province (fine) or by something else
            if any(t.kind == "place" and t.role in ("province", "self", "national") for t in toks):
                return None, False
            return m.group(0).strip(), False
        if any(
            t.kind == "status" and t.role == "achieved" and t.text.startswith(("không", "chưa"))
            for t in toks
        ):
            return m.group(2), False  # "04 chỉ tiêu không đạt": the negation of what is counted
        subset = [t for t in toks if t.kind == "subset"]
        if subset:  # "1,2 triệu lượt khách quốc tế": a part of what the noun counts
            return subset[0].text, True
        if toks:
            return None, False  # a cue, a verb, a place, a connector: the noun phrase ended
        if self.all_periods_in(max(0, pos - 40), pos + 2) and any(
            p.start <= pos + 1 < p.end or p.start == pos
            for p in self.all_periods_in(max(0, pos - 40), pos + 2)
        ):
            return None, False
        if any(pos <= cm.start <= pos + 1 for cm in self.count_words):
            return None, False
        if re.match(
            r"(?:và|với|so|trong|tại|ở|từ|trên|dưới|khoảng|hơn|mỗi|bình|còn|đến|"
            r"tới|được|đã|là|có|đạt|tăng|giảm|chiếm|gồm|trở|lên|xuống|cho|mới|"
            r"hiện|đang|thì|nên|do|nhờ|theo)\b",
            m.group(2),
        ):
            return None, False
        return m.group(2), False

    def _subject_before(
        self, q: Quantity, lo: int, hi: int, allow_unknown: bool = True
    ) -> tuple[Decision, str] | None:
        """The subject named before a number in its clause: the nearest indicator name,
        unless a subset or a place inside the province narrows it, or words that name
        something else stand next to the verb."""
        toks = [t for t in self.toks_in(lo, hi) if t.end <= hi]
        names = [
            t
            for t in toks
            if t.kind in ("indicator", "component", "topic", "capital", "clause")
            and (t.kind != "clause" or t.role == "anaphor")
        ]
        subsets = [t for t in toks if t.kind == "subset"]
        subplaces = self._subplaces(toks)
        if names:
            t = names[-1]
            owner = names[-2] if len(names) > 1 else None
            if (
                owner is not None
                and owner.kind in ("indicator", "component")
                and t.kind == "indicator"
                and _IN_WHOLE.fullmatch(self.masked, owner.end, t.start)
                and any(x.kind == "measure" and x.role == "share" and x.end <= owner.start
                        for x in toks)
            ):
                # "tỷ trọng (giá trị tăng thêm của) kinh tế số trong GRDP": the share of the
                # first, in the second as the whole (the parent of a component)
                whole = t
                self.state.whole = Decision(Subject(whole.values, whole.text), "clause", whole.text)
                t, owner = owner, None
            if (
                owner is not None
                and owner.kind == "indicator"
                and t.kind == "indicator"
                and _OF_THING.fullmatch(self.masked, owner.end, t.start)
            ):
                # "kim ngạch xuất khẩu của khu vực có vốn đầu tư nước ngoài": the first
                # thing, of the second: a part of it, neither indicator
                return Decision(UNKNOWN, "clause", f"{owner.text} … {t.text}"), (
                    f"'{owner.text}' of '{t.text}': a part, not the indicator"
                )
            if t.kind in ("indicator", "topic") and _REVENUE_FROM.search(
                self.masked, max(lo, t.start - 50), t.start
            ):
                # "thu từ các doanh nghiệp FDI tăng 3,5%": what the budget collected from
                # them, one of its revenue lines
                return Decision(UNKNOWN, "clause", t.text), (
                    f"revenue collected from '{t.text}': a line of the budget, not the indicator"
                )
            narrowed = [x for x in subsets if x.start >= t.start - 1] or [
                x for x in subplaces if x.start < t.start or x.start >= t.end
            ]
            if narrowed:
                return Decision(UNKNOWN, "clause", narrowed[0].text), (
                    f"'{narrowed[0].text}' narrows '{t.text}': not the indicator"
                )
            if t.kind == "capital":
                last = self.state.last_reading
                counted = (
                    self.state.counted
                    if (
                        last is not None
                        and last.indicator is not None
                        and last.indicator.code == self.state.counted
                    )
                    else None
                )
                capital = capital_of().get(counted or "")
                if capital is None:
                    return Decision(UNKNOWN, "clause", t.text), "capital of nothing counted"
                return Decision(Subject((capital,), t.text), "clause", t.text), (
                    f"capital of {counted}"
                )
            if t.kind == "clause":  # "chỉ tiêu này": the previous sentence's subject
                d = self.scope.find("subject", above="paragraph")
                if d is not None:
                    return d, f"'{t.text}' refers to the previous sentence"
                return None
            if t.kind == "component":
                return self._component(t, q, hi)
            growth = self._growth_near(t, hi)
            return Decision(Subject(t.values, t.text, growth=growth), "clause", t.text), (
                "name before it"
            )
        if subsets or subplaces:
            t = (subsets or subplaces)[-1]
            return Decision(UNKNOWN, "clause", t.text), f"'{t.text}': not the province's total"
        # words next to the verb that name something uncatalogued ("xi măng tăng 9,7%"),
        # unless the clause continues the predicate of a subject named just before it
        # ("tỷ lệ chất thải … được thu gom, phân loại và xử lý đạt 99%")
        unknown = self._unknown_head(toks, lo, hi) if allow_unknown else None
        if unknown:
            # "…1.865 doanh nghiệp …; số doanh nghiệp tăng 12,8%": words of a thing read
            # before in the sentence name it again
            again = self._read_before_named(unknown, q, every_word=True)
            if again is not None:
                return Decision(Subject((again.code,), unknown), "clause", unknown), (
                    f"'{unknown}' names again what was read before"
                )
            return Decision(UNKNOWN, "clause", unknown), f"'{unknown}' is not catalogued"
        return None

    def _subplaces(self, toks: list[Tok]) -> list[Tok]:
        """Places inside a province (or an old territory) that a clause speaks of, unless
        a province named after them is the clause's subject ("Vùng Đồng bằng sông Cửu
        Long ghi nhận Long An (9,42%)"); a province inside the place's own name ("Nhà máy
        Đạm Cà Mau") does not count."""
        out: list[Tok] = []
        name_end = -1
        for t in toks:
            if t.kind != "place":
                continue
            if t.role in ("subplace", "old_territory"):
                out.append(t)
                name_end = self._name_end(t.end)
            elif (
                t.role in ("province", "national")
                and out
                and out[-1].role != "old_territory"
                and t.start > name_end
            ):
                out = []
        return out

    def _name_end(self, pos: int) -> int:
        """End of the run of capitalised words (a proper name) starting at ``pos``."""
        m = _PROPER_RUN.match(self.original, pos)
        return m.end() if m else pos

    def _base_right_after(self, q: Quantity) -> bool:
        """A comparison period follows the number at once ("bằng 215% cùng kỳ")."""
        return any(
            p.kind in _RELATIVE_KINDS and not self.masked[q.end : p.start].strip()
            for p in self.all_periods_in(q.end, q.end + 4)
        )

    def _compared_with_a_place(self, q: Quantity, clause: Clause) -> bool:
        """The words after a number name another place (the country, a province) it is
        compared with."""
        return any(
            t.kind == "place" and t.role in ("national", "province")
            for t in self.toks_in(q.end, clause.end)
        )

    def _coverage(self, toks: list[Tok], lo: int, hi: int) -> bytearray:
        """For each character of ``[lo, hi)``: does a word list know it (a name, a verb,
        a function word, a period, a count's words)?"""
        covered = bytearray(hi - lo + 1)
        for t in toks + self.function_toks(lo, hi):
            a, b = max(0, t.start - lo), max(0, t.end - lo)
            covered[a:b] = b"\x01" * max(0, min(b, hi - lo + 1) - a)
        for p in self.all_periods_in(lo, hi):
            covered[p.start - lo : min(p.end, hi) - lo] = b"\x01" * (min(p.end, hi) - p.start)
        for m in self.count_words:
            if lo <= m.start and m.end <= hi:
                covered[m.start - lo : m.end - lo] = b"\x01" * (m.end - m.start)
        return covered

    def _unknown_words(self, covered: bytearray, lo: int, a: int, b: int) -> list[str]:
        """Words of ``[a, b)`` no word list knows (``covered`` starts at ``lo``)."""
        qualifiers = _qualifier_word_set()
        return [
            m.group(0)
            for m in _LETTER_WORD.finditer(self.masked, a, b)
            if not covered[m.start() - lo] and m.group(0) not in qualifiers
        ]

    def _count_words_right_after(self, q: Quantity) -> PhraseMatch | None:
        """Context words of a count right after its counted noun, saying which of them
        are counted ("96 doanh nghiệp tạm ngừng kinh doanh", "356 doanh nghiệp đăng ký
        mới")."""
        if q.kind != "count":
            return None
        for m in self.count_words:
            if (
                0 <= m.start - q.end <= 2
                and not self.masked[q.end : m.start].strip()
                and any(e.role == q.unit for e in m.entries)
            ):
                return m
        return None

    def _count_decision(self, q: Quantity, words: PhraseMatch) -> tuple[Decision, str]:
        """What a count is of, as its context words say (count_defaults.csv; an empty
        code: counted, but no indicator counts them)."""
        code = next(e.value for e in words.entries if e.role == q.unit)
        if not code:
            return Decision(UNKNOWN, "clause", words.text), (
                f"'{words.text}': {q.unit_text} no indicator counts"
            )
        return Decision(Subject((code,), words.text), "clause", words.text), (
            f"a count of {q.unit_text} with '{words.text}'"
        )

    def _unknown_tail(self, q: Quantity, clause: Clause) -> str | None:
        """The words right after an amount of money, when no word list knows the first
        of them: what the amount is of ("6.000 tỷ đồng vốn ngoài ngân sách"), a thing no
        catalogued subject stands for."""
        if q.kind != "money":
            return None
        end = min(clause.end, q.end + 40)
        first = _LETTER_WORD.search(self.masked, q.end, end)
        if first is None or self.masked[q.end : first.start()].strip():
            return None  # punctuation or a number between: the words are not its noun
        covered = self._coverage(self.toks_in(q.end, end), q.end, end)
        words = self._unknown_words(covered, q.end, first.start(), end)
        if not words or covered[first.start() - q.end] or words[0] != first.group(0):
            return None
        return " ".join(words)

    def _unknown_head(self, toks: list[Tok], lo: int, hi: int) -> str | None:
        """Content words heading the clause (before its verbs) that no list knows. A clause
        naming a province or the country speaks of it, unless words no list knows stand
        right before a place of the province itself ("Ngân sách trên địa bàn tăng 7%")."""
        places = [
            t for t in toks if t.kind == "place" and t.role in ("province", "national", "self")
        ]
        if places:
            first = places[0]
            if any(t.role != "self" for t in places):
                return None
            covered = self._coverage(toks, lo, first.start)
            words = self._unknown_words(covered, lo, lo, first.start)
            gap = self.masked[lo : first.start].split()
            # the words must be the place's noun: nothing but them before it
            return " ".join(words) if words and len(words) == len(gap) else None
        covered = self._coverage(toks, lo, hi)
        verbs = [t for t in toks if t.kind in ("measure", "status")]
        verb_start = min((t.start for t in verbs if t.start > lo), default=hi)
        words = self._unknown_words(covered, lo, lo, verb_start)
        if not words and verb_start < hi:
            # nothing before the verb, words between the verb and the number: they name
            # what is measured ("như thu từ doanh nghiệp nhà nước 186 tỷ đồng")
            start = max(t.end for t in verbs if t.end <= hi)
            k = bisect.bisect_left(self.q_starts, hi)
            if k > 0:  # not the words of a number before it
                start = max(start, self.quantities[k - 1].end)
            words = self._unknown_words(covered, lo, start, hi)
            if not words:
                # or right after the verb leading the clause, before the next one ("thu
                # thuế thu nhập cá nhân tăng 7,4%": a revenue item, then its growth)
                first = min((t for t in verbs if t.start >= verb_start), key=lambda t: t.start)
                nxt = min((t.start for t in verbs if t.start >= first.end), default=hi)
                if k == 0 or self.quantities[k - 1].end <= first.end:
                    words = self._unknown_words(covered, lo, first.end, nxt)
        return " ".join(words) if words else None

    def _component(self, t: Tok, q: Quantity, hi: int) -> tuple[Decision, str]:
        """A part of an indicator (a sector of the GRDP, an industry of the IIP), resolved
        against the parent named after it ("chiếm 48% GRDP") or in force."""
        children = {code: components()[code] for code in t.values if code in components()}
        parents: list[tuple[str, str]] = []
        after = self.toks_in(q.end, min(self.hi, q.end + 30))
        for a in after:
            if a.kind in ("indicator", "topic"):
                parents.extend((code, a.text) for code in a.values)
                # "khu vực dịch vụ chiếm 48% GRDP": the whole the next parts belong to
                self.state.whole = Decision(Subject(a.values, a.text), "clause", a.text)
        for d in (
            self.state.whole,
            self.state.subject,
            self.scope.find("subject", above="paragraph"),
            self.scope.find("subject", above="section"),
            self.scope.find("subject", above="document"),
        ):
            if d is not None and d.value.known:
                parents.extend((code, d.cue or "") for code in d.value.codes)
                # a sibling in force ("khu vực dịch vụ chiếm 19,4%, khu vực nông … chiếm
                # 3,1%"): its whole is in force too
                parents.extend(
                    (whole, d.cue or "")
                    for code in d.value.codes
                    for whole in components().get(code, {})
                )
        for sd in [x for x in self.toks_in(max(0, q.start - WINDOW), q.start) if x.kind == "topic"]:
            parents.extend((code, sd.text) for code in sd.values)
        parents.extend((code, "read just before") for code in reversed(self.recent_codes))
        for parent, cue in parents:
            for child, by_parent in children.items():
                if parent in by_parent:
                    return Decision(Subject((child,), t.text), "clause", t.text), (
                        f"component '{t.text}' of {parent} ({cue})"
                    )
        # a name that is also a catalogue indicator of its own ("thu nội địa", "doanh thu
        # bưu chính") with no whole in force is that indicator
        own = [
            x
            for x in self.toks_in(t.start, t.end)
            if x.kind == "indicator"
            and (x.start, x.end) == (t.start, t.end)
            and self._compatible_any(x.values, q)
        ]
        if own:
            return Decision(Subject(own[0].values, t.text), "clause", t.text), (
                f"'{t.text}': an indicator of its own (no whole of it in force)"
            )
        return Decision(UNKNOWN, "clause", t.text), f"component '{t.text}' of nothing in force"

    def _place_in(self, a: int, b: int) -> Tok | None:
        places = [
            t
            for t in self.toks_in(a, b)
            if t.kind == "place"
            and t.role in ("province", "national", "self")
            and not (t.role == "province" and self._merged_into(t))
            and not (t.role == "national" and self._ranked_among(t))
        ]
        return places[-1] if places else None

    def _ranked_among(self, t: Tok) -> bool:
        """The country as the field of a ranking ("vươn lên vị trí thứ 3 trên cả nước
        với 1.200 tỷ đồng", "dẫn đầu cả nước"): the place ranked is another, named
        before; the number is not the country's."""
        return _RANKED_AMONG.search(self.masked, max(0, t.start - 30), t.start) is not None

    def _merged_into(self, t: Tok) -> bool:
        """A province named as merged into the place the text speaks of ("Thành phố (sau
        hợp nhất với Bình Dương và Bà Rịa - Vũng Tàu)", "sáp nhập với tỉnh Hà Giang"): its
        history, not the number's place."""
        before = self.masked[max(0, t.start - 80) : t.start]
        bracket = before.rfind("(")
        # inside a bracket all of it is the note; outside, the words just before the name
        note = before[bracket:] if bracket > before.rfind(")") else before[-30:]
        return _MERGED.search(note) is not None

    # -- indicator --------------------------------------------------------------------------
    def _compatible(self, code: str, q: Quantity) -> bool:
        ind = self.catalogue.get(code)
        if ind is None:
            return False
        u = ind.unit
        if q.kind in ("pct", "pp", "times", "rank"):
            return True
        if q.kind == "money":
            return u in _MONEY_UNITS.get(q.unit or "", ())
        if q.kind == "count":
            return q.unit == u or u in _SAME_COUNT.get(q.unit or "", ())
        if q.kind == "fraction":
            return u not in ("VND_BN", "VND_MN", "USD_MN", "USD", "PCT")
        return u not in ("VND_BN", "VND_MN", "USD_MN", "USD", "PCT")  # bare

    def _compatible_any(self, codes: tuple[str, ...], q: Quantity) -> bool:
        return any(self._compatible(c, q) for c in codes)

    def _pick(self, subject: Decision | None, q: Quantity) -> tuple[str | None, Indicator | None]:
        """The indicator of ``subject`` the number is of: the one the number before it in
        the sentence was of, if it fits ("thu hút 1,62 tỷ USD vốn FDI, đạt 108% kế
        hoạch"), else the first that fits the number's unit."""
        if subject is None or not subject.value.known:
            return None, None
        last = self.state.last_reading
        codes = subject.value.codes
        rate_named = q.is_pct and any(
            self.catalogue[c].is_rate for c in codes if c in self.catalogue
        )  # "318 trường đạt chuẩn, chiếm 50,1%": a percentage is the rate named
        if (
            last is not None
            and last.indicator is not None
            and last.indicator.code in codes
            and not rate_named
        ):
            codes = (last.indicator.code, *(c for c in codes if c != last.indicator.code))
        for code in codes:
            if self._compatible(code, q):
                # the dollar twin of a đồng indicator is picked by the unit
                if q.kind == "money":
                    want = _MONEY_UNITS.get(q.unit or "", ())
                    exact = [
                        c
                        for c in subject.value.codes
                        if self.catalogue.get(c) and self.catalogue[c].unit in want
                    ]
                    if exact:
                        code = exact[0]
                return code, self.catalogue[code]
        return None, None

    # -- measure ------------------------------------------------------------------------
    def _measure(
        self,
        q: Quantity,
        ind: Indicator | None,
        verbs: list[Tok],
        clause: Clause,
        host: Clause | None,
        subject: Decision | None,
    ):
        """(measure, direction, cue, value transform) of a number."""
        s = self.masked
        rate = bool(ind and ind.is_rate)
        measures = [t for t in verbs if t.kind == "measure"]
        roles = [t.role for t in measures]
        nearest = measures[-1] if measures else None
        plan_after = _PLAN_AFTER.match(s, q.end)
        direction = 0
        change = next(
            (t for t in reversed(measures) if t.role in ("up", "down", "to_level", "from_level")),
            None,
        )
        if change is not None and change.role in ("up", "down"):
            direction = 1 if change.role == "up" else -1
        if q.kind == "times" or (nearest is not None and nearest.role == "multiple"):
            if plan_after:
                return (
                    "pct_of_plan",
                    0,
                    "gấp … lần " + plan_after.group(0).strip(),
                    (lambda v: v * 100),
                )
            return "multiple_of_base", 0, "gấp … lần", None
        if q.kind == "rank" or (
            q.kind in ("fraction", "bare") and ind is not None and ind.unit == "RANK"
        ):
            return "rank", 0, "xếp thứ", None
        if q.kind == "pp":
            if "contribution" in roles or _CONTRIBUTION.search(s[max(0, q.start - 60) : q.end]):
                return "contribution_pp", 0, "đóng góp … điểm phần trăm", None
            return "change_abs", direction, q.unit_text, None
        if q.kind == "count" and q.unit == "RANK" and direction:
            return "change_abs", direction, "tăng/giảm … bậc", None
        if q.is_pct:
            if nearest is not None and nearest.role == "contribution" and not plan_after:
                # "đóng góp 48,9% vào mức tăng": a share of the growth, which no measure of
                # the contract states (points are contribution_pp)
                return "growth_share", 0, "đóng góp … %", None
            if plan_after:
                if nearest is not None and nearest.role == "exceed":
                    return (
                        "pct_of_plan",
                        0,
                        "vượt … % " + plan_after.group(0).strip(),
                        (lambda v: 100 + v),
                    )
                return "pct_of_plan", 0, "% " + plan_after.group(0).strip(), None
            if nearest is not None and (
                nearest.role == "equal"
                and (
                    _COMPARE_AFTER.match(s, q.end)
                    or self._base_right_after(q)
                    or self.state.base is not None
                    or _COMPARED.search(s[clause.start : q.start])
                )
                or nearest.role == "level"
                and not rate
                and q.value >= 50
                and _COMPARE_AFTER.match(s, q.end)
            ):  # "đạt 106,12% so với năm 2022": an index, not a level
                return "yoy_pct", 0, "bằng … % so với (an index)", (lambda v: v - 100)
            if (
                any(r == "share" for r in roles)
                and direction == 0
                and not (change and change.role in ("to_level", "from_level"))
                or (
                    any(r == "share" for r in roles)
                    and change is not None
                    and change.role in ("to_level", "from_level")
                )
            ):
                return (
                    ("level", 0, "chiếm (a rate)", None)
                    if rate
                    else ("share_pct", 0, "chiếm / tỷ trọng", None)
                )
            if host is not None and self.state.measure and not self._has_quantity(host):
                # "cao hơn mức bình quân cả nước (6,8%)": the value compared with
                return self.state.measure, 0, "as the number it is compared with", None
            if (
                direction
                and change is not None
                and change.text in _COMPARATIVES
                and self.state.measure
                and _COMPARED_LEVEL.search(s[change.end : q.start])
            ):
                # "cao hơn mức tăng 5,05% của cả nước": the value compared with, not a gap
                return self.state.measure, 0, f"'{change.text} mức': the value compared", None
            if direction and change is not None and change.text in _COMPARATIVES:
                # "cao hơn 1,53% so với bình quân …": a gap between two rates
                return "level", 0, f"'{change.text}': a difference of rates", None
            if direction:
                average = "average" in roles
                per_year = q.per == "năm" or "per_year" in roles
                if rate:
                    if q.per == "năm" or (average and per_year):
                        return "avg_annual_change_abs", direction, "giảm … %/năm (a rate)", None
                    return "change_abs", direction, "tăng/giảm … % (a rate: points)", None
                if average or q.per == "năm":
                    return "avg_annual_growth_pct", direction, "bình quân … /năm", None
                if per_year:  # "hằng năm giảm ≥ 5%": each year on the year before
                    return "yoy_pct", direction, "hằng năm (each year)", None
                return "yoy_pct", direction, change.text if change else "tăng/giảm", None
            if self.state.share and not rate and not measures:
                return "share_pct", 0, "the structure the sentence spoke of", None
            if "growth" in roles or (subject is not None and subject.value.growth):
                if "average" in roles or q.per == "năm":
                    return "avg_annual_growth_pct", 0, "tăng trưởng bình quân", None
                return "yoy_pct", 0, "tốc độ tăng trưởng", None
            if rate:
                return "level", 0, "a rate's own value", None
            if (
                self.state.measure
                and self.state.measure != "level"
                and host is None
                and (clause.opener in ("comma", "semi", "and"))
            ):
                return self.state.measure, 0, "same measure as the previous number", None
            return "level", 0, None, None
        if (
            direction
            and change is not None
            and re.search(
                r"(?:tăng|giảm|cao\s+hơn|thấp\s+hơn|nhiều\s+hơn|ít\s+hơn)(?:\s+(?:thêm|khoảng|hơn|trên))?\s*$",
                s[max(0, q.start - 25) : q.start],
            )
        ):
            return "change_abs", direction, "tăng/giảm " + q.unit_text, None
        return "level", 0, None, None

    # -- period -----------------------------------------------------------------------
    def _resolve_relative(self, p: PeriodMention) -> Period | None:
        if p.period is not None:
            return p.period
        ctx_d = self.state.period or self.scope.find("period")
        ctx = ctx_d.value if ctx_d else None
        year = ctx.end.year if ctx else self._context_year()
        if p.kind == "n_years":
            if ctx is not None and ctx.grain == "years" and ctx.n_years == p.n:
                return ctx
            # "trong 3 năm": the three years the text spoke of last
            for earlier in reversed(self.recent[-50:]):
                if earlier.grain == "years" and earlier.n_years == p.n:
                    return earlier
            end_year = year
            return Period.years(end_year - (p.n or 1) + 1, end_year) if end_year else None
        if p.kind in ("whole_period", "term"):
            if ctx is not None and ctx.grain == "years":
                return ctx
            return term_containing(year) if year else None
        if p.kind in ("now", "this_year"):
            return Period.year(year) if year else None
        if p.kind == "next_year":
            return Period.year(year + 1) if year else None
        if p.kind == "year_to_now":
            if (
                ctx is not None
                and ctx.start.month == 1
                and ctx.start.day == 1
                and ctx.grain != "years"
            ):
                return ctx
            if ctx is not None and ctx.grain in ("month", "quarter", "half"):
                # "lũy kế từ đầu năm" in a report on a month: January to that month
                return Period.months(ctx.end.year, 1, ctx.end.month)
            if self.pub.first is not None:
                return Period.year_to_date(self.pub.first)
            return None
        if p.kind == "this_month":
            if ctx is not None and ctx.grain == "month":
                return ctx
            return None
        return None

    def _period(
        self, q: Quantity, clause: Clause, host: Clause | None, measure: str, ind: Indicator | None
    ) -> tuple[Decision | None, bool]:
        """(the period decision, stated in the number's own clause)."""
        s = self.masked
        respective = self._respective_period(q, clause)
        if respective is not None:
            return respective, True
        if measure == "pct_of_plan":
            # "đến ngày 31/1/2023 giải ngân đạt 95% kế hoạch vốn năm 2022": of the plan's year
            plan = _PLAN_AFTER.match(s, q.end)
            for p in self.periods_in(plan.end(), min(clause.end, plan.end() + 30)) if plan else ():
                if p.period is not None:
                    return Decision(p.period, "clause", f"{p.text} (the plan's)"), True
        chosen: PeriodMention | None = None
        for p in self.periods_in(max(clause.start, q.start - WINDOW), q.start):
            if self.is_reference(p, clause.start):
                chosen = p
            elif _EQUATED.fullmatch(s[p.end : q.start]):
                # "so với năm 2019 = 1.905 doanh nghiệp", "so với cùng kỳ năm 2023 là
                # 6,1%": the value of the compared period
                resolved = self._said_of(p)
                if resolved is not None:
                    return Decision(resolved, "clause", p.text), True
        # "tăng từ 42,1% năm 2020 lên 47,5% năm 2025": a year right after the number
        nxt = [
            p
            for p in self.periods_in(q.end, q.end + 3 + 60)
            if p.start <= q.end + 2 and s[q.end : p.start].strip() == "" and p.period is not None
        ]
        if nxt and measure != "multiple_of_base":
            chosen = nxt[0]
        # "cao hơn mức 11,2% của cùng kỳ năm 2025": the period the number is said of
        owner = [
            p
            for p in self.all_periods_in(q.end, q.end + 8)
            if not p.is_name and _SAID_OF.fullmatch(s, q.end, p.start)
        ]
        if owner:
            resolved = self._said_of(owner[0])
            if resolved is not None:
                return Decision(resolved, "clause", owner[0].text), True
        if chosen is not None:
            resolved = self._resolve_relative(chosen)
            if resolved is not None:
                if chosen.horizon or chosen.stock:
                    pass
                self._set_period(Decision(resolved, "sentence", chosen.text))
                return Decision(resolved, "clause", chosen.text), True
        if host is not None:
            for p in reversed(self.periods_in(host.start, host.end)):
                resolved = self._resolve_relative(p)
                if resolved is not None and not _COMPARED_END.search(
                    s[max(0, p.start - 10) : p.start]
                ):
                    return Decision(resolved, "clause", p.text), True
        # a target's period often follows it ("mục tiêu 8-9% năm 2025")
        later = [
            p
            for p in self.periods_in(q.end, min(clause.end, q.end + 40))
            if p.period is not None
            and not re.search(
                r"so\s+(?:với\s+)?(?:\S+\s+){0,3}$", s[max(q.end, p.start - 25) : p.start]
            )
        ]
        if later and self.state.period is None:
            return Decision(later[0].period, "clause", later[0].text), True
        if self.state.period is not None:
            return self.state.period, False
        d = self.scope.find("period")
        if d is not None:
            return d, False
        if self.pub.year:
            return Decision(Period.year(self.pub.year), "document", "(publication year)"), False
        return None, False

    def _said_of(self, p: PeriodMention) -> Period | None:
        """The period a compared value is said of: ``p`` itself, or ``p`` read against
        the running period ("cùng kỳ năm 2023" = the running months of 2023)."""
        if p.period is not None:
            return p.period
        reference = self.state.period or self.scope.find("period")
        return self._resolve_relative(p) or (
            self._base_of(p, reference.value) if reference is not None else None
        )

    def _adjust_period(
        self,
        period: Period,
        d: Decision,
        measure: str,
        status: str,
        ind: Indicator | None,
        own: bool,
        ev: dict[str, Any],
        each_year: bool = False,
    ) -> Period:
        if measure in ("avg_annual_growth_pct", "avg_annual_change_abs"):
            if period.grain != "years":
                multi = self._multi_year(period.end.year)
                if multi is not None:
                    ev["period_rule"] = "annual average over the plan period"
                    return multi
            return period
        flow = bool(d.cue and _FLOW_PHRASE.search(d.cue))
        if each_year and period.grain == "years":
            # "diện tích … hàng năm duy trì trên 1.256 ha": each year of the period
            ev["period_rule"] = "each year of the period"
            return period
        if ind is not None and ind.is_stock and period.grain != "year" and not flow:
            ev["period_rule"] = "a stock takes the year it is measured in"
            return Period.year(period.end.year)
        if (
            ind is not None
            and ind.is_rate
            and measure == "level"
            and status != "target"
            and (period.grain not in ("year", "years") or not own)
        ):
            ev["period_rule"] = "a rate is measured at a point in time: its year"
            return Period.year(period.end.year)
        if (
            status == "target"
            and period.grain in ("quarter", "half", "month", "months", "days")
            and not own
        ):
            ev["period_rule"] = "a target for the year of a shorter context period"
            return Period.year(period.end.year)
        return period

    def _multi_year(self, year: int) -> Period | None:
        for d in (
            self.state.period,
            self.scope.find("period", above="paragraph"),
            self.scope.find("period", above="section"),
            self.scope.find("period", above="document"),
        ):
            if (
                d is not None
                and d.value.grain == "years"
                and d.value.start.year <= year <= d.value.end.year
            ):
                return d.value
        return term_containing(year)

    # -- base ---------------------------------------------------------------------------
    def _base_of(self, p: PeriodMention, period: Period) -> Period | None:
        if p.kind in ("same_period_last_year", "previous_year"):
            return period.shifted_years(-1)
        if p.kind == "same_period_of_year" and p.year:
            return period.shifted_years(p.year - period.end.year)
        if p.kind == "start_of_year":
            return Period.year(period.start.year - 1)
        if p.kind == "previous_month" and period.grain == "month":
            return period.shifted_months(-1)
        if p.kind == "previous_quarter" and period.grain == "quarter":
            return period.shifted_months(-3)
        if p.kind == "previous_period":
            return period.previous()
        if p.period is not None:
            base = p.period
            if p.stock and base.grain != "year":
                base = Period.year(base.end.year)
            if (
                base.grain == "year"
                and period.grain not in ("year", "years")
                and (base.end.year == period.end.year - 1)
                and not p.stock
            ):
                return period.shifted_years(-1)
            return base
        return None

    def _base(self, q: Quantity, clause: Clause, period: Period, measure: str) -> Decision | None:
        """The period the number is compared with: one stated after it, unless that is
        its own period; one stated before it or carried from earlier in the sentence only
        if it ends before the number's period (else it is the period of a value said of
        it: "so với mức tăng cùng kỳ năm 2023 là 6,1%")."""
        if measure not in ("change_pct", "yoy_pct", "change_abs", "multiple_of_base"):
            return None
        s = self.masked
        end = min(self.hi, q.end + 60, clause.end)
        nxt_q = self._first_quantity_at(q.start + 1)
        nxt_q = self.hi if nxt_q is None else nxt_q
        for p in self.all_periods_in(q.end, min(end, nxt_q) + 1):
            if p.is_name:
                continue
            between = s[q.end : p.start]
            if measure == "multiple_of_base":
                ok = _MULTIPLE_BASE_GAP.fullmatch(between)
            else:
                ok = _COMPARED.search(between)
            if not ok or _CLAUSE_STOP.search(between):
                continue
            base = self._base_of(p, period)
            if base is not None and base != period:
                # later numbers of the sentence keep the relation ("9 tháng tăng 14%" after
                # "quý III tăng 12% so với quý III/2018": also year on year)
                relation = p
                if base == period.shifted_years(-1):
                    relation = PeriodMention(p.start, p.end, p.text, "same_period_last_year")
                self.state.base = Decision((relation, base), "sentence", p.text)
                return Decision(base, "clause", p.text)
        # "so với cùng kỳ, … tăng 5%" / "So với kỳ gốc 2019, CPI tăng 12,35%"
        for p in self.periods_in(max(clause.start, q.start - WINDOW), q.start):
            if re.search(r"so\s+(?:với\s+)?(?:\S+\s+){0,3}$", s[max(0, p.start - 25) : p.start]):
                base = self._base_of(p, period)
                if base is not None and base.end < period.end:
                    return Decision(base, "clause", p.text)
        if self.state.base is not None and clause.host is None:
            p, _ = self.state.base.value
            base = self._base_of(p, period)
            if base is not None and base.end < period.end:
                return Decision(base, "sentence", p.text)
        if measure == "change_abs" and q.is_pct:
            return Decision(period.shifted_years(-1), "clause", "(same period)")
        return None

    # -- status -------------------------------------------------------------------------
    def _status(
        self, q: Quantity, clause: Clause, period: Period, own_period: bool, ind: Indicator | None
    ) -> Decision:
        """Target, estimate or actual.

        A target verb ("phấn đấu", "định hướng") governs the rest of its sentence; a
        target noun ("mục tiêu", "chỉ tiêu", "kế hoạch", "dự toán") governs its own clause
        (and a bracket right after it), or a list it introduces with ":"; one right after
        a number is the reference of a percentage of plan, not a cue. An estimate cue
        governs the rest of its sentence (semicolons included) except a clause that
        states its own period, already over at publication. Without cues a period not
        over at publication is an estimate, one that starts after it a target."""
        s = self.masked
        host = self.clauses[clause.host] if clause.host is not None else None
        in_force: Tok | None = None
        # the last cue in force before the number (cues further back are superseded)
        k = bisect.bisect_left(self.status_starts, q.start)
        while k > 0 and in_force is None:
            k -= 1
            t = self.status_cues[k]
            if t.role == "achieved":
                continue
            if t.role in ("target_noun", "target_verb"):
                governs = _FEW_WORDS.fullmatch(s[t.end : q.start])
                after_pct = s[max(0, t.start - 3) : t.start].rstrip().endswith("%")
                if _AFTER_A_NUMBER.search(s[max(0, t.start - 12) : t.start]) and not (
                    governs and after_pct
                ):
                    # "bằng 82,5% dự toán": the reference of a percentage (but "70% mục
                    # tiêu đón 7 triệu lượt khách": the target's own value follows it)
                    continue
                achieved = any(
                    a.kind == "status" and a.role == "achieved"
                    for a in self.toks_in(t.end, min(self.hi, t.end + 40))
                )
                if achieved and not governs:
                    continue  # "các chỉ tiêu cơ bản hoàn thành": results, not targets
                if t.role == "target_noun":
                    own_clause = t.start >= clause.start or (
                        host is not None and t.start >= host.start
                    )
                    clause_of_t = self.clauses[self.clause_of(t.start)]
                    introduces = ":" in s[t.end : max(t.end, clause_of_t.end + 1)]
                    if not (own_clause or introduces):
                        continue
            in_force = t
        future = self.pub.starts_after(period)
        ended = self.pub.ended_before(period)
        # a past period stated in the number's own clause is a result, not a target
        if (
            in_force is not None
            and in_force.role != "estimate"
            and not (ended is True and own_period)
        ):
            return Decision("target", "sentence", in_force.text)
        carried = self.scope.find("carried_status")
        if carried is not None and in_force is None:
            said, of_period = carried.value
            if (said == "target" and ended is not True) or (
                said == "estimate" and period == of_period
            ):
                return Decision(said, "paragraph", carried.cue)
        heading = self.scope.find("status")
        if heading is not None and heading.value == "target" and ended is not True:
            return heading
        estimated = (
            in_force is not None and in_force.role == "estimate" and self._governs(in_force, period)
        )
        if estimated and not future:
            # "đến cuối năm 2025 ước đạt …" said in 2025: the cue, not the horizon, decides
            return Decision("estimate", "sentence", in_force.text)
        if self.first_horizon is not None and self.first_horizon < q.start:
            return Decision("target", "clause", "(đến năm …: a horizon)")
        if future:
            return Decision("target", "document", "(period after publication)")
        assigned = ind is not None and ind.code in _assigned()
        if ended is False and not assigned:
            if self.first_now is not None and self.first_now < q.start:
                return Decision("actual", "clause", "(a stock stated as of now)")
            return Decision("estimate", "document", "(period not over at publication)")
        return Decision("actual", "sentence", None)

    def _governs(self, cue: Tok, period: Period) -> bool:
        """Does an estimate cue govern a number of ``period``? It estimates the period of
        its own clause (else the first period after it); a later number of the sentence
        whose period ends before that one ("…; trong đó năm 2021 tăng 6,1%") is not an
        estimate, one reaching its end ("5 tháng" after "tháng 5 ước đạt") is."""
        own = self.clauses[self.clause_of(cue.start)]
        stated = self.periods_in(own.start, own.end) or self.periods_in(cue.end, cue.end + WINDOW)
        for p in stated:
            estimated = self._resolve_relative(p)
            if estimated is not None:
                return period.end >= estimated.end
        return True

    # -- place --------------------------------------------------------------------------
    def _geo(
        self, q: Quantity, clause: Clause, host: Clause | None, subject: Decision | None
    ) -> Decision:
        s = self.masked
        t = self._place_in(max(clause.start, q.start - WINDOW), q.start)
        if t is not None:
            return self._place_decision(t)
        # "mức tăng 5,05% của cả nước": the place the number is said of, right after it
        owner = self._place_in(q.end, min(clause.end, q.end + 40))
        if owner is not None and _SAID_OF.fullmatch(s, q.end, owner.start):
            return self._place_decision(owner)
        # a bracketed number naming no place takes the place of the noun before the bracket
        if host is not None:
            t = self._place_in(max(host.start, host.end - 60), host.end)
            if t is not None:
                return self._place_decision(t)
        if self.state.place is not None and clause.opener in (
            "comma",
            "and",
            "after_paren",
            "paren",
            "restate",  # "…, tương ứng 15,56% kế hoạch": the same figure, the same place
        ):
            return self.state.place
        ci = self.clause_of(clause.start)
        if clause.opener == "and" and ci > 0:
            # a second verb of the same subject: "ngành du lịch cả nước đã đón và phục vụ
            # 14 triệu lượt khách" is the country's
            prev = self.clauses[ci - 1]
            t = self._place_in(max(prev.start, prev.end - WINDOW), prev.end)
            if t is not None:
                return self._place_decision(t)
        head = self._sentence_head_place()
        if head is not None:
            return head
        d = self.scope.find("place")
        return d if d is not None else self.doc_geo

    def _sentence_head_place(self) -> Decision | None:
        """A province opening the sentence as its subject ("Đà Nẵng cũng là điểm đến …,
        vươn lên …, với tổng doanh thu đạt 1.200 tỷ đồng", "Tại Khánh Hòa, …"): the
        place of the sentence's numbers that name none of their own."""
        toks = self.toks_in(self.lo, min(self.hi, self.lo + 40))
        if not toks:
            return None
        t = toks[0]
        if not (
            t.kind == "place"
            and t.role == "province"
            and _HEAD_PLACE_LEAD.fullmatch(self.masked, self.lo, t.start)
            and not self._merged_into(t)
        ):
            return None
        return Decision(t.values[0], "sentence", t.text)

    def _place_decision(self, t: Tok) -> Decision:
        if t.role == "national":
            return Decision(NATIONAL, "clause", t.text)
        if t.role == "self":
            return Decision(self.doc_geo.value, "clause", t.text)
        return Decision(t.values[0], "clause", t.text)


@cache
def _assigned() -> frozenset[str]:
    from .lexicon import _rows

    return frozenset(r["code"] for r in _rows("lexicon/assigned_amounts.csv"))


def _unit_and_factor(q: Quantity, ind: Indicator | None, measure: str) -> tuple[str, float]:
    if measure in ("yoy_pct", "change_pct", "avg_annual_growth_pct", "share_pct", "pct_of_plan"):
        return "PCT", 1.0
    if measure in ("contribution_pp", "avg_annual_change_abs"):
        return "PP", 1.0
    if measure == "multiple_of_base":
        return "TIMES", 1.0
    if measure == "rank":
        return "RANK", 1.0
    if measure == "change_abs" and q.kind in ("pct", "pp"):
        return "PP", 1.0
    target = ind.unit if ind else natural_unit(q)
    if q.kind == "money":
        per_unit = {"VND_BN": 1e9, "VND_MN": 1e6, "USD_MN": 1e6, "USD": 1.0}.get(target)
        if per_unit is None:
            return natural_unit(q), q.scale / (1e9 if q.unit == "VND" else 1e6)
        return target, q.scale / per_unit
    if q.kind == "pct":
        return "PCT", 1.0
    return target or "", q.scale


def natural_unit(q: Quantity) -> str:
    """The contract unit of a quantity that names no indicator."""
    if q.kind == "money":
        if q.unit == "USD":
            return "USD_MN" if q.scale >= 1e6 else "USD"
        return "VND_BN" if q.scale >= 1e9 else "VND_MN"
    if q.kind == "pct":
        return "PCT"
    if q.kind == "count" and q.unit:
        return {"VEHICLE": "VEHICLE_PER_DAY"}.get(q.unit, q.unit)
    return ""
