"""Vietnamese provinces and their ISO 3166-2 codes, for the ``geo_code`` of observations.

The names are the 63 provinces and centrally-run cities of ISO 3166-2:VN. Documents
about a province other than the default are detected by counting name mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .lexicon import fold

DEFAULT_GEO = "VN-09"  # Lạng Sơn, the client's first province

PROVINCES: dict[str, str] = {
    "VN-01": "Lai Châu",
    "VN-02": "Lào Cai",
    "VN-03": "Hà Giang",
    "VN-04": "Cao Bằng",
    "VN-05": "Sơn La",
    "VN-06": "Yên Bái",
    "VN-07": "Tuyên Quang",
    "VN-09": "Lạng Sơn",
    "VN-13": "Quảng Ninh",
    "VN-14": "Hòa Bình",
    "VN-18": "Ninh Bình",
    "VN-20": "Thái Bình",
    "VN-21": "Thanh Hóa",
    "VN-22": "Nghệ An",
    "VN-23": "Hà Tĩnh",
    "VN-24": "Quảng Bình",
    "VN-25": "Quảng Trị",
    "VN-26": "Thừa Thiên Huế",
    "VN-27": "Quảng Nam",
    "VN-28": "Kon Tum",
    "VN-29": "Quảng Ngãi",
    "VN-30": "Gia Lai",
    "VN-31": "Bình Định",
    "VN-32": "Phú Yên",
    "VN-33": "Đắk Lắk",
    "VN-34": "Khánh Hòa",
    "VN-35": "Lâm Đồng",
    "VN-36": "Ninh Thuận",
    "VN-37": "Tây Ninh",
    "VN-39": "Đồng Nai",
    "VN-40": "Bình Thuận",
    "VN-41": "Long An",
    "VN-43": "Bà Rịa - Vũng Tàu",
    "VN-44": "An Giang",
    "VN-45": "Đồng Tháp",
    "VN-46": "Tiền Giang",
    "VN-47": "Kiên Giang",
    "VN-49": "Vĩnh Long",
    "VN-50": "Bến Tre",
    "VN-51": "Trà Vinh",
    "VN-52": "Sóc Trăng",
    "VN-53": "Bắc Kạn",
    "VN-54": "Bắc Giang",
    "VN-55": "Bạc Liêu",
    "VN-56": "Bắc Ninh",
    "VN-57": "Bình Dương",
    "VN-58": "Bình Phước",
    "VN-59": "Cà Mau",
    "VN-61": "Hải Dương",
    "VN-63": "Hà Nam",
    "VN-66": "Hưng Yên",
    "VN-67": "Nam Định",
    "VN-68": "Phú Thọ",
    "VN-69": "Thái Nguyên",
    "VN-70": "Vĩnh Phúc",
    "VN-71": "Điện Biên",
    "VN-72": "Đắk Nông",
    "VN-73": "Hậu Giang",
    "VN-CT": "Cần Thơ",
    "VN-DN": "Đà Nẵng",
    "VN-HN": "Hà Nội",
    "VN-HP": "Hải Phòng",
    "VN-SG": "Hồ Chí Minh",
}
_ALIASES = {
    "VN-SG": ["thành phố hồ chí minh", "tp. hồ chí minh", "tp.hcm", "tphcm"],
    "VN-26": ["huế"],
    "VN-33": ["đắc lắc"],
    "VN-43": ["bà rịa vũng tàu"],
}


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for code, name in PROVINCES.items():
        names = [fold(name)] + _ALIASES.get(code, [])
        alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        # "tỉnh X" / "TP X" / plain "X" (not "Hồ Sơn" when looking for "Sơn La")
        out.append((code, re.compile(rf"(?<![\w])(?:{alt})(?![\w])")))
    return out


def provinces_in(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every province name in folded text."""
    found = []
    for code, rx in _patterns():
        found.extend((m.start(), m.end(), code) for m in rx.finditer(folded))
    return sorted(found)


def main_province(text: str) -> str:
    """The province a document is about: the most mentioned one (default Lạng Sơn)."""
    counts = Counter(code for _, _, code in provinces_in(fold(text)))
    if not counts:
        return DEFAULT_GEO
    code, n = counts.most_common(1)[0]
    return code if n >= 2 or len(counts) == 1 else DEFAULT_GEO
