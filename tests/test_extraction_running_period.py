"""The period a clause states runs on to the numbers after it. Sentences are written
for these tests."""

from __future__ import annotations

import datetime as dt

from orchestration.extraction import extract_observations


def _by_mention(text: str, published: str) -> dict[str, object]:
    return {o.mention: o for o in extract_observations(text, published_date=published)}


def test_a_counted_span_of_days_before_the_dates_does_not_stop_the_period():
    obs = _by_mention(
        "Báo cáo tình hình kinh tế tháng 5 năm 2025\n\n"
        "Trong 5 ngày nghỉ lễ 30/4 - 1/5 (từ ngày 30/4 đến hết ngày 4/5/2025), các điểm du "
        "lịch của tỉnh Bình Thuận đón 312 nghìn lượt khách, tăng 14,2% so với cùng kỳ.",
        "2025-05-28",
    )
    visits = obs["312 nghìn lượt khách"]
    assert visits.indicator_code == "tourists"
    assert (visits.period.start, visits.period.end) == (dt.date(2025, 4, 30), dt.date(2025, 5, 4))
    assert visits.status == "actual"
    assert obs["14,2%"].period == visits.period



def test_a_comparison_in_the_clause_before_does_not_make_the_next_period_a_base():
    obs = _by_mention(
        "Chỉ số sản xuất công nghiệp tháng 9/2024 của tỉnh Bắc Ninh tăng 3,2% so với cùng "
        "kỳ; tính chung 9 tháng, chỉ số sản xuất công nghiệp tăng 5,7%.",
        "2024-10-04",
    )
    assert obs["3,2%"].period.code == "2024-09"
    assert obs["5,7%"].period.code == "2024-01/2024-09"


def test_a_percentage_of_a_years_plan_is_of_that_year():
    obs = _by_mention(
        "Đến hết ngày 31/1/2025, thành phố Cần Thơ giải ngân đạt 93,6% kế hoạch vốn đầu tư "
        "công năm 2024.",
        "2025-02-05",
    )
    assert obs["93,6%"].measure == "pct_of_plan"
    assert obs["93,6%"].period.code == "2024"


def test_a_percentage_of_plan_by_the_end_of_a_month_runs_from_january():
    obs = _by_mention(
        "Quý III, tỉnh Long An phấn đấu giải ngân vốn đầu tư công đạt trên 75% kế hoạch "
        "vào cuối tháng 9.",
        "2025-07-10",
    )
    assert obs["75%"].period.code == "2025-01/2025-09"
    assert obs["75%"].status == "target"


def test_a_stock_kept_each_year_of_a_plan_period_keeps_the_period():
    obs = _by_mention(
        "Kết quả thực hiện giai đoạn 2021 - 2025 của tỉnh Cà Mau\n\n"
        "Giai đoạn 2021 - 2025, diện tích nuôi trồng thủy sản hằng năm duy trì trên 280.000 ha.",
        "2025-10-15",
    )
    assert obs["280.000 ha"].indicator_code == "aquaculture_area"
    assert obs["280.000 ha"].period.code == "2021/2025"
