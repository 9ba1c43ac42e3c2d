"""Reading Vietnamese numbers: marks, ranges, fractions, bounds, scale words, units."""

from __future__ import annotations

import pytest

from orchestration.extraction.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("18.063,8", 18063.8),
        ("4.400", 4400),
        ("6,79", 6.79),
        ("1.774.861", 1774861),
        ("138.542,48", 138542.48),
        ("68.58", 68.58),  # English decimal point: a thousands group has three digits
        ("2.18", 2.18),
        ("511", 511),
        ("0,75", 0.75),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


def one(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


def test_percent_and_money_units() -> None:
    q = one("tăng 6,79%")
    assert (q.kind, q.value, q.text) == ("pct", 6.79, "6,79%")
    q = one("đạt 18.063,8 tỷ đồng")
    assert (q.kind, q.unit, q.value * q.scale) == ("money", "VND", pytest.approx(18063.8e9))
    q = one("đạt 86,14 tỷ USD")
    assert (q.unit, q.value * q.scale) == ("USD", pytest.approx(86.14e9))
    q = one("thu nội địa 890.000 triệu đồng")
    assert q.value * q.scale == pytest.approx(890e9)
    q = one("đạt 95,5 nghìn tỷ đồng")
    assert q.value * q.scale == pytest.approx(95.5e12)


def test_spelling_variants_and_glued_units() -> None:
    assert one("đạt 2,5 tỉ đồng").scale == 1e9
    assert one("85,1 ngàn lao động").scale == 1e3
    q = one("đóng góp trên 111tỷ đồng")
    assert (q.kind, q.value, q.qualifier) == ("money", 111, "gt")


def test_counted_nouns() -> None:
    q = one("đón 1,92 triệu lượt khách")
    assert (q.kind, q.unit, q.value * q.scale) == ("count", "VISIT", pytest.approx(1.92e6))
    assert one("có 180 doanh nghiệp mới").unit == "ENTERPRISE"
    assert one("thành lập 150 hợp tác xã").unit == "COOPERATIVE"
    assert one("trồng mới 9.000 ha rừng").unit == "HA"
    assert one("đạt trên 1.650 xe/ngày").unit == "VEHICLE_PER_DAY"
    q = one("có 13,5 bác sĩ trên 1 vạn dân")  # the "1" of "1 vạn dân" is part of the unit
    assert (q.unit, q.value) == ("PER_10K", 13.5)


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("đạt 10 - 11%", "range", 10, 11),
        ("đạt 78-79 triệu đồng", "range", 78, 79),
        ("từ 2.300- 3.300 ha", "range", 2300, 3300),
        ("khoảng 0,7 - 0,75", "range", 0.7, 0.75),
        ("từ 10% trở lên", "gte", None, None),
        ("đạt trên 96%", "gt", None, None),
        ("khoảng trên 4.140 buồng", "gt", None, None),
        ("dưới mức 2%", "lt", None, None),
        ("tối thiểu 5%", "gte", None, None),
        ("tối đa 3%", "lte", None, None),
        ("≥ 5%", "gte", None, None),
        ("khoảng 130 triệu đồng", "approx", None, None),
        ("gần 50%", "approx", None, None),
    ],
)
def test_bounds_and_ranges(text: str, qualifier: str, low, high) -> None:
    q = one(text)
    assert q.qualifier == qualifier
    if qualifier == "range":
        assert (q.low, q.high, q.value) == (low, high, (low + high) / 2)


def test_range_broken_over_lines_is_one_quantity() -> None:
    # a virtual paragraph string joins the lines of "10-\n\n11%" with spaces
    q = one("tăng bình quân hằng năm 10-   11%.")
    assert (q.qualifier, q.low, q.high, q.kind) == ("range", 10, 11, "pct")


def test_fractions() -> None:
    q = one("toàn tỉnh có 106/175 xã")
    assert (q.value, q.denominator, q.unit) == (106, 175, "COMMUNE")
    q = one("phân bổ 4.697/4.915 tỷ đồng")
    assert (q.value, q.denominator, q.kind) == (4697, 4915, "money")


@pytest.mark.parametrize(
    "text",
    [
        "theo Nghị quyết số 01/NQ-CP",
        "kỳ họp thứ 44",
        "khu vực mốc 1119 - 1120",
        "đoạn Km3+700-Km18",
        "Quốc lộ 4B",
        "các dự án như Hồ Sơn 1, Bắc Sơn 2",
        "quy hoạch tỷ lệ 1/2.000",
        "ngày 27/8/2021",
        "lúc 13:25",
        "Cách mạng công nghiệp 4.0",
        "chính quyền 2 cấp",
        "đường tỉnh ĐT. 239",
        "chợ hạng 3",
    ],
)
def test_identifiers_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_rank_after_xep_thu() -> None:
    q = one("xếp thứ 11/34 tỉnh thành")
    assert (q.value, q.denominator) == (11, 34)
