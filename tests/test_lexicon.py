"""The lexicon is data (issue 10, point 3).

* every phrase of every word list parses in the phrase notation;
* every entry of every file of ``orchestration/extraction/data/lexicon/`` is used on the
  evaluation corpus: the seeds (``raw/``), the development set (``tests/fixtures/dev``) and
  the sentences written for the extraction tests (``tests/fixtures/extraction_sentences``,
  each one a document);
* no entry names one document: an entry used in only one document fails unless that
  document is a test sentence (which shows it is language, not one report's wording);
* every code the word lists name is in the catalogue (that the catalogue keeps every row
  of the client's spec unchanged is tests/test_dbt_project.py's
  ``test_catalogue_seed_keeps_every_spec_row_and_only_adds_codes``).

"Used" means what the extractor does with the entry: a phrase of a word list is matched
by its matcher (leftmost-longest, on the sentences as the reader sees them, period
expressions masked); a unit, scale or qualifier is found next to a number, an identifier
word right before one; a header or masthead phrase starts a header line; a row of a file
that maps codes (capital_of, count_defaults without context words, measure_defaults,
assigned_amounts) changes the extraction of a document when it is left out.

Entries the corpus does not justify today are listed in ``AWAITING_DECISION`` (strict
expected failures): whether to keep them is the lead's decision; once one is used in a
second document or by a test sentence its test passes and it must leave the list.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from orchestration.extraction import extract_observations
from orchestration.extraction import lexicon as L
from orchestration.extraction import reader as extraction_reader
from orchestration.extraction.numbers import NUM_RE
from orchestration.extraction.period_grammar import find_periods
from orchestration.extraction.phrases import expand
from orchestration.extraction.structure import Paragraph, Table, parse
from orchestration.extraction.text import fold
from orchestration.ingest import scan_raw_folder
from tests.fixtures import extraction_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "orchestration" / "extraction" / "data"
LEXICON = DATA / "lexicon"
SENTENCE = "sentence:"


# ----------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    published: object  # datetime.date | None


@cache
def corpus() -> tuple[Document, ...]:
    """Seeds, development documents and test sentences."""
    docs = []
    for label, folder in (("seed:", ROOT / "raw"), ("dev:", ROOT / "tests/fixtures/dev/docs")):
        for d in scan_raw_folder(folder).documents:
            docs.append(Document(label + d.source_id, d.text, d.published_date))
    for name, text in extraction_sentences.all_sentences().items():
        published = getattr(extraction_sentences, f"{name}_PUBLISHED", None)
        docs.append(Document(SENTENCE + name, text, published))
    return tuple(docs)


def _mask(folded: str, year: int | None) -> str:
    chars = list(folded)
    for p in find_periods(folded, year):
        chars[p.start:p.end] = " " * (p.end - p.start)
    return "".join(chars)


@cache
def reading_strings(doc: Document) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sentences and table cells as the reader sees them, folded lines of the text)."""
    parsed = parse(doc.text)
    m = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", doc.text)
    year = int(m.group(1)) if m else None
    out = []
    for block in parsed.blocks:
        if isinstance(block, Table):
            out += [fold(c.text) for row in block.header + block.rows for c in row]
        elif isinstance(block, Paragraph) and block.kind != "junk":
            out += [_mask(block.folded[a:b], year) for a, b in block.sentences]
    lines = tuple(fold(line) for line in parsed.view.text.split("\n"))
    return tuple(out), lines


# ----------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class LexiconEntry:
    """One entry of a data file and the way its use is found."""

    file: str
    label: str  # the entry as an id: its fields
    how: str  # matcher, unit, scale, qualifier_before, qualifier_after, identifier,
    #           header, masthead, ablation
    key: tuple  # what the finder reports for it


