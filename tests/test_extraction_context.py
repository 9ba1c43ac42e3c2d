"""Context as an explicit stack (orchestration.extraction.context): document → section →
paragraph → sentence → clause, each level overriding the one above only with its own
evidence, each field decided once with the level and words that decided it."""

from __future__ import annotations

import datetime as dt

from orchestration.extraction.context import (
    LEVELS,
    UNKNOWN,
    Decision,
    Publication,
    Scope,
    Subject,
)
from orchestration.extraction.periods import Period
from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import extract, one, reading


def test_a_field_is_inherited_from_the_nearest_level_that_states_it() -> None:
    document = Scope("document")
    document.set("period", Period.year(2024), "năm 2024")
    section = document.child("section")
    paragraph = section.child("paragraph")
    sentence = paragraph.child("sentence")
    assert sentence.find("period") == Decision(Period.year(2024), "document", "năm 2024")
    section.set("period", Period.quarter(2024, 4), "quý IV")
    assert sentence.find("period").value == Period.quarter(2024, 4)
    assert sentence.find("period").level == "section"
    assert sentence.own("period") is None
    assert sentence.find("place") is None


def test_a_lower_level_overrides_only_below_itself() -> None:
    document = Scope("document")
    document.set("status", "actual")
    first, second = document.child("section"), document.child("section")
    first.set("status", "target", "II. KẾ HOẠCH NĂM 2025")
    assert first.child("paragraph").find("status").value == "target"
    assert second.child("paragraph").find("status").value == "actual"
    assert document.find("status").value == "actual"


def test_find_above_a_level_skips_what_lower_levels_said() -> None:
    document = Scope("document")
    document.set("subject", "grdp")
    paragraph = document.child("section").child("paragraph")
    paragraph.set("subject", "cpi")
    sentence = paragraph.child("sentence")
    assert sentence.find("subject").value == "cpi"
    assert sentence.find("subject", above="section").value == "grdp"
    assert sentence.find("subject", above="document").value == "grdp"
    assert sentence.find("subject", above="clause") is None  # no such level above


def test_a_decision_records_its_level_and_cue() -> None:
    d = Decision("VN-55", "clause", "Bạc Liêu")
    assert d.evidence() == {"level": "clause", "cue": "Bạc Liêu"}
    assert set(LEVELS) >= {"document", "section", "paragraph", "sentence", "clause", "table"}


def test_subjects() -> None:
    assert Subject(("grdp",), "GRDP").known
    assert not UNKNOWN.known
    assert not Subject((), "doanh nghiệp lữ hành").known
    assert not Subject(("tourists",), "khách", unknown=True).known


def test_a_publication_day_tells_ended_and_future_periods() -> None:
    pub = Publication(dt.date(2024, 7, 5), dt.date(2024, 7, 5), "publication date")
    assert pub.known and pub.year == 2024
    assert pub.ended_before(Period.half(2024, 1)) is True
    assert pub.ended_before(Period.year(2024)) is False
    assert pub.starts_after(Period.year(2025))
    assert not pub.starts_after(Period.year(2024))


def test_a_publication_month_cannot_tell_a_period_ending_inside_it() -> None:
    pub = Publication(dt.date(2024, 9, 1), dt.date(2024, 9, 30), "date 2024-09")
    assert pub.ended_before(Period.months(2024, 1, 8)) is True
    assert pub.ended_before(Period.year(2024)) is False
    assert pub.ended_before(Period.months(2024, 1, 9)) is False  # ends on the last day
    assert pub.ended_before(Period(dt.date(2024, 9, 1), dt.date(2024, 9, 15))) is None


def test_an_unknown_publication_decides_nothing() -> None:
    pub = Publication()
    assert not pub.known and pub.year is None
    assert pub.ended_before(Period.year(2024)) is None
    assert not pub.starts_after(Period.year(2030))


# ----------------------------------------------------------------- through the extractor


