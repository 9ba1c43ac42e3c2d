"""The extraction pipeline: a document in, its observations out.

1. :mod:`.structure` parses the stored text once into header, title, headings,
   paragraphs, tables and footnotes (spans keep pointing into the stored text).
2. The document's own context is decided once: its period (title, else lead), its
   subject (the indicator its title names), its place (the province its text is about,
   else the raw folder it sits in, else the configured default) and its publication
   date (from the ingest, or a ``date YYYY-MM`` header line).
3. Blocks are read in order, each in a :class:`.context.Scope` inheriting from the one
   above: a heading opens a section (its period, subject, place, a target section), a
   paragraph carries what its sentences said, :class:`.reader.SentenceReader` reads
   each sentence, :mod:`.tables` each table; footnotes take the context of the sentence
   carrying their marker.
4. Every reading becomes an :class:`.model.Observation` with its stored-text span, its
   sentence as quote and the evidence of every field.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import deque
from typing import Any

from .context import Decision, Publication, Scope, Subject
from .lexicon import Entry, noun_matcher, verb_matches
from .model import Observation
from .numbers import english_style
from .period_grammar import find_periods
from .periods import Period
from .phrases import PhraseMatch
from .places import NATIONAL, document_province, national_document, province_of_path, provinces_in
from .reader import ParagraphWords, Reading, SentenceReader, _mask
from .structure import Document, Paragraph, Table, parse
from .tables import read_table

MAX_QUOTE = 1000  # characters of a sentence kept as the quote (its span is kept whole)
_TARGET_HEADING = re.compile(
    r"mục\s+tiêu|chỉ\s+tiêu|phương\s+hướng|nhiệm\s+vụ|định\s+hướng|kế\s+hoạch|"
    r"dự\s+kiến|giai\s+đoạn\s+tới"
)
_RETROSPECTIVE = re.compile(
    r"đánh\s+giá|kết\s+quả|thực\s+hiện|hoàn\s+thành|hạn\s+chế|nguyên\s+nhân|vượt|đạt"
)
#: how many paragraphs back a part named with no whole in force looks for its whole
_RECENT_PARAGRAPHS = 4
_CONTINUES = re.compile(r"\s*(?:trong\s+đó|riêng|cụ\s+thể|bao\s+gồm)\b")
#: a sentence that breaks the previous one down
_BREAKS_DOWN = re.compile(r"\s*(?:trong\s+đó|cụ\s+thể)\b")
_PLAN_BEFORE = re.compile(
    r"(?:kế\s+hoạch|mục\s+tiêu|phấn\s+đấu|chỉ\s+tiêu|hướng\s+tới|nhiệm\s+vụ|dự\s+toán|"
    r"đặt|so\s+với|gấp\s+[\d.,]+\s+lần)(?:\s+\S+){0,3}\s*$"
)


def extract_observations(
    text: str,
    *,
    published_date: dt.date | str | None = None,
    title: str | None = None,
    source_id: str | None = None,
    default_geo: str = "VN-09",
) -> list[Observation]:
    """Every quantitative statement of ``text`` as observations (spans index ``text``).

    ``published_date`` (a date or an ISO ``YYYY-MM-DD`` string) makes statements about
    periods not yet over at publication estimates; without it the status comes from the
    cue words alone. ``source_id`` (the file's path relative to the raw folder) and
    ``default_geo`` decide the place of a
    document whose text names none (contract section 7). ``title`` is accepted for
    callers that know it; the title is read from the text itself.
    """
    if isinstance(published_date, str):
        published_date = dt.date.fromisoformat(published_date)
    return _Extraction(text, published_date, source_id, default_geo).run()


def _publication(published: dt.date | None, doc: Document) -> Publication:
    if published is not None:
        return Publication(published, published, "publication date")
    if doc.published_month:
        y, m = doc.published_month
        return Publication(
            dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), f"date {y}-{m:02d}"
        )
    return Publication()


class _Extraction:
    def __init__(
        self, text: str, published: dt.date | None, source_id: str | None, default_geo: str
    ) -> None:
        self.text = text
        self.doc = parse(text)
        self.english = english_style(self.doc.view.text)
        self.pub = _publication(published, self.doc)
        self.observations: list[Observation] = []
        self.recent_periods: list[Period] = []
        #: indicator codes read in each of the last paragraphs
        self.recent_codes: deque[list[str]] = deque(maxlen=_RECENT_PARAGRAPHS)
        self.last_paragraph: Scope | None = None
        self.marker_context: dict[int, tuple[Decision | None, Decision | None]] = {}
        #: footnote markers by view offset (offsets ascending, then their numbers)
        by_offset = sorted((off, n) for n, off in self.doc.markers.items())
        self.marker_offsets = [off for off, _ in by_offset]
        self.marker_numbers = [n for _, n in by_offset]
        self.scope = Scope("document")
        #: noun phrases of folded paragraph texts, found once: the document's place is
        #: decided on them and the paragraphs' words reuse them
        self.nouns: dict[str, list[PhraseMatch[Entry]]] = {}
        self.doc_geo = self._document_place(source_id, default_geo)
        self._document_context()

    # -- document context ------------------------------------------------------------
    def _noun_phrases(self, folded: str) -> list[PhraseMatch[Entry]]:
        found = self.nouns.get(folded)
        if found is None:
            found = self.nouns[folded] = list(noun_matcher().finditer(folded))
        return found

    def _lead(self) -> list[Paragraph]:
        out = []
        for b in self.doc.blocks:
            if isinstance(b, Paragraph) and b.kind == "body":
                out.append(b)
                if len(out) == 2:
                    break
        return out

    def _document_place(self, source_id: str | None, default_geo: str) -> Decision:
        # (texts with the folded forms the paragraphs carry: not folded again)
        body = [(p.text, p.folded) for p in self.doc.paragraphs if p.kind == "body"]
        header = [(p.text, p.folded) for p in self.doc.header]
        code, cue = document_province(
            self.doc.title.text if self.doc.title else None,
            header,
            [(p.text, p.folded) for p in self._lead()],
            body,
            self._noun_phrases,
        )
        if code:
            return Decision(code, "document", cue)
        title = [(self.doc.title.text, self.doc.title.folded)] if self.doc.title else []
        national = national_document(title + header + body, self._noun_phrases)
        if national:  # a national report: "cả nước", "GDP" and no province of its own
            return Decision(NATIONAL, "document", f"national report: {national}")
        folder = province_of_path(source_id)
        if folder:
            return Decision(folder, "document", f"folder of {source_id}")
        return Decision(default_geo, "document", "(configured default place)")

    def _document_year(self) -> int | None:
        """The year of the first date or year written in the title or lead (context for
        year-less periods when the publication date is unknown)."""
        for p in ([self.doc.title] if self.doc.title else []) + self._lead():
            m = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", p.text)
            if m:
                return int(m.group(1))
        return None

    def _reporting_period(self, p: Paragraph) -> Decision | None:
        """The first period a title or lead reports on (not a plan, target, base or
        horizon, not an institution's term)."""
        year = self.pub.year or self._document_year()
        for a, b in p.sentences or [(0, len(p.folded))]:
            found = self._reporting_period_in(p.folded[a:b], year)
            if found is not None:
                return found
        return None

    def _reporting_period_in(self, folded: str, year: int | None) -> Decision | None:
        roles = {e.role for m in verb_matches(folded) for e in m.entries}
        if roles & {"target_verb"} and not roles & {"estimate"}:
            return None  # "Năm 2025 phấn đấu tăng trưởng 8%": a target, not a report
        p_folded = folded
        for pm in find_periods(p_folded, year):
            if pm.is_name or pm.horizon or pm.period is None:
                continue
            before = p_folded[max(0, pm.start - 40) : pm.start]
            if _PLAN_BEFORE.search(before):
                continue
            return Decision(pm.period, "document", pm.text)
        return None

    def _document_context(self) -> None:
        year = self._document_year()
        if year is not None:
            self.scope.fields["year"] = Decision(year, "document", "(first year in title/lead)")
        period = None
        if self.doc.title is not None:
            period = self._reporting_period(self.doc.title)
        if period is None:
            for p in self._lead():
                period = self._reporting_period(p)
                if period is not None:
                    break
        if period is not None:
            self.scope.fields["period"] = period
        if self.doc.title is not None:
            subject = _named_subject(self.doc.title)
            if subject is not None:
                self.scope.fields["subject"] = Decision(subject, "document", subject.cue)

    # -- blocks ----------------------------------------------------------------------
    def run(self) -> list[Observation]:
        sections: list[tuple[int, Scope]] = []
        footnotes: list[tuple[Paragraph, Scope]] = []
        headline = 0
        if self.doc.title is not None:
            self._paragraph(self.doc.title, self.scope.child("paragraph"))
            headline = len(self.observations)
        for block in self.doc.blocks:
            parent = sections[-1][1] if sections else self.scope
            if isinstance(block, Table):
                self._table(block, parent)
                continue
            p = block
            if p.kind in ("junk", "title"):
                continue
            if p.kind == "footnote":
                footnotes.append((p, parent))
                continue
            if p.kind in ("heading", "heading_cont"):
                level = p.heading_level if p.heading_level is not None else 9
                if p.kind == "heading_cont" and sections:
                    _heading_context(sections[-1][1], p, self.pub, self.scope)
                    continue
                while sections and sections[-1][0] >= level:
                    sections.pop()
                parent = sections[-1][1] if sections else self.scope
                section = parent.child("section")
                _heading_context(section, p, self.pub, self.scope)
                sections.append((level, section))
                self._paragraph(p, section.child("paragraph"))
                continue
            self._paragraph(p, parent.child("paragraph"))
        for p, parent in footnotes:
            scope = parent.child("paragraph")
            subject, period = self.marker_context.get(p.footnote or -1, (None, None))
            if subject is not None:
                scope.fields["subject"] = Decision(
                    subject.value, "paragraph", f"footnote {p.footnote}'s sentence"
                )
            if period is not None:
                scope.fields["period"] = Decision(
                    period.value, "paragraph", f"footnote {p.footnote}'s sentence"
                )
            self._paragraph(p, scope)
        _compare_headline_as_restated(self.observations[:headline], self.observations[headline:])
        return _dedupe(self.observations)

    def _paragraph(self, p: Paragraph, scope: Scope) -> None:
        if p.kind != "footnote" and _CONTINUES.match(p.folded) and self.last_paragraph is not None:
            # "Trong đó, …" opening a paragraph continues the one before it
            for name in ("subject", "period"):
                d = self.last_paragraph.own(name)
                if d is not None:
                    scope.fields[name] = d
        if p.kind != "footnote":
            self.last_paragraph = scope
        words = ParagraphWords(
            p.text,
            p.folded,
            _context_year(scope, self.pub),
            self.english,
            nouns=self.nouns.get(p.folded),
        )
        read_here: list[str] = []
        self.recent_codes.append(read_here)
        said: Decision | None = None  # the status a cue gave the previous sentence
        for a, b in p.sentences:
            if not self.doc.markers and not words.says_anything(a, b):
                continue  # no number, period or name: the sentence changes nothing
            sentence = scope.child("sentence")
            if said is not None and _BREAKS_DOWN.match(p.folded, a):
                # "… ước tính tăng 7,4%. Trong đó, khu vực …": the breakdown of a target
                # or an estimate is one too
                sentence.fields["carried_status"] = said
            reader = SentenceReader(
                words, a, b, sentence, self.pub, self.doc_geo, self.recent_periods,
                tuple(code for codes in self.recent_codes for code in codes),
            )  # fmt: skip
            readings = reader.read()
            said = _status_said(readings, reader)
            read_here.extend(r.indicator.code for r in readings if r.indicator is not None)
            self.recent_periods.extend(reader.stated_periods())
            if readings:  # the sentence's span and quote are the same for all its numbers
                span = p.view_span(a, b)
                quote = _quote(p.text, a, b) if b - a <= MAX_QUOTE else None
                for r in readings:
                    self._emit(p, a, b, r, span, quote)
            self._remember_markers(p, a, b, readings, reader)
            # what the sentence said carries to the next sentences of the paragraph
            first = reader.first_period
            if first is not None:
                scope.fields["period"] = Decision(first.value, "paragraph", first.cue)
            carried = reader.state.whole or reader.state.subject
            if carried is not None and carried.value.known:
                scope.fields["subject"] = Decision(carried.value, "paragraph", carried.cue)
            # the province the sentence's first figure is said of carries too ("Hà Nội đón
            # 672.900 lượt khách. Trong đó, khách quốc tế …"); the country does not: a
            # provincial report sets its figures against the country's ("GDP cả nước tăng
            # 7,09%. Tăng trưởng GRDP đạt 8,1%")
            first_read = next((r for r in readings if r.indicator is not None), None)
            if first_read is not None:
                geo = first_read.evidence.get("geo") or {}
                if geo.get("level") in ("clause", "sentence") and first_read.geo != NATIONAL:
                    scope.fields["place"] = Decision(first_read.geo, "paragraph", geo.get("cue"))
                elif "place" in scope.fields and first_read.geo == NATIONAL:
                    del scope.fields["place"]  # the paragraph moved on to the country

    def _remember_markers(
        self, p: Paragraph, a: int, b: int, readings: list[Reading], reader: SentenceReader
    ) -> None:
        if not self.doc.markers:
            return
        lo, hi = p.view_span(a, b)
        # the markers at view offsets lo .. hi + 3, found by bisection (a long report has
        # many markers and many sentences)
        first = bisect.bisect_left(self.marker_offsets, lo)
        last = bisect.bisect_right(self.marker_offsets, hi + 3)
        for off, n in zip(
            self.marker_offsets[first:last], self.marker_numbers[first:last], strict=True
        ):
            if n in self.marker_context:
                continue
            before = [r for r in readings if p.to_view(r.end - 1) < off]
            subject = None
            if before and before[-1].indicator is not None:
                ind = before[-1].indicator
                subject = Decision(Subject((ind.code,), ind.code), "sentence", ind.code)
            elif reader.state.subject is not None:
                subject = reader.state.subject
            period = reader.state.period
            if before:  # the period of the number carrying the marker, not of a later one
                period = Decision(before[-1].period, "sentence", "(number with the marker)")
            self.marker_context[n] = (subject, period)

    def _table(self, table: Table, parent: Scope) -> None:
        for cell_reading in read_table(table, parent.child("table"), self.pub, self.doc_geo):
            self._emit_table(table, cell_reading)

    # -- observations ----------------------------------------------------------------
    def _stored_span(self, view_start: int, view_end: int) -> tuple[int, int]:
        v = self.doc.view
        return v.to_stored(view_start), v.to_stored(view_end - 1) + 1

    def _emit(
        self,
        p: Paragraph,
        a: int,
        b: int,
        r: Reading,
        span: tuple[int, int],
        quote: str | None,
    ) -> None:
        """The observation of reading ``r`` of the sentence ``p.text[a:b]``, whose view
        span is ``span`` and whose quote is ``quote`` (None for a sentence longer than
        :data:`MAX_QUOTE`: its quote is a window around each number)."""
        vs, ve = p.view_span(r.start, r.end)
        # a span never crosses a line break (a unit on the next line is not the mention)
        nl = self.doc.view.text.find("\n", vs, ve)
        if nl != -1:
            ve = nl
        while ve > vs and self.doc.view.text[ve - 1].isspace():
            ve -= 1
        if quote is None:
            quote = _quote(p.text, a, b, r.start, r.end)
        self._append(r, vs, ve, span[0], span[1], quote, {})

    def _emit_table(self, table: Table, cell: Any) -> None:
        r: Reading = cell.reading
        row_line = cell.row_line
        quote = " | ".join(c.text for c in cell.row)
        self._append(
            r, cell.start, cell.end, row_line.start, row_line.end, quote, {"table": cell.labels}
        )

    def _append(
        self, r: Reading, vs: int, ve: int, qs: int, qe: int, quote: str, extra: dict[str, Any]
    ) -> None:
        if r.indicator is None and not r.unit:
            return  # a bare number no indicator and no unit of the contract speaks of
        start, end = self._stored_span(vs, ve)
        quote_start, quote_end = self._stored_span(qs, qe)
        ev = dict(r.evidence)
        ev.update(extra)
        if self.doc.view.page_breaks:
            ev["page"] = self.doc.view.page_of(vs)
        ev["indicator_cue"] = (ev.get("subject") or {}).get("cue") if r.indicator else None
        ev["period_cue"] = (ev.get("period") or {}).get("cue")
        ev["status_cue"] = (ev.get("status") or {}).get("cue")
        ev["geo_cue"] = (ev.get("geo") or {}).get("cue")
        self.observations.append(Observation(
            span_start=start, span_end=end, mention=self.text[start:end],
            indicator_code=r.indicator.code if r.indicator else None, geo_code=r.geo,
            period=r.period, base_period=r.base, measure=r.measure, value=_round(r.value),
            value_low=_round(r.low), value_high=_round(r.high), qualifier=r.qualifier,
            unit=r.unit, status=r.status, quote_start=quote_start, quote_end=quote_end,
            quote=quote, evidence=ev,
        ))  # fmt: skip


def _context_year(scope: Scope, pub: Publication) -> int | None:
    """The year a paragraph's year-less periods ("tháng 10", "quý III") belong to."""
    d = scope.find("period")
    if d is not None:
        return d.value.end.year
    if pub.year:
        return pub.year
    d = scope.find("year")
    return d.value if d is not None else None


def _named_subject(p: Paragraph) -> Subject | None:
    masked = _mask(p.folded, find_periods(p.folded))
    growth = any(
        e.kind == "measure" and e.role == "growth" for m in verb_matches(masked) for e in m.entries
    )
    for m in noun_matcher().finditer(masked):
        codes = tuple(e.value for e in m.entries if e.kind == "indicator")
        if codes:
            return Subject(codes, m.text, growth=growth)
    return None


def _status_said(readings: list[Reading], reader: SentenceReader) -> Decision | None:
    """The status a cue gave a sentence, with the period it was said of, for a sentence
    that breaks it down: its last reading's, or else (a sentence that names a target
    without a number it reads: "giao mục tiêu tăng trưởng GRDP 2 con số") its target
    word's."""
    for r in reversed(readings):
        cue = (r.evidence.get("status") or {}).get("cue")
        if r.status in ("target", "estimate") and cue and not cue.startswith("("):
            return Decision((r.status, r.period), "paragraph", cue)
    if not readings:
        for t in reader.status_cues:
            if t.role in ("target_noun", "target_verb"):
                return Decision(("target", None), "paragraph", t.text)
    return None


def _heading_context(section: Scope, p: Paragraph, pub: Publication, doc: Scope) -> None:
    folded = p.folded
    year = None
    d = doc.find("period")
    if d is not None:
        year = d.value.end.year
    elif pub.year:
        year = pub.year
    periods = [pm for pm in find_periods(folded, year) if pm.period is not None and not pm.is_name]
    doc_period = doc.own("period")
    for pm in periods:
        if (
            doc_period is not None
            and pm.period != doc_period.value
            and (
                pm.period.start <= doc_period.value.start and doc_period.value.end <= pm.period.end
            )
        ):
            continue  # a heading period containing the document's finer one adds nothing
        section.fields["period"] = Decision(pm.period, "section", pm.text)
        break
    target_words = _TARGET_HEADING.search(folded)
    future = any(pub.starts_after(pm.period) for pm in periods) or any(pm.horizon for pm in periods)
    if (
        target_words
        and not _RETROSPECTIVE.search(folded)
        and (future or p.heading_level is not None and p.heading_level < 9 or not pub.known)
        or target_words
        and future
    ):
        section.fields["status"] = Decision("target", "section", p.text)
    subject = _named_subject(p)
    if subject is not None:
        section.fields["subject"] = Decision(subject, "section", subject.cue)
    places = provinces_in(p.text, p.folded)
    if places:
        section.fields["place"] = Decision(
            places[0][2], "section", p.text[places[0][0] : places[0][1]]
        )


def _quote(text: str, a: int, b: int, start: int = 0, end: int = 0) -> str:
    """The sentence ``text[a:b]`` as a quote; a sentence longer than :data:`MAX_QUOTE`
    is cut to a window around the number ``text[start:end]`` (its full span is kept in
    ``quote_start``/``quote_end``)."""
    if b - a > MAX_QUOTE:
        half = MAX_QUOTE // 2
        lo, hi = max(a, start - half), min(b, end + half)
        piece = text[lo:hi]
        return ("…" if lo > a else "") + " ".join(piece.split()) + ("…" if hi < b else "")
    return " ".join(text[a:b].split())


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _compare_headline_as_restated(
    headline: list[Observation], body: list[Observation]
) -> None:
    """A headline's change stated without its base ("CPI tháng 11 tăng 0,45%") took the
    default, growth on the same period of last year. When the body restates the same
    figure of the same indicator, place and period with its base ("tăng 0,45% so với
    tháng trước"), the headline's number is that one: it takes the body's measure and
    base, and its status when the headline had no word for it (headlines drop "ước").
    Several different readings in the body leave it as it is."""
    for o in headline:
        if o.evidence.get("base") is not None or o.measure != "yoy_pct":
            continue
        status_said = o.evidence.get("status_cue") is not None
        restated = {
            (b.measure, b.base_period, b.status)
            for b in body
            if b.evidence.get("base") is not None
            and (b.indicator_code, b.geo_code, b.period, b.value, b.unit)
            == (o.indicator_code, o.geo_code, o.period, o.value, o.unit)
            and (b.status == o.status or not status_said)
        }
        if len(restated) == 1:
            o.measure, o.base_period, o.status = next(iter(restated))
            o.evidence["base"] = {"level": "document", "cue": "(the body restates it)"}
            o.evidence["measure_rule"] = "a headline figure compared as the body restates it"


def _dedupe(observations: list[Observation]) -> list[Observation]:
    seen: set[tuple] = set()
    out = []
    for o in observations:
        key = (o.span_start, o.span_end, o.indicator_code, o.measure)
        if key in seen:
            continue
        seen.add(key)
        out.append(o)
    return out