def _rows(name: str) -> list[dict[str, str]]:
    with (LEXICON / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _entry_key(e: L.Entry) -> tuple:
    return (e.source, e.kind, e.role, e.value, e.phrase)


@cache
def lexicon_entries() -> tuple[LexiconEntry, ...]:
    """Every entry of every file of data/lexicon/, once."""
    out: dict[tuple, LexiconEntry] = {}

    def add(file: str, label: str, how: str, key: tuple) -> None:
        out.setdefault((how, key), LexiconEntry(file, label, how, key))

    for e in L.all_entries():
        if e.source.startswith("indicators.csv"):
            continue  # the catalogue: the client's spec (see test_catalogue_*)
        parts = [p for p in (e.kind, e.role, e.value, e.phrase) if p]
        add(e.source, ":".join(parts), "matcher", _entry_key(e))
    for r in _rows("count_defaults.csv"):
        if r["context"]:
            e = L.Entry("count_defaults.csv", "count", r["unit"], r["code"], r["context"])
            add(e.source, f"{r['unit']}:{r['context']}:{r['code']}", "matcher", _entry_key(e))
        else:
            add("count_defaults.csv", f"{r['unit']}:{r['code']}", "ablation",
                ("count_defaults", r["unit"]))
    for r in _rows("units.csv"):
        add("units.csv", r["phrase"], "unit", (fold(r["phrase"]),))
    for r in _rows("scales.csv"):
        add("scales.csv", r["phrase"], "scale", (fold(r["phrase"]),))
    for r in _rows("qualifiers.csv"):
        add("qualifiers.csv", f"{r['position']}:{r['phrase']}", f"qualifier_{r['position']}",
            (fold(r["phrase"]),))
    for r in _rows("identifier_words.csv"):
        add("identifier_words.csv", r["phrase"], "identifier", (fold(r["phrase"]),))
    for r in _rows("header_lines.csv"):
        add("header_lines.csv", r["phrase"], "header", (fold(r["phrase"]),))
    for r in _rows("mastheads.csv"):
        add("mastheads.csv", r["phrase"], "masthead", (fold(r["phrase"]),))
    for r in _rows("capital_of.csv"):
        add("capital_of.csv", f"{r['counted']}:{r['capital']}", "ablation",
            ("capital_of", r["counted"]))
    for r in _rows("measure_defaults.csv"):
        add("measure_defaults.csv", f"{r['role']}:{r['code']}", "ablation",
            ("measure_defaults", r["role"]))
    for r in _rows("assigned_amounts.csv"):
        add("assigned_amounts.csv", r["code"], "ablation", ("assigned", r["code"]))
    return tuple(out.values())


def test_every_data_file_of_the_lexicon_is_checked() -> None:
    checked = {e.file for e in lexicon_entries()} | {"catalogue_cues_not_used.csv"}
    assert checked == {p.name for p in LEXICON.glob("*.csv")}


# -------------------------------------------------------------------------------- finders


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+")
                    for p in sorted(set(phrases), key=len, reverse=True))


@cache
def _number_patterns() -> dict[str, re.Pattern[str]]:
    scales = _alternation([fold(p) for p in L.scale_words()])
    units = _alternation([fold(u.phrase) for u in L.unit_words()])
    before = _alternation([fold(p) for p, _, pos in L.qualifier_words() if pos == "before"])
    after = _alternation([fold(p) for p, _, pos in L.qualifier_words() if pos == "after"])
    identifiers = _alternation([fold(r["phrase"]) for r in _rows("identifier_words.csv")])
    return {
        "unit": re.compile(rf"\s*(?:(?P<scale>{scales})\s*)?(?P<unit>{units})(?!\w)"),
        "scale": re.compile(rf"\s*(?P<scale>{scales})(?!\w)"),
        "before": re.compile(rf"(?:^|[\s(])(?P<q>{before})\s*$"),
        "after": re.compile(rf"[\s%]*(?:[^\W\d_]+\s+){{0,3}}?(?P<q>{after})(?!\w)"),
        "identifier": re.compile(rf"(?<!\w)(?P<q>{identifiers})\.?\s*$"),
    }


def _number_words(s: str) -> set[tuple[str, tuple]]:
    """(how, key) of the units, scales, qualifiers and identifier words around numbers."""
    pats = _number_patterns()
    found: set[tuple[str, tuple]] = set()
    space = re.compile(r"\s+")
    for m in NUM_RE.finditer(s):
        start, end = m.start(), m.end()
        u = pats["unit"].match(s, end)
        if u:
            found.add(("unit", (space.sub(" ", u.group("unit")),)))
            if u.group("scale"):
                found.add(("scale", (space.sub(" ", u.group("scale")),)))
            end = u.end()
        else:
            sc = pats["scale"].match(s, end)
            if sc:
                found.add(("scale", (space.sub(" ", sc.group("scale")),)))
                end = sc.end()
        before = s[max(0, start - 30):start]
        for how, pat in (("qualifier_before", "before"), ("identifier", "identifier")):
            q = pats[pat].search(before)
            if q:
                found.add((how, (space.sub(" ", q.group("q")),)))
        a = pats["after"].match(s, end)
        if a:
            found.add(("qualifier_after", (space.sub(" ", a.group("q")),)))
    return found


