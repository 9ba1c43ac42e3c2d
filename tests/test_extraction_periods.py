"""Reference periods: codes, dates and labels (orchestration.extraction.periods) and the
grammar of Vietnamese period expressions (orchestration.extraction.period_grammar)."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.extraction.period_grammar import find_periods, term_containing
from orchestration.extraction.periods import Period
from orchestration.extraction.text import fold


@pytest.mark.parametrize(("period", "code", "grain", "start", "end"), [
    (Period.year(2025), "2025", "year", "2025-01-01", "2025-12-31"),
    (Period.quarter(2024, 3), "2024-Q3", "quarter", "2024-07-01", "2024-09-30"),
    (Period.half(2023, 1), "2023-S1", "half", "2023-01-01", "2023-06-30"),
    (Period.half(2023, 2), "2023-S2", "half", "2023-07-01", "2023-12-31"),
    (Period.month(2024, 2), "2024-02", "month", "2024-02-01", "2024-02-29"),
    (Period.months(2023, 1, 11), "2023-01/2023-11", "months", "2023-01-01", "2023-11-30"),
    (Period.year_to_date(dt.date(2025, 5, 14)), "2025-01-01/2025-05-14", "days", "2025-01-01",
     "2025-05-14"),
    (Period(dt.date(2024, 2, 8), dt.date(2024, 2, 14)), "2024-02-08/2024-02-14", "days",
     "2024-02-08", "2024-02-14"),
    (Period.years(2021, 2025), "2021/2025", "years", "2021-01-01", "2025-12-31"),
])
def test_codes_follow_the_dates(period: Period, code: str, grain: str, start: str,
                                end: str) -> None:
    assert (period.code, period.grain, str(period.start), str(period.end)) == (
        code, grain, start, end)
    assert str(period) == code
    row = period.to_row()
    assert (row["period_code"], row["grain"]) == (code, grain)


def test_the_same_interval_gets_the_same_code_whatever_named_it() -> None:
    assert Period.months(2025, 1, 3) == Period.quarter(2025, 1)
    assert Period.months(2025, 1, 3).code == "2025-Q1"
    assert Period.year_to_date(dt.date(2025, 11, 30)).code == "2025-01/2025-11"
    assert Period.months(2024, 1, 12).code == "2024"


@pytest.mark.parametrize(("period", "vi", "en"), [
    (Period.year(2025), "Năm 2025", "2025"),
    (Period.quarter(2024, 2), "Quý II/2024", "Q2 2024"),
    (Period.half(2023, 2), "6 tháng cuối năm 2023", "H2 2023"),
    (Period.month(2024, 8), "Tháng 8/2024", "August 2024"),
    (Period.months(2023, 1, 9), "9 tháng năm 2023", "January–September 2023"),
    (Period.years(2026, 2030), "Giai đoạn 2026 - 2030", "2026–2030"),
    (Period(dt.date(2025, 4, 30), dt.date(2025, 5, 4)), "Từ 30/04/2025 đến 04/05/2025",
     "30 Apr 2025 – 4 May 2025"),
])
def test_labels(period: Period, vi: str, en: str) -> None:
    assert (period.label_vi, period.label_en) == (vi, en)


def test_shifts_and_previous_periods() -> None:
    assert Period.month(2024, 1).shifted_months(-1).code == "2023-12"
    assert Period.quarter(2024, 1).shifted_months(-3).code == "2023-Q4"
    assert Period.months(2024, 1, 9).shifted_years(-1).code == "2023-01/2023-09"
    assert Period(dt.date(2024, 1, 1), dt.date(2024, 2, 29)).shifted_years(-1).end == dt.date(
        2023, 2, 28)
    assert Period.years(2021, 2025).previous().code == "2016/2020"
    assert Period.year(2024).previous().code == "2023"
    assert Period.years(2021, 2025).n_years == 5


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(dt.date(2024, 5, 1), dt.date(2024, 4, 30))


def test_term_containing_a_year_is_the_five_year_plan() -> None:
    assert [term_containing(y).code for y in (2021, 2023, 2025, 2026, 2030)] == [
        "2021/2025", "2021/2025", "2021/2025", "2026/2030", "2026/2030"]


# ------------------------------------------------------------------------------ grammar


def periods(text: str, year: int | None = None) -> list[tuple]:
    return [(p.text, p.kind, p.period.code if p.period else None)
            for p in find_periods(fold(text), year)]


def codes(text: str, year: int | None = None) -> list[str | None]:
    return [p.period.code if p.period else p.kind for p in find_periods(fold(text), year)]


@pytest.mark.parametrize(("text", "code"), [
    ("năm 2025", "2025"),
    ("Quý I/2025", "2025-Q1"), ("quý 2 năm 2024", "2024-Q2"), ("quý IV-2023", "2023-Q4"),
    ("6 tháng đầu năm 2024", "2024-S1"), ("6 tháng cuối năm 2023", "2023-S2"),
    ("9 tháng năm 2023", "2023-01/2023-09"), ("11 tháng năm 2022", "2022-01/2022-11"),
    ("tháng 02/2023", "2023-02"), ("tháng 7 năm 2024", "2024-07"),
    ("đến cuối tháng 11/2024", "2024-01/2024-11"),
    ("tính đến ngày 30/11/2025", "2025-01/2025-11"),
    ("đến hết ngày 14/5/2025", "2025-01-01/2025-05-14"),
    ("từ ngày 8/2 đến ngày 14/2/2024", "2024-02-08/2024-02-14"),
    ("kỳ nghỉ lễ (từ 30/4 đến 4/5/2025)", "2025-04-30/2025-05-04"),
    ("dịp Quốc khánh (31/8 - 3/9/2024)", "2024-08-31/2024-09-03"),
    ("hết năm 2024", "2024"), ("cuối năm 2025", "2025"), ("đến năm 2030", "2030"),
    ("giai đoạn 2021 - 2025", "2021/2025"), ("5 năm 2021-2025", "2021/2025"),
    ("thời kỳ 2021 - 2030", "2021/2030"), ("kế hoạch 2026-2030", "2026/2030"),
    ("nhiệm kỳ 2020 - 2025", "2020/2025"),
])
def test_explicit_periods(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(("text", "code"), [
    ("quý III", "2024-Q3"), ("ba tháng đầu năm", "2024-Q1"),
    ("từ đầu năm đến hết tháng 3", "2024-Q1"), ("Tính chung 11 tháng", "2024-01/2024-11"),
    ("lũy kế từ đầu năm đến ngày 25/10", "2024-01-01/2024-10-25"),
    ("tháng 12 năm trước", "2023-12"), ("từ 8/2 đến 12/2", "2024-02-08/2024-02-12"),
    ("tháng 5 năm nay", "2024-05"), ("quý II năm nay", "2024-Q2"),
    ("quý IV năm trước", "2023-Q4"), ("quý 4 của năm ngoái", "2023-Q4"),
    ("từ ngày 1 đến hết 20-11", "2024-11-01/2024-11-20"),
    ("từ đầu tháng 3 đến ngày 17/3", "2024-03-01/2024-03-17"),
    ("từ ngày 10 - 14/9", "2024-09-10/2024-09-14"),
    ("Tính đến 23/10", "2024-01-01/2024-10-23"), ("tính tới 5/7", "2024-01-01/2024-07-05"),
])
def test_year_less_periods_take_the_context_year(text: str, code: str) -> None:
    assert codes(text, 2024) == [code]


def test_year_less_periods_are_dropped_without_a_year() -> None:
    assert codes("trong quý III") == []
    assert codes("6 tháng đầu năm") == []


def test_a_year_less_period_takes_the_year_written_after_it() -> None:
    assert codes("tháng 11 và 11 tháng năm 2023", 2025) == ["2023-11", "2023-01/2023-11"]
    # ... but not the year of a comparison base
    assert codes("tháng 8 tăng 2,1% so với tháng 12 năm 2023", 2024) == ["2024-08", "2023-12"]


def test_stocks_horizons_and_flows_to_a_date_are_marked() -> None:
    (stock,) = find_periods(fold("hết năm 2024"))
    (horizon,) = find_periods(fold("đến năm 2030"))
    (flow,) = find_periods(fold("tính đến ngày 30/9/2025"))
    assert (stock.stock, stock.horizon) == (True, False)
    assert (horizon.stock, horizon.horizon) == (False, True)
    assert flow.to_date and not flow.stock


@pytest.mark.parametrize(("text", "kind"), [
    ("so với cùng kỳ", "same_period_last_year"), ("cùng kỳ năm ngoái", "same_period_last_year"),
    ("so với năm trước", "previous_year"), ("so với tháng trước", "previous_month"),
    ("so với quý trước", "previous_quarter"), ("so với giai đoạn trước", "previous_period"),
    ("so với thời điểm đầu năm", "start_of_year"), ("trong nhiệm kỳ", "whole_period"),
    ("cả giai đoạn", "whole_period"), ("đến nay", "now"), ("năm nay", "this_year"),
    ("cuối năm", "this_year"), ("từ đầu năm đến nay", "year_to_now"), ("năm tới", "next_year"),
    ("trong tháng", "this_month"),
])
def test_relative_periods_are_left_to_the_reader(text: str, kind: str) -> None:
    found = find_periods(fold(text))
    assert [(p.kind, p.period) for p in found] == [(kind, None)]


def test_relative_periods_with_their_numbers() -> None:
    (p,) = find_periods(fold("cùng kỳ năm 2021"))
    assert (p.kind, p.year) == ("same_period_of_year", 2021)
    (p,) = find_periods(fold("trong 3 năm qua"))
    assert (p.kind, p.n, p.horizon) == ("n_years", 3, False)
    (p,) = find_periods(fold("trong 5 năm tới"))
    assert (p.kind, p.n, p.horizon) == ("n_years", 5, True)


@pytest.mark.parametrize("text", [
    "Kỳ họp thứ 24 HĐND tỉnh khóa XVIII, nhiệm kỳ 2021 - 2026",
    "Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025 - 2030",
    "dịp lễ 30/4 - 1/5",
])
def test_names_are_not_periods(text: str) -> None:
    found = find_periods(fold(text))
    assert found and all(p.kind == "name" and p.period is None for p in found)


@pytest.mark.parametrize("text", ["ngày 27/8/2023", "sáng 10/12", "tháng 13/2024",
                                  "quý V/2024", "13 tháng đầu năm"])
def test_dates_of_events_and_impossible_periods_give_no_period(text: str) -> None:
    assert [p for p in find_periods(fold(text)) if p.period is not None] == []


def test_a_year_followed_by_a_scale_word_is_a_value_not_a_year() -> None:
    assert codes("thu ngân sách năm 2024 đạt 2024 tỷ đồng") == ["2024"]
    assert periods("năm 2024 đạt 2024 tỷ đồng")[0][0] == "năm 2024"


def test_periods_are_in_text_order_and_do_not_overlap() -> None:
    text = "Quý II/2024 và 6 tháng đầu năm 2024, so với cùng kỳ năm 2023"
    found = find_periods(fold(text))
    assert [p.text for p in found] == ["quý ii/2024", "6 tháng đầu năm 2024", "cùng kỳ năm 2023"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize(("text", "expected"), [
    ("9 tháng (theo giá so sánh 2010) tăng 6,1%", ["9 tháng"]),
    ("năm 2019 theo giá so sánh năm 2010 đạt", ["năm 2019"]),
    ("giá trị theo giá cố định 1994", []),
    ("quý III theo giá so sánh 2010 ước đạt", ["quý iii"]),
])
def test_the_base_year_of_constant_prices_is_no_period(text: str, expected: list[str]) -> None:
    """"giá so sánh 2010" names the prices, not a period: it is not read as a year and does
    not date a period without a year of its own."""
    found = find_periods(fold(text), 2019)
    assert [p.text for p in found] == expected
    assert all(p.period is None or p.period.start.year == 2019 for p in found)


@pytest.mark.parametrize(("text", "code"), [
    ("lũy kế đến hết tháng 9 năm nay", "2024-01/2024-09"),
    ("tính đến cuối tháng 6 năm trước", "2023-S1"),
    ("đến hết tháng 3 của năm ngoái", "2023-Q1"),
])
def test_to_the_end_of_a_month_of_a_relative_year_is_one_period(text, code):
    found = find_periods(fold(text), 2024)
    assert len(found) == 1, found
    assert found[0].period.code == code
