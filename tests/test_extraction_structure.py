"""Document structure (orchestration.extraction.structure): header junk, title, headings,
paragraphs reflowed from PDF lines, footnotes, page breaks, ``|`` tables and sentences;
every span still indexes the stored text."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.extraction.structure import (
    Paragraph,
    Table,
    is_item_start,
    parse,
    split_sentences,
)
from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import extract, one, reading


def _kinds(text: str) -> list[tuple[str, str]]:
    doc = parse(text)
    return [(b.kind, b.text) if isinstance(b, Paragraph) else ("table", "") for b in doc.blocks]


def test_header_lines_are_junk_and_the_headline_is_the_title() -> None:
    doc = parse(S.GIA_LAI_NEWS)
    assert doc.title is not None
    assert doc.title.text == "Kinh tế Gia Lai 6 tháng đầu năm 2024 tăng trưởng 6,9%"
    assert [p.text for p in doc.header] == [
        "Báo Gia Lai điện tử", "Trang chủ » Kinh tế » Thị trường", "Thứ Năm, 11/07/2024 - 08:15"]
    junk = [text for kind, text in _kinds(S.GIA_LAI_NEWS) if kind == "junk"]
    for line in ("Chia sẻ", "Facebook", "Zalo", "In bài", "Ảnh: Minh Tâm",
                 "Cập nhật: 11/07/2024 10:35", "Lượt xem: 1.254",
                 "Từ khóa: kinh tế, Gia Lai, ngân sách", "Tin liên quan",
                 "Nguồn: Cục Thống kê tỉnh Gia Lai"):
        assert line in junk, line
    body = [text for kind, text in _kinds(S.GIA_LAI_NEWS) if kind == "body"]
    assert len(body) == 2 and body[0].startswith("(GLO) - Theo Cục Thống kê")


def test_header_lines_hold_no_observations() -> None:
    text = S.GIA_LAI_NEWS
    obs = extract(text, S.GIA_LAI_NEWS_PUBLISHED)
    body_start = text.index("(GLO)")
    footer_start = text.index("Cập nhật")
    title = (text.index("Kinh tế Gia Lai"), text.index("Chia sẻ"))
    for o in obs:  # the body, or the headline (which restates it)
        assert body_start <= o.span_start < footer_start or title[0] <= o.span_start < title[1]
    assert "1.254" not in [o.mention for o in obs]
    body = [o for o in obs if o.span_start >= body_start]
    assert [(o.mention, o.indicator_code) for o in body] == [
        ("6,9%", "grdp"), ("3.215 tỷ đồng", "budget_revenue"), ("52,4%", "budget_revenue")]
    assert {reading(o)[2:4] for o in body} == {("2024-S1", "estimate")}
    assert {o.geo_code for o in obs} == {"VN-30"}


def test_pdf_text_is_reflowed_into_paragraphs() -> None:
    doc = parse(S.KON_TUM_PDF)
    assert doc.pdf_like
    body = [p for p in doc.paragraphs if p.kind == "body"]
    first = body[0].text
    assert first.startswith("Tổng sản phẩm trên địa bàn tỉnh (GRDP) năm 2023 ước tăng 8,06%")
    assert "GRDP bình quân đầu người đạt 73,5 triệu đồng" in first  # joined across a line
    assert "\n" not in first
    assert [p.text for p in doc.paragraphs if p.kind == "heading"] == [
        "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN", "1. Tăng trưởng kinh tế", "2. Sản xuất nông nghiệp"]
    assert doc.title is not None and doc.title.text.startswith("Tình hình thực hiện kế hoạch")


def test_footnote_markers_and_bodies_confirm_each_other() -> None:
    doc = parse(S.KON_TUM_PDF)
    assert sorted(doc.markers) == [1, 2]
    view = doc.view.text
    assert view[doc.markers[1] - 5:doc.markers[1] + 1] == "8,06%1"
    footnotes = {p.footnote: p.text for p in doc.paragraphs if p.kind == "footnote"}
    assert footnotes == {
        1: "Trong đó khu vực nông, lâm nghiệp và thủy sản tăng 4,12%; khu vực dịch vụ tăng 7,35%.",
        2: "Thu nội địa đạt 2.980 tỷ đồng."}


def test_a_footnote_marker_is_not_part_of_its_number() -> None:
    obs = extract(S.KON_TUM_PDF, S.KON_TUM_PDF_PUBLISHED)
    grdp = one(obs, "8,06%")
    assert reading(grdp) == ("grdp", "yoy_pct", "2023", "estimate", 8.06, "PCT", "VN-28")
    budget = one(obs, "3.120 tỷ đồng")
    assert (budget.indicator_code, budget.value) == ("budget_revenue", 3120.0)
    assert S.KON_TUM_PDF[budget.span_end] == "2"  # the marker right after the span


def test_footnotes_are_read_in_the_context_of_their_markers_sentence() -> None:
    obs = extract(S.KON_TUM_PDF, S.KON_TUM_PDF_PUBLISHED)
    for mention, code in [("4,12%", "grdp_agriculture"), ("7,35%", "grdp_services")]:
        assert reading(one(obs, mention))[:3] + (one(obs, mention).geo_code,) == (
            code, "yoy_pct", "2023", "VN-28")
    assert reading(one(obs, "2.980 tỷ đồng"))[:3] == ("budget_revenue_domestic", "level",
                                                       "2023")


def test_page_numbers_are_dropped_and_a_sentence_goes_on_across_a_page_break() -> None:
    obs = extract(S.KON_TUM_PDF, S.KON_TUM_PDF_PUBLISHED)
    assert "3" not in [o.mention for o in obs]
    before, after = one(obs, "9,4%"), one(obs, "13.400 tỷ đồng")
    assert reading(before)[:4] == ("export_turnover", "yoy_pct", "2023", "estimate")
    assert reading(after)[:4] == ("social_investment", "level", "2023", "estimate")
    assert (before.evidence["page"], after.evidence["page"]) == (1, 2)
    assert before.quote == after.quote  # one sentence across the page break
    assert reading(one(obs, "31,8%"))[:2] == ("social_investment", "share_pct")


def test_every_pdf_span_indexes_the_stored_text() -> None:
    obs = extract(S.KON_TUM_PDF, S.KON_TUM_PDF_PUBLISHED)
    assert len(obs) >= 18
    for o in obs:
        assert S.KON_TUM_PDF[o.span_start:o.span_end] == o.mention


def test_table_lines_make_a_table_with_a_header() -> None:
    doc = parse(S.PIPE_TABLE_SHORT)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    t = tables[0]
    assert [c.text for c in t.header[0]] == ["Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024",
                                             "Thực hiện 6 tháng"]
    assert [[c.text for c in r] for r in t.rows] == [
        ["Thu ngân sách nhà nước", "Tỷ đồng", "3.300", "1.742"],
        ["Vốn đầu tư phát triển toàn xã hội", "Tỷ đồng", "14.000", "6.915"]]
    for cell in t.rows[0]:  # cells keep their offsets
        assert doc.view.text[cell.start:cell.end] == cell.text


def test_a_lone_line_with_bars_is_text() -> None:
    kinds = _kinds(S.LONE_BAR_LINE)
    assert "table" not in [k for k, _ in kinds]
    obs = extract(S.LONE_BAR_LINE, S.LONE_BAR_LINE_PUBLISHED)
    assert reading(one(obs, "1.250 triệu USD"))[:3] == ("export_turnover", "level", "2024-S1")


@pytest.mark.parametrize(("line", "kind", "level"), [
    ("Phần I", "heading", 1),
    ("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "heading", 2),
    ("3. Thu, chi ngân sách", "heading", 3),
    ("3.2. Chi ngân sách địa phương", "heading", 4),
    ("TÌNH HÌNH SẢN XUẤT NÔNG NGHIỆP", "heading", 2),
    ("Xuất khẩu phục hồi mạnh", "heading", 9),
])
def test_headings_and_their_levels(line: str, kind: str, level: int) -> None:
    text = f"Kinh tế tỉnh Ninh Thuận năm 2023\n\n{line}\nThu ngân sách đạt 3.850 tỷ đồng."
    doc = parse(text)
    found = [p for p in doc.paragraphs if p.text == line]
    assert [(p.kind, p.heading_level) for p in found] == [(kind, level)]


def test_an_upper_case_line_after_a_part_heading_continues_it() -> None:
    doc = parse("Phần II\nPHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025\nThu ngân sách đạt 3.400 tỷ đồng.")
    assert [(p.kind, p.heading_level) for p in doc.paragraphs][:2] == [
        ("heading", 1), ("heading_cont", 1)]
    assert doc.title is None  # a report's part heading: no headline


@pytest.mark.parametrize(("line", "item"), [
    ("(3) Thu ngân sách", True), ("- Vốn đầu tư tăng", True), ("- đạt 5%", False),
    ("1.2. Về du lịch", True), ("II. Nhiệm vụ", True), ("a) Chi thường xuyên", True),
    ("Thu ngân sách", False), ("2024 là năm bản lề", False),
])
def test_items_of_a_list(line: str, item: bool) -> None:
    assert is_item_start(line) is item


def test_sentences_end_at_a_full_stop_before_a_capital() -> None:
    text = ("Thu ngân sách đạt 18.063,8 tỷ đồng. TP. Hồ Chí Minh tăng 7,2%. Huế tăng 6%! "
            "Cả năm tăng 8%… 2024 tăng 5,1%.")
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Thu ngân sách đạt 18.063,8 tỷ đồng.", "TP. Hồ Chí Minh tăng 7,2%.", "Huế tăng 6%!",
        "Cả năm tăng 8%…", "2024 tăng 5,1%."]


def test_a_date_line_of_the_month_is_the_publication_month() -> None:
    doc = parse(S.MONTH_DATED_PAGE)
    assert doc.published_month == (2024, 9)
    obs = extract(S.MONTH_DATED_PAGE)  # no publication date given: the month is used
    assert reading(one(obs, "2.150 tỷ đồng"))[:4] == ("budget_revenue", "level",
                                                       "2024-01/2024-08", "actual")
    assert reading(one(obs, "3.400 tỷ đồng"))[:4] == ("budget_revenue", "level", "2024",
                                                       "estimate")


def test_spans_and_quotes_through_dropped_characters_and_a_form_feed() -> None:
    text = S.INVISIBLE_AND_PAGED
    obs = extract(text, S.INVISIBLE_AND_PAGED_PUBLISHED)
    assert sorted(o.mention for o in obs) == ["1.\u200b050 tỷ đồng", "12,5%", "3.880 tỷ đồng"]
    for o in obs:
        assert text[o.span_start:o.span_end] == o.mention
        assert "\u200b" not in o.quote and "\f" not in o.quote
    assert {o.evidence["page"] for o in obs} == {1, 2}


#: the body figures of each news page (mention, indicator)
NEWS_BODY = {
    "binh-thuan": [("7,2 triệu lượt khách du lịch", "tourists"), ("10,5%", "tourists"),
                   ("19.800 tỷ đồng", "tourism_revenue")],
    "ca-mau": [("1.120 triệu USD", "export_turnover"), ("7,2%", "export_turnover")],
    "hau-giang": [("312 doanh nghiệp", "new_enterprises"),
                  ("2.940 tỷ đồng", "new_enterprises_capital")],
    "yen-bai": [("6,4%", "grdp")],
    "tra-vinh": [("1.860 tỷ đồng", "budget_revenue"), ("27,4%", "budget_revenue")],
    "kon-tum": [("3.215 tỷ đồng", "budget_revenue"), ("71,4%", "budget_revenue")],
}


@pytest.mark.parametrize("page", sorted(S.NEWS_PAGES))
def test_mastheads_and_header_lines_of_news_pages(page: str) -> None:
    text = S.NEWS_PAGES[page]
    doc = parse(text)
    lines = text.splitlines()
    assert doc.title is not None
    title_line = lines.index(doc.title.text)
    # every line above the headline is header, every short header line below it junk
    assert [p.text for p in doc.header] == lines[:title_line]
    assert all(p.kind == "junk" for p in doc.header)
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert len(body) == 1 and body[0] in lines[title_line + 1:]
    obs = extract(text, S.NEWS_PAGES_PUBLISHED[page])
    body_start = text.index(body[0])
    assert [(o.mention, o.indicator_code) for o in obs if o.span_start >= body_start] == (
        NEWS_BODY[page])
    assert all(o.span_start >= text.index(doc.title.text) for o in obs)  # none in the header


def test_a_long_sentences_quote_is_bounded_and_its_span_kept_whole() -> None:
    from orchestration.extraction.extractor import MAX_QUOTE

    text = S.LONG_SENTENCE_TEMPLATE.format("4.250")
    assert len(text) > 5 * MAX_QUOTE
    obs = extract(text, dt.date(2024, 2, 1))
    first = one(obs, "4.250 tỷ đồng")
    assert (first.indicator_code, first.value, first.period.code) == ("budget_revenue", 4250.0,
                                                                      "2023")
    for o in obs:
        # a window of MAX_QUOTE around the number, an ellipsis at each cut end
        assert len(o.quote) <= MAX_QUOTE + len(o.mention) + 2
        assert (o.quote_start, o.quote_end) == (0, len(text))  # the sentence, whole
        assert o.mention in o.quote
    assert obs[-1].quote.endswith("huyện thứ 199 thu 299 tỷ đồng.")


def test_a_footnote_takes_the_period_of_the_number_carrying_its_marker() -> None:
    obs = extract(S.KON_TUM_PDF_COMPARED, S.KON_TUM_PDF_PUBLISHED)
    o = one(obs, "4,12%")
    assert (o.indicator_code, o.period.code) == ("grdp_agriculture", "2023")


def test_portal_navigation_lines_are_not_the_title() -> None:
    text = S.NEWS_PAGES["kon-tum"]
    doc = parse(text)
    assert doc.title is not None and doc.title.text.startswith("Tình hình kinh tế")
    assert [p.text for p in doc.header][:2] == ["Skip Ribbon Commands", "Skip to main content"]
    assert {o.geo_code for o in extract(text, S.NEWS_PAGES_PUBLISHED["kon-tum"])} == {"VN-28"}