@cache
def _line_patterns() -> dict[str, re.Pattern[str]]:
    header = _alternation([fold(r["phrase"]) for r in _rows("header_lines.csv")])
    masthead = _alternation([fold(r["phrase"]) for r in _rows("mastheads.csv")])
    return {"header": re.compile(rf"^\s*(?P<q>{header})(?!\w)"),
            "masthead": re.compile(rf"^\s*(?P<q>{masthead})(?!\w)")}


def _line_words(lines: tuple[str, ...]) -> set[tuple[str, tuple]]:
    """Header and masthead phrases starting a short line (as structure reads them)."""
    found = set()
    pats = _line_patterns()
    for line in lines:
        words = len(line.split())
        if not words or words > 30:
            continue
        m = pats["header"].match(line)
        if m:
            found.add(("header", (m.group("q"),)))
        m = pats["masthead"].match(line)
        if m and words <= 8 and not re.search(r"\d", line):
            found.add(("masthead", (m.group("q"),)))
    return found


def _matched(doc: Document) -> set[tuple[str, tuple]]:
    strings, lines = reading_strings(doc)
    found: set[tuple[str, tuple]] = set()
    matchers = (L.noun_matcher(), *L.verb_matchers(), L.function_matcher(),
                L.count_context_matcher())
    for s in strings:
        for matcher in matchers:
            for m in matcher.finditer(s):
                found.update(("matcher", _entry_key(e)) for e in m.entries)
        found |= _number_words(s)
    return found | _line_words(lines)


# ------------------------------------------------------------------------------ ablation


def _signature(doc: Document) -> list[tuple]:
    return [(o.span_start, o.span_end, o.indicator_code, o.measure, o.period.code, o.status,
             o.value, o.unit) for o in extract_observations(doc.text,
                                                           published_date=doc.published)]


@cache
def baseline() -> dict[str, list[tuple]]:
    return {d.name: _signature(d) for d in corpus()}


def _ablated(key: tuple) -> tuple[str, Callable[[], object], str]:
    """(reader function to replace, its value without the row, indicator the row yields)."""
    kind, row = key
    if kind == "capital_of":
        full = L.capital_of()
        return "capital_of", lambda: {k: v for k, v in full.items() if k != row}, full[row]
    if kind == "count_defaults":
        full = L.count_defaults()
        return "count_defaults", lambda: {k: v for k, v in full.items() if k != row}, full[row]
    if kind == "measure_defaults":
        full = L.measure_defaults()
        return ("measure_defaults", lambda: {k: v for k, v in full.items() if k != row},
                full[row])
    assert kind == "assigned"
    full_set = extraction_reader._assigned()
    return "_assigned", lambda: frozenset(full_set - {row}), row


def _ablation_uses(key: tuple) -> set[str]:
    """Documents whose extraction changes when the row ``key`` is left out (only documents
    with an observation of the indicator the row yields can change)."""
    name, replacement, code = _ablated(key)
    candidates = [d for d in corpus() if any(sig[2] == code for sig in baseline()[d.name])]
    changed = set()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extraction_reader, name, replacement)
        for d in candidates:
            if _signature(d) != baseline()[d.name]:
                changed.add(d.name)
    return changed


@cache
def uses() -> dict[tuple[str, tuple], set[str]]:
    """(how, key) -> names of the documents that use it."""
    out: dict[tuple[str, tuple], set[str]] = {}
    for doc in corpus():
        for found in _matched(doc):
            out.setdefault(found, set()).add(doc.name)
    for e in lexicon_entries():
        if e.how == "ablation":
            out[(e.how, e.key)] = _ablation_uses(e.key)
    return out


# --------------------------------------------------------------------------------- tests

#: entries used nowhere or in one seed or development document only, left for the lead
#: to decide (keep with a test sentence showing it is language, or delete): file -> labels
AWAITING_DECISION: dict[str, set[str]] = {}


