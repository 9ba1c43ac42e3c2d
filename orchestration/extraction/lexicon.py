"""The extractor's vocabulary, loaded from the data files of the package.

Nothing here is a rule: it is the list of words each rule looks for.

``data/catalogue/``
    ``indicators.csv`` — the indicator catalogue of the observation contract (codes, units,
    names, ``cues_vi``); ``indicator_properties.csv`` — direction and kind (flow, stock,
    rate) of every code. Both are also dbt seeds.
``data/lexicon/``
    ``indicator_cues.csv`` — more names of catalogued indicators (the catalogue's
    ``name_vi`` and ``cues_vi`` are read as cues too, except those listed with a reason in
    ``catalogue_cues_not_used.csv``); ``components.csv`` — parts of an indicator named
    relative to it (the services sector of the GRDP, manufacturing in the IIP);
    ``topics.csv`` — nouns that are the parent of components without being an indicator;
    ``capital_of.csv`` — the capital of a counted thing; ``count_defaults.csv`` — the
    indicator a counted unit implies (with its context words; a row without a code: things
    counted that no indicator counts, such as firms dissolving); ``words.csv`` — measure,
    status, place, clause, subset, capital and function words; ``provinces.csv``; ``units.csv``,
    ``scales.csv`` and ``qualifiers.csv`` — how quantities are written.

Each phrase is written in the notation of :mod:`.phrases`. ``tests/test_lexicon.py``
checks that every entry is used on the evaluation corpus and that none names a single
document.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .phrases import PhraseMatch, PhraseMatcher


@dataclass(frozen=True)
class Indicator:
    """One catalogue code with what the extractor needs to know about it."""

    code: str
    category: str
    unit: str
    name_en: str
    name_vi: str
    kind: str  # flow, stock or rate (indicator_properties.csv)
    direction: str

    @property
    def is_rate(self) -> bool:
        """The indicator is itself a percentage (its own value is a ``level`` in %)."""
        return self.unit == "PCT"

    @property
    def is_stock(self) -> bool:
        """A stock is measured at a point in time (the year it is measured in)."""
        return self.kind == "stock"


@dataclass(frozen=True)
class Entry:
    """One row of a word list: what a phrase found in the text stands for."""

    source: str  # file (and column) it comes from
    kind: str  # indicator, component, topic, measure, status, place, clause, subset,
    #            capital, function
    role: str  # kind-specific: measure role, status, place role, parent of a component
    value: str  # kind-specific: indicator code, province code, ...
    phrase: str


def _rows(path: str) -> Iterator[dict[str, str]]:
    with resources.files(__package__).joinpath(f"data/{path}").open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


@cache
def catalogue() -> dict[str, Indicator]:
    """Every catalogue code (``data/catalogue/indicators.csv`` and its properties)."""
    props = {r["code"]: r for r in _rows("catalogue/indicator_properties.csv")}
    out = {}
    for r in _rows("catalogue/indicators.csv"):
        p = props.get(r["code"], {})
        out[r["code"]] = Indicator(
            r["code"], r["category"], r["unit"], r["name_en"], r["name_vi"],
            p.get("kind", "flow"), p.get("direction", "higher_is_better"),
        )  # fmt: skip
    return out


_PAREN = re.compile(r"\s*\(([^)]*)\)")


def catalogue_phrases() -> list[tuple[str, str, str]]:
    """(code, phrase, column) of every cue the catalogue itself gives: ``name_vi`` (without
    bracketed parts; an upper-case acronym in brackets is a cue of its own, unless it is
    a unit of ``units.csv``: "GRDP bình quân đầu người (USD)") and each ``|``-separated
    item of ``cues_vi``, minus ``catalogue_cues_not_used.csv``."""
    unused = {(r["code"], r["cue"]) for r in _rows("lexicon/catalogue_cues_not_used.csv")}
    units = {r["phrase"].casefold() for r in _rows("lexicon/units.csv")}
    out = []
    for r in _rows("catalogue/indicators.csv"):
        code = r["code"]
        name = r["name_vi"]
        for acronym in _PAREN.findall(name):
            is_unit = acronym.casefold() in units
            if acronym.isupper() and not is_unit and (code, acronym) not in unused:
                out.append((code, acronym, "name_vi"))
        plain = _PAREN.sub("", name).strip()
        if "/" not in plain and (code, plain) not in unused:
            out.append((code, plain, "name_vi"))
        for cue in r["cues_vi"].split("|"):
            cue = cue.strip()
            if cue and (code, cue) not in unused:
                out.append((code, cue, "cues_vi"))
    return out


def _noun_entries() -> Iterator[tuple[str, Entry]]:
    for code, phrase, column in catalogue_phrases():
        yield phrase, Entry(f"indicators.csv:{column}", "indicator", "", code, phrase)
    for r in _rows("lexicon/indicator_cues.csv"):
        yield r["phrase"], Entry("indicator_cues.csv", "indicator", "", r["code"], r["phrase"])
    for r in _rows("lexicon/components.csv"):
        yield r["phrase"], Entry("components.csv", "component", r["parent"], r["code"], r["phrase"])
    for r in _rows("lexicon/topics.csv"):
        yield r["phrase"], Entry("topics.csv", "topic", "", r["topic"], r["phrase"])
    for r in _rows("lexicon/provinces.csv"):
        for name in [r["name"], *filter(None, r["aliases"].split("|"))]:
            yield name, Entry("provinces.csv", "place", "province", r["code"], name)
            # "tỉnh Gia Lai", "thành phố Đà Nẵng", "TP Cần Thơ": the province itself
            for head in PROVINCE_HEADS:
                yield f"{head} {name}", Entry("provinces.csv", "place", "province", r["code"], name)
    for r in _rows("lexicon/words.csv"):
        if r["kind"] in NOUN_KINDS:
            yield r["phrase"], Entry("words.csv", r["kind"], r["role"], "", r["phrase"])


#: words that may precede a province's name without making it a smaller place
PROVINCE_HEADS = ("tỉnh", "thành phố", "tp", "tp.")

#: kinds of words.csv matched with the indicator names (noun phrases compete for the
#: longest match); measure and status words are matched on their own, function words
#: only when a reader needs to know whether a clause names something uncatalogued
NOUN_KINDS = frozenset({"place", "subset", "capital", "clause"})


@cache
def noun_matcher() -> PhraseMatcher[Entry]:
    """Indicator names, components, topics, places, subsets, capital, clause and function
    words: the noun phrases of a sentence."""
    return PhraseMatcher(_noun_entries())


@cache
def verb_matchers() -> tuple[PhraseMatcher[Entry], ...]:
    """Measure words and status words, each list matched on its own (and independently
    of the noun phrases): a status phrase holding a measure verb ("ước đạt", "cần
    đạt") does not hide the verb."""
    return tuple(
        PhraseMatcher(
            (r["phrase"], Entry("words.csv", r["kind"], r["role"], "", r["phrase"]))
            for r in _rows("lexicon/words.csv")
            if r["kind"] == kind
        )
        for kind in ("measure", "status")
    )


def verb_matches(folded: str) -> Iterator[PhraseMatch[Entry]]:
    """Measure and status words of ``folded`` (measure words first, then status)."""
    for matcher in verb_matchers():
        yield from matcher.finditer(folded)


@cache
def function_matcher() -> PhraseMatcher[Entry]:
    """Function words: words that name nothing ("của", "các", "tính chung")."""
    return PhraseMatcher(
        (r["phrase"], Entry("words.csv", r["kind"], r["role"], "", r["phrase"]))
        for r in _rows("lexicon/words.csv")
        if r["kind"] == "function"
    )


@cache
def components() -> dict[str, dict[str, str]]:
    """child code -> {parent: child} (a component is resolved against its parent)."""
    out: dict[str, dict[str, str]] = {}
    for r in _rows("lexicon/components.csv"):
        out.setdefault(r["code"], {})[r["parent"]] = r["code"]
    return out


@cache
def capital_of() -> dict[str, str]:
    """Counted indicator -> the indicator of its capital."""
    return {r["counted"]: r["capital"] for r in _rows("lexicon/capital_of.csv")}


@cache
def count_defaults() -> dict[str, str]:
    """Unit of a counted noun -> the indicator it implies when nothing else is named
    (rows without context words)."""
    return {r["unit"]: r["code"] for r in _rows("lexicon/count_defaults.csv") if not r["context"]}


@cache
def count_context_matcher() -> PhraseMatcher[Entry]:
    """Context words that decide what a counted noun counts ("có 120 doanh nghiệp" is the
    stock, "thành lập 120 doanh nghiệp" new ones): entries carry (unit, code)."""
    return PhraseMatcher(
        (r["context"], Entry("count_defaults.csv", "count", r["unit"], r["code"], r["context"]))
        for r in _rows("lexicon/count_defaults.csv")
        if r["context"]
    )


@cache
def measure_defaults() -> dict[str, str]:
    """Measure role -> the indicator it implies when nothing is named ("mục tiêu tăng
    trưởng 8%": economic growth)."""
    return {r["role"]: r["code"] for r in _rows("lexicon/measure_defaults.csv")}


@cache
def provinces() -> dict[str, str]:
    """ISO code -> official name."""
    return {r["code"]: r["name"] for r in _rows("lexicon/provinces.csv")}


@cache
def province_aliases() -> dict[str, list[str]]:
    """ISO code -> every name of the province (official name first)."""
    return {
        r["code"]: [r["name"], *filter(None, r["aliases"].split("|"))]
        for r in _rows("lexicon/provinces.csv")
    }


@dataclass(frozen=True)
class UnitWord:
    phrase: str
    unit: str
    kind: str  # money, pct, pp, times, count; none: a word that only starts like a unit


@cache
def unit_words() -> list[UnitWord]:
    """Units and counted nouns written after a number."""
    return [UnitWord(r["phrase"], r["unit"], r["kind"]) for r in _rows("lexicon/units.csv")]


@cache
def scale_words() -> dict[str, float]:
    """Scale words (nghìn, triệu, tỷ, …) and the factor they multiply by."""
    return {r["phrase"]: float(r["factor"]) for r in _rows("lexicon/scales.csv")}


@cache
def qualifier_words() -> list[tuple[str, str, str]]:
    """(phrase, qualifier, before|after) of bounds and approximations."""
    return [(r["phrase"], r["qualifier"], r["position"]) for r in _rows("lexicon/qualifiers.csv")]


def all_entries() -> list[Entry]:
    """Every entry of every word list (for the test that each one is used)."""
    entries = [e for _, e in _noun_entries()]
    entries += [
        Entry("words.csv", r["kind"], r["role"], "", r["phrase"])
        for r in _rows("lexicon/words.csv")
        if r["kind"] not in NOUN_KINDS
    ]
    return entries
