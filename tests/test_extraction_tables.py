"""Tables flattened to text (contract section 7, orchestration.extraction.tables): each
cell takes its row's indicator and its column's period, measure and status; the unit
cell scales it; subsets, blank and dash cells hold nothing; a table going on after a
page break keeps its header."""

from __future__ import annotations

import pytest

from tests.fixtures import extraction_sentences as S
from tests.fixtures.extraction_helpers import base, extract, indicators, one, reading


@pytest.fixture(scope="module")
def quang_ngai():
    return extract(S.QUANG_NGAI_TABLE, S.QUANG_NGAI_TABLE_PUBLISHED)


@pytest.mark.parametrize(("mention", "code", "period", "status", "value", "unit"), [
    ("5.120,4", "retail_sales", "2024-08", "actual", 5120.4, "VND_BN"),
    ("5.210,8", "retail_sales", "2024-09", "estimate", 5210.8, "VND_BN"),
    ("182,5", "export_turnover", "2024-08", "actual", 182.5, "USD_MN"),
    ("190,1", "export_turnover", "2024-09", "estimate", 190.1, "USD_MN"),
    ("310,2", "tourists", "2024-08", "actual", 310200.0, "VISIT"),
    ("298,7", "tourists", "2024-09", "estimate", 298700.0, "VISIT"),
])
def test_a_cell_takes_its_rows_indicator_and_its_columns_period_and_status(
        quang_ngai, mention: str, code: str, period: str, status: str, value: float,
        unit: str) -> None:
    assert reading(one(quang_ngai, mention)) == (code, "level", period, status, value, unit,
                                                 "VN-29")


def test_a_cumulative_column_takes_its_period(quang_ngai) -> None:
    for mention, code in [("45.870,2", "retail_sales"), ("1.650,3", "export_turnover"),
                          ("2.845,6", "tourists")]:
        assert reading(one(quang_ngai, mention))[:3] == (code, "level", "2024-01/2024-09")


@pytest.mark.parametrize(("mention", "code", "value"), [
    ("108,6", "iip", 8.6), ("112,4", "retail_sales", 12.4), ("104,2", "export_turnover", 4.2),
    ("115,3", "tourists", 15.3),
])
def test_a_same_period_comparison_column_states_an_index(quang_ngai, mention: str, code: str,
                                                        value: float) -> None:
    o = one(quang_ngai, mention)
    assert (o.indicator_code, o.measure, o.period.code, o.unit, base(o)) == (
        code, "yoy_pct", "2024-01/2024-09", "PCT", None)
    assert o.value == pytest.approx(value)


def test_a_subset_row_is_not_the_indicator(quang_ngai) -> None:
    for mention in ("3.980,1", "4.020,5", "35.640,7", "110,9"):
        assert indicators(quang_ngai, mention) <= {None}


def test_dash_cells_hold_nothing_and_numbering_is_not_a_value(quang_ngai) -> None:
    rows = {o.mention for o in quang_ngai}
    assert not rows & {"1", "2", "3", "4", "2.1", "-"}
    assert len([o for o in quang_ngai if o.indicator_code == "iip"]) == 1


def test_cell_spans_index_the_stored_text_and_quote_their_row(quang_ngai) -> None:
    o = one(quang_ngai, "190,1")
    text = S.QUANG_NGAI_TABLE
    assert text[o.span_start:o.span_end] == "190,1"
    assert o.quote == "3 | Kim ngạch xuất khẩu | Triệu USD | 182,5 | 190,1 | 1.650,3 | 104,2"
    assert text[o.quote_start:o.quote_end] == o.quote
    assert o.evidence["table"] == {"row": "Kim ngạch xuất khẩu",
                                   "column": "Ước tính tháng 9/2024", "unit": "Triệu USD"}


@pytest.fixture(scope="module")
def thai_nguyen():
    return extract(S.THAI_NGUYEN_PLAN_TABLE, S.THAI_NGUYEN_PLAN_TABLE_PUBLISHED)


def test_a_plan_column_is_a_target_for_its_year(thai_nguyen) -> None:
    assert reading(one(thai_nguyen, "20.500")) == (
        "budget_revenue", "level", "2024", "target", 20500.0, "VND_BN", "VN-69")
    assert reading(one(thai_nguyen, "32.000"))[:4] == ("export_turnover", "level", "2024",
                                                       "target")
    assert reading(one(thai_nguyen, "480")) == ("food_output", "level", "2024", "target",
                                                 480000.0, "TONNE", "VN-69")