def _param(e: LexiconEntry):
    marks = []
    if e.label in AWAITING_DECISION.get(e.file, set()):
        marks.append(pytest.mark.xfail(strict=True, reason="unused or one document's only: "
                                       "the lead decides"))
    return pytest.param(e, id=f"{e.file}:{e.label}", marks=marks)


@pytest.mark.parametrize("entry", [_param(e) for e in lexicon_entries()])
def test_every_entry_is_used_and_not_by_one_document_only(entry: LexiconEntry) -> None:
    docs = uses().get((entry.how, entry.key), set())
    assert docs, f"{entry.file}: {entry.label!r} is used nowhere on the corpus"
    sentences = {d for d in docs if d.startswith(SENTENCE)}
    assert len(docs) > 1 or sentences, (
        f"{entry.file}: {entry.label!r} is used by one document only: {sorted(docs)}")


def test_entries_awaiting_a_decision_exist() -> None:
    labels: dict[str, set[str]] = {}
    for e in lexicon_entries():
        labels.setdefault(e.file, set()).add(e.label)
    for file, awaiting in AWAITING_DECISION.items():
        assert awaiting <= labels.get(file, set()), (file, awaiting - labels.get(file, set()))


def test_every_phrase_of_every_word_list_parses() -> None:
    phrases = [e.phrase for e in L.all_entries()]
    phrases += [r["context"] for r in _rows("count_defaults.csv") if r["context"]]
    for phrase in phrases:
        assert expand(phrase), phrase
    # and the matchers compile from them
    for matcher in (L.noun_matcher(), *L.verb_matchers(), L.function_matcher(),
                    L.count_context_matcher()):
        assert matcher.regex.pattern


def test_every_catalogue_code_of_a_word_list_exists() -> None:
    codes = set(L.catalogue())
    for e in L.all_entries():
        if e.kind in ("indicator", "component"):
            assert e.value in codes, e
        if e.kind == "component" and not e.role.startswith("@"):
            assert e.role in codes, e
    for file, columns in (("capital_of.csv", ("counted", "capital")),
                          ("count_defaults.csv", ("code",)), ("measure_defaults.csv", ("code",)),
                          ("assigned_amounts.csv", ("code",))):
        for r in _rows(file):
            for c in columns:
                if file == "count_defaults.csv" and not r[c] and r["context"]:
                    continue  # context words of a count no indicator counts
                assert r[c] in codes, (file, r)


def test_every_catalogue_cue_left_out_is_a_cue_of_the_catalogue() -> None:
    """A row of catalogue_cues_not_used.csv leaves out a cue the catalogue gives (a row
    naming no cue of its code leaves nothing out: it is stale)."""
    given: set[tuple[str, str]] = set()
    with (DATA / "catalogue" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            given.add((r["code"], re.sub(r"\s*\([^)]*\)", "", r["name_vi"]).strip()))
            given |= {(r["code"], c.strip()) for c in r["cues_vi"].split("|") if c.strip()}
    for r in _rows("catalogue_cues_not_used.csv"):
        assert (r["code"], r["cue"]) in given, r
        assert r["reason"].strip(), r


def test_every_catalogue_code_has_its_properties() -> None:
    with (DATA / "catalogue" / "indicator_properties.csv").open(encoding="utf-8") as fh:
        props = {r["code"]: r for r in csv.DictReader(fh)}
    assert set(props) == set(L.catalogue())
    assert {r["kind"] for r in props.values()} <= {"flow", "stock", "rate"}


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_FIGURE = re.compile(r"\d+[.,]\d+")


def _windows(text: str, n: int = 10) -> set[tuple[str, ...]]:
    words = _TOKEN.findall(fold(text))
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_test_sentences_are_not_copied_from_the_seeds_or_the_development_set() -> None:
    """No test sentence shares a run of ten words holding a figure with a seed or
    development document (indicator names and set phrases are shared by all reports)."""
    others: set[tuple[str, ...]] = set()
    for d in corpus():
        if not d.name.startswith(SENTENCE):
            others |= {w for w in _windows(d.text) if any(_FIGURE.fullmatch(t) for t in w)}
    for name, text in extraction_sentences.all_sentences().items():
        assert not _windows(text) & others, name