def test_section_headings_set_period_and_status_for_their_paragraphs() -> None:
    obs = extract(S.HAI_DUONG_REPORT, S.HAI_DUONG_REPORT_PUBLISHED)
    for mention in ("9,8%", "20.150 tỷ đồng", "8,2%"):
        o = one(obs, mention)
        assert (o.period.code, o.status, o.geo_code) == ("2023", "actual", "VN-61")
        assert o.evidence["period"] == {"level": "section", "cue": "năm 2023"}
    for mention, code in [("10%", "grdp"), ("21.500 tỷ đồng", "budget_revenue"),
                          ("0,8%", "poverty_rate")]:
        o = one(obs, mention)
        assert (o.indicator_code, o.period.code, o.status) == (code, "2024", "target")
        assert o.evidence["status"] == {"level": "section", "cue": "II. KẾ HOẠCH NĂM 2024"}


def test_a_sentence_period_carries_to_the_next_sentences_of_its_paragraph() -> None:
    obs = extract(S.HAI_DUONG_REPORT, S.HAI_DUONG_REPORT_PUBLISHED)
    iip = one(obs, "12,4%")
    assert reading(iip)[:4] == ("iip", "yoy_pct", "2023-Q4", "actual")
    retail = one(obs, "11.240 tỷ đồng")
    assert reading(retail)[:4] == ("retail_sales", "level", "2023-Q4", "actual")
    assert retail.evidence["period"] == {"level": "paragraph", "cue": "quý iv/2023"}


def test_a_clause_without_a_subject_continues_its_sentences() -> None:
    obs = extract(S.HAI_DUONG_REPORT, S.HAI_DUONG_REPORT_PUBLISHED)
    plan = one(obs, "8,2%")
    assert (plan.indicator_code, plan.measure, plan.value) == ("budget_revenue", "pct_of_plan",
                                                               108.2)
    assert plan.evidence["subject_rule"] == "the sentence's subject"
    assert one(obs, "20.150 tỷ đồng").evidence["subject"]["level"] == "clause"


def test_a_paragraph_opening_with_trong_do_continues_the_one_before() -> None:
    obs = extract(S.CONTINUED_BUDGET, S.CONTINUED_PARAGRAPH_PUBLISHED)
    assert reading(one(obs, "4.160 tỷ đồng")) == (
        "budget_revenue", "level", "2023-S1", "actual", 4160.0, "VND_BN", "VN-46")
    # the parts of the total, in the period the paragraph before stated
    for mention, code in [("3.710 tỷ đồng", "budget_revenue_domestic"),
                          ("450 tỷ đồng", "budget_revenue_trade")]:
        o = one(obs, mention)
        assert reading(o)[:4] == (code, "level", "2023-S1", "actual")
        assert o.evidence["period"]["level"] == "paragraph"


def test_the_document_level_decides_when_nothing_lower_does() -> None:
    obs = extract(S.HA_NAM_TITLE, S.HA_NAM_TITLE_PUBLISHED)
    budget = one(obs, "4.120 tỷ đồng")
    assert budget.evidence["period"]["level"] == "document"
    assert budget.evidence["geo"]["level"] == "document"
    assert budget.period.code == "2024-Q1"


def test_every_field_has_its_evidence() -> None:
    obs = extract(S.HAI_DUONG_REPORT, S.HAI_DUONG_REPORT_PUBLISHED)
    for o in obs:
        ev = o.evidence
        for name in ("period", "status", "geo"):
            assert ev[name]["level"] in LEVELS, (o.mention, name, ev[name])
        assert "clause" in ev and "subject_rule" in ev
        assert ev["period_cue"] == ev["period"]["cue"]


def test_the_lead_gives_the_period_when_the_headline_has_none() -> None:
    obs = extract(S.LEAD_PERIOD, S.LEAD_PERIOD_PUBLISHED)
    for mention, code in [("2.150 triệu USD", "export_turnover"), ("12,4%", "export_turnover"),
                          ("6.320 tỷ đồng", "budget_revenue")]:
        o = one(obs, mention)
        assert (o.indicator_code, o.period.code, o.status, o.geo_code) == (
            code, "2024-S1", "actual", "VN-58")
        assert o.evidence["period"] == {"level": "document", "cue": "sáu tháng đầu năm 2024"}
