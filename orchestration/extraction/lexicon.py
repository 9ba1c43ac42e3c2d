"""Words that name indicators, measures, statuses and places.

Every pattern is a regular expression over *folded* text (:func:`fold`): lower case,
with the old and new placements of tone marks unified (``hoá``/``hóa``,
``thuỷ``/``thủy``) and spelling variants merged (``tỉ``/``tỷ``, ``ngàn``/``nghìn``).
Folding keeps every character in place, so match offsets are offsets of the original.

Indicator cues are the catalogue's names and ``cues_vi`` plus the usual synonyms of
provincial reports. A cue may require a topic word somewhere in the sentence (``doanh
thu`` is tourism revenue only where the sentence speaks of tourists).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_TONE_MOVES = {
    # old-style (mark on the second vowel) -> new style (mark on the first vowel)
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oé": "óe",
    "oè": "òe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("(" + "|".join(_TONE_MOVES) + r")(?![a-zà-ỹđ])")


def fold(text: str) -> str:
    """Lower-case ``text`` and unify spelling variants without moving any character
    (the result always has the length of ``text``)."""
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    low = _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(1)], low)
    return re.sub(r"\btỉ\b", "tỷ", low)


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    unit: str
    name_en: str
    name_vi: str

    @property
    def is_rate(self) -> bool:
        """The indicator is itself a percentage (its own value is a ``level`` in %)."""
        return self.unit == "PCT"


@cache
def catalogue() -> dict[str, Indicator]:
    """The indicator catalogue shipped with the package (``data/indicators.csv``)."""
    path = resources.files(__package__).joinpath("data/indicators.csv")
    with path.open(encoding="utf-8") as fh:
        return {
            r["code"]: Indicator(r["code"], r["category"], r["unit"], r["name_en"], r["name_vi"])
            for r in csv.DictReader(fh)
        }


@dataclass(frozen=True)
class Cue:
    code: str
    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None = None  # topic that must appear in the sentence
    excludes: re.Pattern[str] | None = None  # topic that must not appear in the sentence


def _c(code: str, pattern: str, requires: str | None = None, excludes: str | None = None) -> Cue:
    return Cue(
        code,
        re.compile(pattern),
        re.compile(requires) if requires else None,
        re.compile(excludes) if excludes else None,
    )


# taking part in an insurance scheme
COVERED = r"tham\s+gia|bao\s+phủ|có\s+thẻ|được\s+cấp\s+thẻ|được\s+hưởng"
# words that narrow an indicator to a part of it ("khách quốc tế" is not all tourists)
SUBSET = r"quốc\s+tế|nội\s+địa|trong\s+nước|nước\s+ngoài|ngoại\s+tỉnh"
SUBSET_RE = re.compile(rf"(?<!\w)(?:{SUBSET})(?!\w)")
W = r"(?:\s+|\s*[,-]\s*|\s+và\s+)"  # separators inside sector names
AGRI = (
    rf"nông{W}lâm(?:{W}nghiệp)?(?:{W}(?:và\s+)?(?:thủy|ngư)\s*(?:sản|nghiệp))?|nông{W}lâm{W}ngư"
    rf"(?:\s+nghiệp)?|nông\s+nghiệp"
)
INDU = r"công\s+nghiệp\s*(?:[-–—,]|và)\s*xây\s+dựng"
SERV = r"(?:khu\s+vực\s+|ngành\s+)?dịch\s+vụ"
TAX = r"thuế\s+sản\s+phẩm(?:\s+trừ\s+trợ\s+cấp(?:\s+sản\s+phẩm)?)?"
LABOUR = r"lao\s+động"

CUES: list[Cue] = [
    # --- economy -----------------------------------------------------------------------
    _c("grdp_per_capita_usd", r"tương\s+đương(?:\s+khoảng)?(?=\s+[\d.,]+\s*(?:usd|đô))"),
    _c(
        "grdp_per_capita",
        r"(?:grdp|tổng\s+sản\s+phẩm(?:\s+trên\s+địa\s+bàn)?(?:\s+\(grdp\))?)"
        r"\s+bình\s+quân\s+(?:đầu\s+người|trên\s+đầu\s+người)",
    ),
    _c(
        "grdp",
        r"tổng\s+sản\s+phẩm\s+(?:trên\s+địa\s+bàn|nội\s+tỉnh|trong\s+tỉnh)(?:\s+tỉnh)?"
        r"(?:\s*\(grdp\))?|\bgrdp\b|quy\s+mô\s+(?:nền\s+)?kinh\s+tế|"
        r"(?:tốc\s+độ\s+)?tăng\s+trưởng\s+kinh\s+tế|tốc\s+độ\s+tăng\s+trưởng(?!\s+bình\s+quân\s+"
        r"(?:huy\s+động|dư\s+nợ))|tốc\s+độ\s+tăng(?=\s+(?:tổng\s+sản|grdp|bình\s+quân))|"
        r"mục\s+tiêu\s+tăng\s+trưởng|mức\s+tăng\s+trưởng\s+chung|"
        # "Kinh tế quý I/2025 tăng trưởng 10,02%", "kinh tế của tỉnh tăng trưởng 8%"
        r"(?<![\w-]\s)(?<!\w)(?:nền\s+)?kinh\s+tế(?=\s+(?:(?:của\s+)?(?:toàn\s+)?tỉnh"
        r"[^.;,:()]{0,20}?\s+|(?:quý|qúy|năm|tháng|\d+\s+tháng)[^.;,:()]{0,20}?\s+)?"
        r"tăng\s+trưởng)",
    ),
    _c("grdp_agriculture", rf"(?:khu\s+vực\s+|ngành\s+)?(?:{AGRI})", excludes=LABOUR),
    _c("grdp_industry_construction", rf"(?:khu\s+vực\s+|ngành\s+)?(?:{INDU})", excludes=LABOUR),
    _c(
        "grdp_services",
        r"(?:khu\s+vực\s+|ngành\s+)dịch\s+vụ|^dịch\s+vụ|(?<=[,;:]\s)dịch\s+vụ"
        r"(?=\s+(?:tăng|giảm|chiếm|đạt|[\d]))",
        excludes=LABOUR,
    ),
    _c("grdp_product_taxes", TAX, excludes=LABOUR),
    _c("digital_economy_share", r"(?:tỷ\s+trọng\s+)?kinh\s+tế\s+số"),
    _c("labour_productivity", r"năng\s+suất\s+lao\s+động"),
    # --- industry ----------------------------------------------------------------------
    _c("iip", r"chỉ\s+số\s+sản\s+xuất\s+(?:toàn\s+ngành\s+)?công\s+nghiệp|\biip\b"),
    _c("iip_mining", r"(?:ngành\s+)?khai\s+khoáng"),
    _c("iip_manufacturing", r"(?:ngành\s+)?(?:công\s+nghiệp\s+)?chế\s+biến\s*,?\s*chế\s+tạo"),
    _c("iip_electricity", r"(?:ngành\s+)?sản\s+xuất\s+và\s+phân\s+phối\s+điện"),
    _c(
        "iip_water_waste",
        r"(?:ngành\s+)?cung\s+cấp\s+nước(?:\s*,\s*(?:hoạt\s+động\s+quản\s+lý\s+và\s+)?"
        r"xử\s+lý\s+rác\s+thải,?\s*nước\s+thải)?",
    ),
    _c("cpi", r"chỉ\s+số\s+giá\s+tiêu\s+dùng(?:\s*\(cpi\))?|\bcpi\b"),
    # --- trade and services --------------------------------------------------------------
    _c(
        "retail_sales",
        r"tổng\s+mức\s+bán\s+lẻ(?:\s+hàng\s+hóa)?(?:\s+và\s+(?:doanh\s+thu\s+)?dịch\s+vụ"
        r"(?:\s+tiêu\s+dùng)?)?|bán\s+lẻ\s+hàng\s+hóa\s+và\s+doanh\s+thu\s+dịch\s+vụ",
    ),
    _c(
        "accommodation_food_revenue",
        r"(?:doanh\s+thu\s+)?(?:dịch\s+vụ\s+)?lưu\s+trú\s*,?\s*(?:và\s+)?"
        r"ăn\s+uống",
    ),
    _c(
        "transport_revenue",
        r"(?:tổng\s+)?doanh\s+thu\s+(?:hoạt\s+động\s+)?vận\s+tải\s*,\s*kho\s+bãi"
        r"(?:\s+và\s+dịch\s+vụ\s+hỗ\s+trợ\s+vận\s+tải)?|tổng\s+doanh\s+thu\s+vận\s+tải",
    ),
    _c("transport_passenger_revenue", r"(?:doanh\s+thu\s+)?vận\s+tải\s+hành\s+khách"),
    _c("transport_freight_revenue", r"(?:doanh\s+thu\s+)?vận\s+tải\s+hàng\s+hóa"),
    _c(
        "warehousing_revenue",
        r"(?:doanh\s+thu\s+(?:hoạt\s+động\s+)?)?kho\s+bãi\s+và\s+dịch\s+vụ\s+hỗ\s+trợ"
        r"\s+vận\s+tải",
    ),
    _c(
        "postal_revenue",
        r"(?:doanh\s+thu\s+(?:hoạt\s+động\s+)?)?bưu\s+chính(?:\s*,?\s*chuyển\s+phát)?",
    ),
    _c("telecom_revenue", r"(?:doanh\s+thu\s+)?viễn\s+thông"),
    _c("passenger_traffic", r"(?:lượng\s+)?luân\s+chuyển\s+hành\s+khách"),
    _c("freight_traffic", r"(?:lượng\s+)?luân\s+chuyển\s+hàng\s+hóa"),
    # --- external trade ---------------------------------------------------------------------
    _c(
        "trade_turnover_declared",
        r"(?:kim\s+ngạch\s+)?(?:hàng\s+hóa\s+|xuất\s+nhập\s+khẩu\s+)?mở\s+tờ\s+khai",
    ),
    _c(
        "local_export",
        r"(?:kim\s+ngạch\s+)?(?:xuất\s+khẩu\s+)?hàng(?:\s+hóa)?\s+(?:của\s+)?địa\s+phương"
        r"(?:\s+xuất\s+khẩu)?|xuất\s+khẩu\s+hàng(?:\s+hóa)?\s+địa\s+phương",
    ),
    _c(
        "trade_turnover",
        r"(?:tổng\s+)?kim\s+ngạch(?:\s+hàng\s+hóa)?\s+xuất\s*,?\s*nhập\s+khẩu|"
        r"(?:tổng\s+)?kim\s+ngạch\s+xnk|(?:tổng\s+)?giá\s+trị\s+xuất\s+nhập\s+khẩu|"
        r"(?<!thu\s)(?<!từ\s)hoạt\s+động\s+xuất\s+nhập\s+khẩu(?=\s+(?:qua|đạt|ước))",
    ),
    _c(
        "export_turnover",
        r"(?:kim\s+ngạch\s+)?(?:hàng\s+hóa\s+)?xuất\s+khẩu(?!\s+hàng(?:\s+hóa)?\s+địa)"
        r"(?!\s+trung\s+bình)(?!\s+chủ\s+lực)",
    ),
    _c("import_turnover", r"(?:kim\s+ngạch\s+)?(?:hàng\s+hóa\s+)?nhập\s+khẩu(?!\s+trung\s+bình)"),
    _c(
        "border_vehicles_per_day",
        r"lượt\s+xe\s+thông\s+quan|hiệu\s+suất\s+thông\s+quan|xe\s+thông\s+quan",
    ),
    # --- tourism ------------------------------------------------------------------------------
    _c(
        "tourists_international",
        r"(?:(?:lượng|lượt)\s+)?khách(?:\s+du\s+lịch)?\s+(?:quốc\s+tế|nước\s+ngoài)",
    ),
    _c(
        "tourists",
        r"(?:(?:tổng\s+)?(?:lượng|lượt)\s+khách(?:\s+du\s+lịch)?|khách\s+du\s+lịch|du\s+khách)"
        rf"(?!\s+(?:{SUBSET}))",
    ),
    _c(
        "tourism_revenue",
        r"(?:tổng\s+)?doanh\s+thu\s+(?:từ\s+)?(?:hoạt\s+động\s+)?du\s+lịch|"
        r"tổng\s+thu\s+từ\s+(?:khách\s+)?du\s+lịch",
    ),
    _c(
        "tourism_revenue",
        r"doanh\s+thu(?!\s+(?:vận|kho|bưu|viễn|dịch\s+vụ\s+(?:tiêu|lưu)|bán))",
        requires=r"du\s+lịch|lượt\s+khách|du\s+khách",
    ),
    _c("tourism_share_grdp", r"(?:tỷ\s+lệ\s+)?đóng\s+góp\s+của\s+(?:ngành\s+)?du\s+lịch"),
    # --- public finance ---------------------------------------------------------------------
    _c(
        "budget_revenue_trade",
        r"thu\s+(?:ngân\s+sách\s+)?(?:từ\s+)?(?:hoạt\s+động\s+)?xuất\s*,?\s*nhập\s+khẩu|"
        r"thu\s+(?:từ\s+)?(?:lĩnh\s+vực\s+)?xnk",
    ),
    _c("budget_revenue_domestic", r"thu\s+nội\s+địa"),
    _c("budget_revenue", r"(?:tổng\s+)?thu\s+ngân\s+sách(?:\s+nhà\s+nước)?|thu\s+nsnn"),
    _c(
        "budget_expenditure", r"(?:tổng\s+)?chi\s+ngân\s+sách(?:\s+địa\s+phương)?|tổng\s+chi\s+nsđp"
    ),
    # --- finance -------------------------------------------------------------------------
    _c(
        "bank_deposits",
        r"(?:tổng\s+)?(?:nguồn\s+)?(?:vốn\s+)?huy\s+động(?:\s+vốn)?"
        r"(?=.{0,40}(?:ngân\s+hàng|tín\s+dụng|hằng\s+năm|đạt))",
    ),
    _c("bank_credit", r"(?:tổng\s+)?dư\s+nợ(?:\s+tín\s+dụng|\s+cho\s+vay)?"),
    _c("bad_debt_ratio", r"(?:tỷ\s+lệ\s+)?nợ\s+xấu"),
    # --- investment -------------------------------------------------------------------------
    _c(
        "social_investment_to_grdp",
        r"(?:tỷ\s+lệ\s+)?vốn\s+đầu\s+tư(?:\s+thực\s+hiện)?(?:\s+trên\s+địa\s+bàn)?"
        r"\s+so\s+với\s+grdp",
    ),
    _c(
        "social_investment",
        # "vốn đầu tư (thực hiện) (trên địa bàn) toàn xã hội", "vốn đầu tư phát triển"
        r"(?:tổng\s+)?vốn\s+đầu\s+tư(?:\s+thực\s+hiện)?(?:\s+trên\s+địa\s+bàn)?"
        r"\s+(?:toàn\s+)?xã\s+hội|"
        r"(?:tổng\s+)?vốn\s+đầu\s+tư\s+phát\s+triển(?:\s+toàn\s+xã\s+hội)?",
    ),
    _c("public_investment_disbursed", r"giải\s+ngân(?:\s+vốn\s+đầu\s+tư\s+công)?"),
    _c(
        "public_investment_allocated",
        r"(?:đã\s+)?phân\s+bổ(?:\s*,\s*giao\s+chi\s+tiết)?|giao\s+chi\s+tiết",
    ),
    _c(
        "public_investment_plan",
        r"(?:kế\s+hoạch\s+)?vốn\s+đầu\s+tư\s+công\b(?=.{0,80}\bgiao\b)|"
        r"kế\s+hoạch\s+vốn(?:\s+đầu\s+tư\s+công)?(?=.{0,30}(?:là|được\s+giao))",
    ),
    _c("fdi_capital", r"vốn\s+đầu\s+tư\s+(?:trực\s+tiếp\s+)?nước\s+ngoài(?=.{0,60}usd)"),
    _c(
        "fdi_projects",
        r"(?:dự\s+án\s+)?(?:có\s+)?(?:sử\s+dụng\s+)?vốn\s+đầu\s+tư\s+(?:trực\s+tiếp\s+)?nước\s+ngoài|"
        r"\bfdi\b",
    ),
    _c(
        "investment_projects",
        r"chủ\s+trương\s+đầu\s+tư|giấy\s+chứng\s+nhận\s+(?:đăng\s+ký\s+)?đầu\s+tư|"
        r"thu\s+hút(?=.{0,25}dự\s+án)",
    ),
    _c("investment_projects_capital", r"(?<=án\s)trị\s+giá|(?<=án\s)với\s+tổng\s+(?:số\s+)?vốn"),
    _c("pci_rank", r"(?:chỉ\s+số\s+)?(?:pci|năng\s+lực\s+cạnh\s+tranh\s+cấp\s+tỉnh)"),
    _c("industrial_zones", r"khu\s+và\s+cụm\s+công\s+nghiệp|khu\s*,\s*cụm\s+công\s+nghiệp"),
    # --- enterprise ------------------------------------------------------------------------
    _c(
        "new_enterprises",
        r"doanh\s+nghiệp\s+(?:thành\s+lập\s+)?mới|(?:đăng\s+ký\s+)?thành\s+lập\s+mới"
        r"(?=.{0,20}doanh\s+nghiệp)|đăng\s+ký\s+thành\s+lập(?!.{0,15}hợp\s+tác)",
    ),
    _c(
        "resumed_enterprises",
        r"(?:doanh\s+nghiệp\s+)?(?:quay\s+trở\s+lại\s+|hoạt\s+động\s+trở\s+lại)",
    ),
    _c("enterprises_total", r"tổng\s+số\s+doanh\s+nghiệp"),
    _c("new_cooperatives", r"thành\s+lập(?:\s+mới)?(?=\s+[\d.]+\s+hợp\s+tác\s+xã)"),
    _c("cooperatives_total", r"hợp\s+tác\s+xã\s+hiện\s+có|tổng\s+số\s+hợp\s+tác\s+xã"),
    # --- agriculture and environment ---------------------------------------------------------
    _c("food_output", r"sản\s+lượng\s+lương\s+thực(?:\s+có\s+hạt)?"),
    _c("forest_cover", r"(?:tỷ\s+lệ\s+)?che\s+phủ\s+rừng"),
    _c(
        "afforestation_area",
        r"(?:diện\s+tích\s+)?trồng\s+(?:mới\s+)?rừng(?:\s+(?:tập\s+trung|mới))?|"
        r"trồng\s+mới(?=\s+[\d.,]+\s*ha\s+rừng)",
    ),
    _c("aquaculture_area", r"(?:diện\s+tích\s+)?nuôi\s+(?:trồng\s+)?thủy\s+sản"),
    _c("livestock_buffalo", r"(?:tổng\s+)?đàn\s+trâu"),
    _c("livestock_cattle", r"(?:tổng\s+)?đàn\s+bò"),
    _c("livestock_pigs", r"(?:tổng\s+)?đàn\s+lợn|(?:tổng\s+)?đàn\s+heo"),
    _c("livestock_poultry", r"(?:tổng\s+)?đàn\s+gia\s+cầm"),
    _c("ocop_products", r"sản\s+phẩm\s+ocop|\bocop\b"),
    _c(
        "new_rural_communes_share",
        r"tỷ\s+lệ\s+xã(?:[\w\s,]{0,40}?)\s+(?:đạt\s+)?chuẩn\s+nông\s+thôn\s+mới",
    ),
    _c(
        "new_rural_communes",
        r"(?:xã\s+)?đạt\s+chuẩn\s+nông\s+thôn\s+mới(?!\s+(?:nâng\s+cao|kiểu\s+mẫu))",
    ),
    _c("rural_hygienic_water_share", r"nước\s+(?:sinh\s+hoạt\s+)?hợp\s+vệ\s+sinh"),
    _c(
        "rural_clean_water_share",
        r"(?:dân\s+số|dân\s+cư|người\s+dân)\s+nông\s+thôn[\w\s,]{0,30}?nước\s+sạch",
    ),
    _c("urban_clean_water_share", r"(?:dân\s+số|dân\s+cư)\s+đô\s+thị[\w\s,]{0,30}?nước\s+sạch"),
    _c("urbanisation_rate", r"(?:tỷ\s+lệ\s+)?đô\s+thị\s+hóa"),
    _c(
        "paved_commune_roads_share",
        r"rải\s+nhựa\s+hoặc\s+bê\s+tông|nhựa\s+hóa\s+hoặc\s+bê\s+tông\s+hóa",
    ),
    _c("hardened_village_roads_share", r"(?:đường\s+[\w\s]{0,40}?)?được\s+cứng\s+hóa|cứng\s+hóa"),
    _c("social_housing_units", r"nhà\s+ở\s+xã\s+hội"),
    # --- society -------------------------------------------------------------------------------
    _c(
        "population",
        r"(?:quy\s+mô\s+)?dân\s+số(?!\s+(?:nông\s+thôn|đô\s+thị))(?=\s+(?:toàn\s+tỉnh\s+)?"
        r"(?:trung\s+bình\s+)?(?:đạt|là|khoảng|ước|có|\d))",
    ),
    _c("life_expectancy", r"tuổi\s+thọ(?:\s+trung\s+bình)?(?:\s+tính\s+từ\s+lúc\s+sinh)?"),
    _c("hdi", r"chỉ\s+số\s+phát\s+triển\s+con\s+người(?:\s*\(hdi\))?|\bhdi\b"),
    _c("employed_workers", r"(?:số\s+)?lao\s+động\s+(?:có|đang\s+làm)\s+việc\s+làm(?!:)"),
    _c("new_jobs", r"giải\s+quyết\s+việc\s+làm(?:\s+mới)?|tạo\s+việc\s+làm\s+mới"),
    _c("labour_share_agriculture", rf"(?:khu\s+vực\s+)?(?:{AGRI})", requires=r"lao\s+động"),
    _c(
        "labour_share_industry_construction",
        rf"(?:khu\s+vực\s+)?(?:{INDU})",
        requires=r"lao\s+động",
    ),
    _c("labour_share_services", r"(?:khu\s+vực\s+)?dịch\s+vụ", requires=r"lao\s+động"),
    _c("certified_labour_share", r"(?:qua\s+đào\s+tạo\s+)?có\s+bằng\s+cấp\s*,?\s*chứng\s+chỉ"),
    _c("trained_labour_share", r"lao\s+động\s+(?:đã\s+)?qua\s+đào\s+tạo(?!\s+có\s+bằng)"),
    _c("unemployment_rate", r"(?:tỷ\s+lệ\s+)?thất\s+nghiệp"),
    # coverage rates: insurance named with taking part in it, not "khám chữa bệnh BHYT"
    _c(
        "social_insurance_coverage",
        rf"(?:{COVERED})\s+(?:[^\W\d_]+\s+){{0,3}}?bảo\s+hiểm\s+xã\s+hội",
    ),
    _c(
        "health_insurance_coverage",
        rf"(?:{COVERED})\s+(?:[^\W\d_]+\s+){{0,3}}?bảo\s+hiểm\s+y\s+tế|"
        r"bảo\s+hiểm\s+y\s+tế\s+toàn\s+dân",
    ),
    _c("doctors_per_10k", r"bác\s+sĩ"),
    _c("hospital_beds_per_10k", r"giường\s+bệnh"),
    _c("commune_health_standard_share", r"(?:bộ\s+)?tiêu\s+chí\s+quốc\s+gia\s+về\s+y\s+tế"),
    _c(
        "national_standard_schools_share",
        r"(?:tỷ\s+lệ\s+)?trường(?:\s+học)?\s+đạt\s+chuẩn\s+quốc\s+gia",
    ),
    _c("poverty_rate", r"(?:tỷ\s+lệ\s+)?hộ\s+nghèo(?!\s+(?:và\s+)?cận)"),
    _c(
        "income_per_capita_monthly",
        r"thu\s+nhập\s+bình\s+quân\s+(?:đầu\s+người\s+)?(?:01|1|một)\s+tháng",
    ),
    _c(
        "income_per_capita",
        r"thu\s+nhập\s+bình\s+quân\s+(?:đầu\s+người|một\s+người)(?!\s+(?:01|1|một)"
        r"\s+tháng)",
    ),
    _c("traffic_accidents", r"tai\s+nạn\s+giao\s+thông"),
    _c(
        "crimes",
        r"(?:số\s+vụ\s+)?(?:tội\s+phạm|phạm\s+tội)(?:\s+về\s+trật\s+tự\s+xã\s+hội)?|"
        r"phạm\s+pháp\s+hình\s+sự",
    ),
    _c("hazardous_waste_treated_share", r"chất\s+thải\s+nguy\s+hại"),
    _c("medical_waste_treated_share", r"chất\s+thải\s+y\s+tế"),
    _c(
        "urban_solid_waste_treated_share",
        r"chất\s+thải\s+rắn\s+sinh\s+hoạt\s+(?:ở\s+|tại\s+)?(?:khu\s+vực\s+)?"
        r"đô\s+thị",
    ),
    _c(
        "rural_solid_waste_treated_share",
        r"chất\s+thải\s+rắn\s+sinh\s+hoạt\s+(?:ở\s+|tại\s+)?(?:khu\s+"
        r"(?:vực|dân\s+cư)\s+)?nông\s+thôn",
    ),
    _c("industrial_wastewater_share", r"xử\s+lý\s+nước\s+thải\s+tập\s+trung"),
    _c("key_targets_met", r"chỉ\s+tiêu(?:\s+chủ\s+yếu)?\s+đạt(?:\s+và\s+vượt)?"),
]

# Generic "capital" words: the capital of the last counted thing (enterprises, projects)
CAPITAL_CUE = re.compile(
    r"(?:với\s+)?tổng\s+(?:số\s+)?vốn(?:\s+đăng\s+ký)?(?:\s+khoảng)?|"
    r"vốn\s+đăng\s+ký|tổng\s+trị\s+giá|trị\s+giá"
)
CAPITAL_OF = {
    "new_enterprises": "new_enterprises_capital",
    "enterprises_total": "enterprises_total_capital",
    "investment_projects": "investment_projects_capital",
    "fdi_projects": "fdi_capital",
}

# Indicators whose value is a stock observed at a point in time
STOCKS = frozenset(
    {
        "enterprises_total",
        "enterprises_total_capital",
        "cooperatives_total",
        "fdi_projects",
        "fdi_capital",
        "industrial_zones",
        "population",
        "new_rural_communes",
        "social_housing_units",
        "bank_deposits",
        "bank_credit",
        "livestock_buffalo",
        "livestock_cattle",
        "livestock_pigs",
        "livestock_poultry",
        "ocop_products",
    }
)
# Amounts fixed by a decision (a plan assigned is a fact, not an estimate)
PLANS = frozenset({"public_investment_plan"})

#: indicators kept in đồng whose dollar figure is its own catalogue code
#: ("GRDP bình quân đầu người đạt 9.200 USD")
USD_VARIANT = {"grdp_per_capita": "grdp_per_capita_usd"}

# counted nouns that pick among the indicators of their unit
COUNT_UNIT_DEFAULTS = {
    "VISIT": "tourists",
    "VEHICLE_PER_DAY": "border_vehicles_per_day",
    "ZONE": "industrial_zones",
    "DWELLING": "social_housing_units",
}

GEO_NATIONAL = re.compile(r"cả\s+nước|toàn\s+quốc|bình\s+quân\s+chung\s+của\s+(?:cả\s+)?nước")