def test_an_estimate_column_and_the_comparisons_after_it(thai_nguyen) -> None:
    assert reading(one(thai_nguyen, "1.860"))[:5] == ("budget_revenue", "level", "2024-10",
                                                      "estimate", 1860.0)
    previous = one(thai_nguyen, "98,7")
    assert reading(previous)[:4] == ("export_turnover", "change_pct", "2024-10", "estimate")
    assert previous.value == pytest.approx(-1.3) and base(previous) == "2024-09"
    plan = one(thai_nguyen, "83,6")
    assert reading(plan)[:6] == ("budget_revenue", "pct_of_plan", "2024-10", "estimate", 83.6,
                                 "PCT")


def test_row_numbers_in_labels_and_blank_cells(thai_nguyen) -> None:
    assert one(thai_nguyen, "1.860").evidence["table"]["row"] == "1. Thu ngân sách nhà nước"
    assert [o.mention for o in thai_nguyen if o.indicator_code == "food_output"] == ["480"]
    assert "Nguồn" not in " ".join(o.quote for o in thai_nguyen)


def test_a_table_going_on_after_a_page_break_keeps_its_header() -> None:
    obs = extract(S.HAI_DUONG_TABLE_PAGES, S.HAI_DUONG_TABLE_PAGES_PUBLISHED)
    expected = {
        "5.430": ("budget_revenue", "2024-Q3"), "16.250": ("budget_revenue", "2024-01/2024-09"),
        "4.120": ("budget_expenditure", "2024-Q3"),
        "1.210": ("export_turnover", "2024-Q3"), "3.640": ("export_turnover", "2024-01/2024-09"),
        "12.300": ("social_investment", "2024-Q3"),
        "35.480": ("social_investment", "2024-01/2024-09"),
    }
    for mention, (code, period) in expected.items():
        o = one(obs, mention)
        assert (o.indicator_code, o.period.code, o.measure, o.status) == (
            code, period, "level", "actual")
    assert one(obs, "1.210").unit == "USD_MN" and one(obs, "12.300").unit == "VND_BN"
    assert one(obs, "3.640").evidence["page"] == 2


def test_prose_after_a_table_is_read_as_prose() -> None:
    obs = extract(S.HAI_DUONG_TABLE_PAGES, S.HAI_DUONG_TABLE_PAGES_PUBLISHED)
    assert reading(one(obs, "9,6%"))[:4] == ("iip", "yoy_pct", "2024-Q3", "actual")
    assert reading(one(obs, "10,4%"))[:2] == ("iip_manufacturing", "yoy_pct")
    assert reading(one(obs, "6,1%"))[:2] == ("iip_electricity", "yoy_pct")


def test_a_unit_line_above_the_table_gives_its_cells_their_unit() -> None:
    obs = extract(S.HAI_DUONG_CAPTION_TABLE, S.HAI_DUONG_CAPTION_TABLE_PUBLISHED)
    o = one(obs, "5.430")
    assert (o.indicator_code, o.period.code, o.value, o.unit) == (
        "budget_revenue", "2024-Q3", 5430.0, "VND_BN")


def test_an_empty_numbering_cell_keeps_the_rows_columns() -> None:
    obs = extract(S.EMPTY_NUMBER_CELL, S.EMPTY_NUMBER_CELL_PUBLISHED)
    o = one(obs, "2.640")
    assert (o.indicator_code, o.period.code, o.measure, o.value, o.unit) == (
        "budget_revenue_domestic", "2024-S1", "level", 2640.0, "VND_BN")
    assert one(obs, "2.815").indicator_code == "budget_revenue"


def test_a_table_pasted_one_cell_per_line() -> None:
    obs = extract(S.ONE_CELL_PER_LINE)
    for mention, period in (("5.430", "2024-Q3"), ("16.250", "2024-01/2024-09")):
        o = one(obs, mention)
        assert (o.indicator_code, o.period.code, o.unit) == ("budget_revenue", period, "VND_BN")
        assert o.evidence["table"]


def test_short_lines_without_a_header_row_are_not_a_table() -> None:
    text = (
        "Số phiếu bầu của các ứng cử viên\n\n"
        "Nguyễn Văn An\n"
        "12.345\n"
        "Trần Thị Bình\n"
        "10.200\n"
        "Lê Văn Cường\n"
        "9.870\n"
    )
    from orchestration.extraction.structure import Table, parse

    assert not any(isinstance(b, Table) for b in parse(text).blocks)
