"""Vietnamese period expressions, period codes, dates and labels."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.extraction.period_grammar import find_periods, term_containing
from orchestration.extraction.periods import Period


def only(text: str, context_year: int | None = None):
    found = find_periods(text, context_year)
    assert len(found) == 1, [(p.text, p.kind) for p in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "code", "start", "end"),
    [
        ("năm 2025", "2025", "2025-01-01", "2025-12-31"),
        ("Quý I/2025", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("quý 3 năm 2024", "2024-Q3", "2024-07-01", "2024-09-30"),
        ("3 tháng đầu năm 2025", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("ba tháng đầu năm 2025", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("6 tháng đầu năm 2025", "2025-S1", "2025-01-01", "2025-06-30"),
        ("6 tháng cuối năm 2024", "2024-S2", "2024-07-01", "2024-12-31"),
        ("9 tháng năm 2025", "2025-01/2025-09", "2025-01-01", "2025-09-30"),
        ("tháng 02/2023", "2023-02", "2023-02-01", "2023-02-28"),
        ("tháng 3 năm 2025", "2025-03", "2025-03-01", "2025-03-31"),
        ("Tính đến ngày 30/11/2025", "2025-01/2025-11", "2025-01-01", "2025-11-30"),
        ("đến hết ngày 14/5/2025", "2025-01-01/2025-05-14", "2025-01-01", "2025-05-14"),
        ("giai đoạn 2021 - 2025", "2021/2025", "2021-01-01", "2025-12-31"),
        ("5 năm 2021-2025", "2021/2025", "2021-01-01", "2025-12-31"),
        ("thời kỳ 2021 - 2030", "2021/2030", "2021-01-01", "2030-12-31"),
    ],
)
def test_explicit_periods(text: str, code: str, start: str, end: str) -> None:
    pm = only(text)
    assert pm.period is not None
    assert (pm.period.code, pm.period.start.isoformat(), pm.period.end.isoformat()) == (
        code, start, end,
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Quý I", "2025-Q1"),
        ("6 tháng đầu năm", "2025-S1"),
        ("sau 11 tháng", "2025-01/2025-11"),
        ("từ đầu năm đến hết tháng 3", "2025-Q1"),
        ("từ ngày 8/2 đến ngày 14/2", "2025-02-08/2025-02-14"),
    ],
)
def test_year_comes_from_context(text: str, code: str) -> None:
    pm = only(text, context_year=2025)
    assert pm.period is not None and pm.period.code == code


def test_year_less_expressions_without_context_are_not_guessed() -> None:
    assert find_periods("Quý I", None) == []


def test_horizons_and_stocks() -> None:
    pm = only("đến năm 2030")
    assert pm.horizon and pm.period == Period.year(2030)
    pm = only("hết năm 2024")
    assert pm.stock and not pm.horizon and pm.period == Period.year(2024)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("so với cùng kỳ năm trước", "same_period_last_year"),
        ("so với năm trước", "previous_year"),
        ("so với giai đoạn trước", "previous_period"),
        ("so với tháng trước", "previous_month"),
        ("trong 3 năm", "n_years"),
        ("cả giai đoạn", "whole_period"),
        ("nhiệm kỳ", "term"),
        ("đến nay", "now"),
    ],
)
def test_relative_expressions(text: str, kind: str) -> None:
    kinds = [pm.kind for pm in find_periods(text, 2025)]
    assert kind in kinds


def test_dates_of_documents_are_not_periods() -> None:
    assert [pm for pm in find_periods("Nghị quyết số 11-NQ/TW, ngày 10/02/2022") if pm.period] == []


def test_term_containing() -> None:
    assert term_containing(2023) == Period.years(2021, 2025)
    assert term_containing(2026) == Period.years(2026, 2030)
    assert term_containing(2025) == Period.years(2021, 2025)


@pytest.mark.parametrize(
    ("period", "code", "grain", "vi", "en"),
    [
        (Period.year(2025), "2025", "year", "Năm 2025", "2025"),
        (Period.quarter(2025, 1), "2025-Q1", "quarter", "Quý I/2025", "Q1 2025"),
        (Period.half(2025, 1), "2025-S1", "half", "6 tháng đầu năm 2025", "H1 2025"),
        (Period.month(2023, 2), "2023-02", "month", "Tháng 2/2023", "February 2023"),
        (Period.months(2025, 1, 11), "2025-01/2025-11", "months", "11 tháng năm 2025",
         "January–November 2025"),
        (Period.years(2021, 2025), "2021/2025", "years", "Giai đoạn 2021 - 2025", "2021–2025"),
        (Period(dt.date(2025, 1, 1), dt.date(2025, 5, 14)), "2025-01-01/2025-05-14", "days",
         "Từ 01/01/2025 đến 14/05/2025", "1 Jan 2025 – 14 May 2025"),
    ],
)
def test_codes_and_labels(period: Period, code: str, grain: str, vi: str, en: str) -> None:
    assert (period.code, period.grain, period.label_vi, period.label_en) == (code, grain, vi, en)
    row = period.to_row()
    assert row["start_date"] == period.start and row["end_date"] == period.end


def test_previous_periods() -> None:
    assert Period.years(2021, 2025).previous() == Period.years(2016, 2020)
    assert Period.quarter(2025, 1).previous() == Period.quarter(2024, 1)
    assert Period.month(2025, 1).shifted_months(-1) == Period.month(2024, 12)


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(dt.date(2025, 2, 1), dt.date(2025, 1, 1))


def test_month_of_the_previous_year_and_dates_without_ngay() -> None:
    pm = only("tháng 12 năm trước", context_year=2025)
    assert pm.period == Period.month(2024, 12)
    pm = only("đến 30/11/2025")
    assert (pm.period.code, pm.to_date) == ("2025-01/2025-11", True)
    # a bare day/month without "ngày" and without a year is not read as a date
    assert [p for p in find_periods("đạt 30/11 chỉ tiêu", 2025) if p.period] == []
