"""The observation record the extractor produces (one row of ``landing.observations``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .periods import Period

MEASURES = (
    "level",
    "yoy_pct",
    "change_pct",
    "change_abs",
    "avg_annual_growth_pct",
    "avg_annual_change_abs",
    "share_pct",
    "pct_of_plan",
    "multiple_of_base",
    "contribution_pp",
    "rank",
)
STATUSES = ("actual", "estimate", "target")
QUALIFIERS = ("eq", "approx", "gt", "gte", "lt", "lte", "range")


@dataclass
class Observation:
    """One number in one document stating one indicator for one place, period and status.

    ``evidence`` records the words and rules behind every field so a wrong value can be
    explained from the warehouse alone.
    """

    span_start: int
    span_end: int
    mention: str
    indicator_code: str | None
    geo_code: str
    period: Period
    base_period: Period | None
    measure: str
    value: float | None
    value_low: float | None
    value_high: float | None
    qualifier: str
    unit: str
    status: str
    quote_start: int
    quote_end: int
    quote: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def observation_id(self, source_id: str, content_sha256: str) -> str:
        """Stable id: same document content, span, indicator and measure → same id."""
        key = "|".join(
            [
                source_id,
                content_sha256,
                str(self.span_start),
                str(self.span_end),
                self.indicator_code or "",
                self.measure,
            ]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def to_row(self, source_id: str, content_sha256: str, extractor_version: str) -> dict[str, Any]:
        """The ``landing.observations`` row of this observation."""
        ev = self.evidence
        return {
            "observation_id": self.observation_id(source_id, content_sha256),
            "source_id": source_id,
            "content_sha256": content_sha256,
            "extractor_version": extractor_version,
            "span_start": self.span_start,
            "span_end": self.span_end,
            "mention": self.mention,
            "indicator_code": self.indicator_code,
            "geo_code": self.geo_code,
            "period_code": self.period.code,
            "base_period_code": self.base_period.code if self.base_period else None,
            "measure": self.measure,
            "value": self.value,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "status": self.status,
            "quote": self.quote,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "indicator_cue": ev.get("indicator_cue"),
            "measure_cue": ev.get("measure_cue"),
            "period_cue": ev.get("period_cue"),
            "status_cue": ev.get("status_cue"),
            "geo_cue": ev.get("geo_cue"),
            "evidence": json.dumps(ev, ensure_ascii=False, sort_keys=True, default=str),
        }
