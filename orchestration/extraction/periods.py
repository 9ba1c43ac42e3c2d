"""Reference periods: canonical codes, dates and labels.

A :class:`Period` is a closed date interval. Its code follows the SDMX/ISO forms of the
observation contract and is derived from the dates alone, so the same interval always
gets the same code whichever words named it:

========================  ==========================  =========
interval                  code                        grain
========================  ==========================  =========
1 Jan – 31 Dec 2025       ``2025``                    year
1 Jan – 31 Mar 2025       ``2025-Q1``                 quarter
1 Jan – 30 Jun 2025       ``2025-S1``                 half
1 – 31 Mar 2025           ``2025-03``                 month
1 Jan – 30 Nov 2025       ``2025-01/2025-11``         months
1 Jan – 14 May 2025       ``2025-01-01/2025-05-14``   days
1 Jan 2021 – 31 Dec 2025  ``2021/2025``               years
========================  ==========================  =========
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS_EN = [calendar.month_name[m] for m in range(13)]


def month_end(year: int, month: int) -> dt.date:
    """Last day of ``month`` in ``year``."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    """A closed interval of dates with its canonical code and labels."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} > {self.end}")

    # -- constructors ------------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        return cls(dt.date(first, 1, 1), dt.date(last, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(dt.date(year, first, 1), month_end(year, first + 2))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls.months(year, 1, 6) if half == 1 else cls.months(year, 7, 12)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls.months(year, month, month)

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        return cls(dt.date(year, first, 1), month_end(year, last))

    @classmethod
    def year_to_date(cls, day: dt.date) -> Period:
        """From 1 January of ``day``'s year to ``day`` (flows "tính đến ngày ...")."""
        return cls(dt.date(day.year, 1, 1), day)

    # -- properties ----------------------------------------------------------------------
    @property
    def grain(self) -> str:
        s, e = self.start, self.end
        starts_month = s.day == 1
        ends_month = e == month_end(e.year, e.month)
        if not (starts_month and ends_month):
            return "days"
        if s.year != e.year:
            return "years" if (s.month, e.month) == (1, 12) else "days"
        if (s.month, e.month) == (1, 12):
            return "year"
        if s.month == e.month:
            return "month"
        if s.month % 3 == 1 and e.month == s.month + 2:
            return "quarter"
        if (s.month, e.month) in ((1, 6), (7, 12)):
            return "half"
        return "months"

    @property
    def code(self) -> str:
        s, e, grain = self.start, self.end, self.grain
        if grain == "year":
            return f"{s.year}"
        if grain == "years":
            return f"{s.year}/{e.year}"
        if grain == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if grain == "half":
            return f"{s.year}-S{1 if s.month == 1 else 2}"
        if grain == "month":
            return f"{s.year}-{s.month:02d}"
        if grain == "months":
            return f"{s.year}-{s.month:02d}/{e.year}-{e.month:02d}"
        return f"{s.isoformat()}/{e.isoformat()}"

    @property
    def n_years(self) -> int:
        """Number of calendar years the period touches."""
        return self.end.year - self.start.year + 1

    @property
    def label_vi(self) -> str:
        s, e, grain = self.start, self.end, self.grain
        if grain == "year":
            return f"Năm {s.year}"
        if grain == "years":
            return f"Giai đoạn {s.year} - {e.year}"
        if grain == "quarter":
            return f"Quý {ROMAN[(s.month - 1) // 3 + 1]}/{s.year}"
        if grain == "half":
            return f"6 tháng {'đầu' if s.month == 1 else 'cuối'} năm {s.year}"
        if grain == "month":
            return f"Tháng {s.month}/{s.year}"
        if grain == "months":
            if s.month == 1:
                return f"{e.month} tháng năm {s.year}"
            return f"Tháng {s.month} - tháng {e.month}/{s.year}"
        return f"Từ {s:%d/%m/%Y} đến {e:%d/%m/%Y}"

    @property
    def label_en(self) -> str:
        s, e, grain = self.start, self.end, self.grain
        if grain == "year":
            return f"{s.year}"
        if grain == "years":
            return f"{s.year}–{e.year}"
        if grain == "quarter":
            return f"Q{(s.month - 1) // 3 + 1} {s.year}"
        if grain == "half":
            return f"H{1 if s.month == 1 else 2} {s.year}"
        if grain == "month":
            return f"{MONTHS_EN[s.month]} {s.year}"
        if grain == "months":
            return f"{MONTHS_EN[s.month]}–{MONTHS_EN[e.month]} {s.year}"
        return (
            f"{s.day} {MONTHS_EN[s.month][:3]} {s.year} – {e.day} {MONTHS_EN[e.month][:3]} {e.year}"
        )

    def previous(self) -> Period:
        """The period of the same length immediately before (base of "giai đoạn trước")."""
        if self.grain == "years":
            n = self.n_years
            return Period.years(self.start.year - n, self.start.year - 1)
        return self.shifted_years(-1)

    def shifted_months(self, months: int) -> Period:
        """The interval of the same number of whole months, ``months`` months later."""

        def shift(d: dt.date, n: int) -> tuple[int, int]:
            k = d.year * 12 + d.month - 1 + n
            return k // 12, k % 12 + 1

        (y1, m1), (y2, m2) = shift(self.start, months), shift(self.end, months)
        return Period(dt.date(y1, m1, 1), month_end(y2, m2))

    def shifted_years(self, years: int) -> Period:
        """The same calendar interval ``years`` years later (earlier when negative)."""
        end = self.end
        try:
            new_end = end.replace(year=end.year + years)
        except ValueError:  # 29 February
            new_end = month_end(end.year + years, 2)
        return Period(self.start.replace(year=self.start.year + years), new_end)

    def to_row(self) -> dict[str, object]:
        """The ``landing.periods`` row of this period."""
        return {
            "period_code": self.code,
            "grain": self.grain,
            "start_date": self.start,
            "end_date": self.end,
            "label_vi": self.label_vi,
            "label_en": self.label_en,
        }

    def __str__(self) -> str:
        return self.code
