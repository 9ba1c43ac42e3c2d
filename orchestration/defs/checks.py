"""Asset checks on the landing data (dbt tests become checks of their own via dagster-dbt).

Every check reads the *published* warehouse through a read-only connection that it
closes before returning.
"""

import re
from collections import defaultdict

import dagster as dg

from orchestration.defs.assets_ingest import observations, raw_documents
from orchestration.defs.formatting import markdown_table
from orchestration.defs.resources import WarehouseResource, fetch_dicts, table_exists

#: Plausible range of a growth rate in percent (a fall cannot exceed 100 %).
GROWTH_MEASURES = ("yoy_pct", "change_pct", "avg_annual_growth_pct")
GROWTH_MIN, GROWTH_MAX = -100.0, 1000.0
#: GRDP components whose shares must add up to 100 %.
GRDP_COMPONENTS = (
    "grdp_agriculture", "grdp_industry_construction", "grdp_services", "grdp_product_taxes",
)
SHARE_TOLERANCE_PP = 1.5
#: How many offending rows a check lists in its metadata.
SHOWN = 50
_DIGIT = re.compile(r"\d")


def _missing(what: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True, metadata={"note": f"{what} not built yet"})


@dg.asset_check(
    asset=raw_documents,
    name="no_quarantined_files",
    description="No raw file was quarantined (lists every quarantined file with the reason).",
)
def no_quarantined_files(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read_only() as con:
        if not table_exists(con, "landing", "quarantined_files"):
            return _missing("landing.quarantined_files")
        rows = con.execute(
            "select source_id, reason from landing.quarantined_files order by source_id"
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "quarantined_count": len(rows),
            "quarantined_files": dg.MetadataValue.md(markdown_table(["file", "reason"], rows)),
        },
    )


@dg.asset_check(
    asset=observations,
    name="spans_index_numbers",
    description=(
        "Every observation's span slices `source_documents.text` to text containing a digit, "
        "equal to the observation's `mention`."
    ),
)
def spans_index_numbers(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read_only() as con:
        if not table_exists(con, "landing", "observations"):
            return _missing("landing.observations")
        rows = fetch_dicts(
            con,
            "select observation_id, source_id, span_start, span_end, mention "
            "from landing.observations order by source_id, span_start",
        )
        texts = dict(con.execute(
            "select source_id, text from landing.source_documents where source_id in "
            "(select distinct source_id from landing.observations)"
        ).fetchall())
    bad = []
    for r in rows:
        text = texts.get(r["source_id"])
        if text is None:
            bad.append((r["observation_id"], r["source_id"], r["span_start"], r["span_end"],
                        r["mention"], "", "document not in source_documents"))
            continue
        piece = text[r["span_start"]:r["span_end"]]
        problem = None
        if not (0 <= r["span_start"] < r["span_end"] <= len(text)):
            problem = "span outside the text"
        elif not _DIGIT.search(piece):
            problem = "no digit in the span"
        elif piece != r["mention"]:
            problem = "span text differs from mention"
        if problem:
            bad.append((r["observation_id"], r["source_id"], r["span_start"], r["span_end"],
                        r["mention"], piece, problem))
    return dg.AssetCheckResult(
        passed=not bad,
        metadata={
            "observations_checked": len(rows),
            "bad_spans": len(bad),
            "examples": dg.MetadataValue.md(markdown_table(
                ["observation_id", "source_id", "start", "end", "mention", "text at span",
                 "problem"], bad[:SHOWN])),
        },
    )


@dg.asset_check(
    asset=observations,
    name="growth_rates_plausible",
    description=(
        f"Growth rates ({', '.join(GROWTH_MEASURES)}) lie within "
        f"{GROWTH_MIN:g}..{GROWTH_MAX:g} %."
    ),
)
def growth_rates_plausible(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read_only() as con:
        if not table_exists(con, "landing", "observations"):
            return _missing("landing.observations")
        measures = ", ".join(f"'{m}'" for m in GROWTH_MEASURES)
        checked = con.execute(
            f"select count(*) from landing.observations where measure in ({measures})"
        ).fetchone()[0]
        bad = con.execute(
            f"""
            select observation_id, source_id, indicator_code, measure, value, mention
            from landing.observations
            where measure in ({measures})
              and (value < ? or value > ? or value_low < ? or value_high > ?)
            order by source_id, span_start
            """,
            [GROWTH_MIN, GROWTH_MAX, GROWTH_MIN, GROWTH_MAX],
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not bad,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "growth_observations": checked,
            "implausible": len(bad),
            "examples": dg.MetadataValue.md(markdown_table(
                ["observation_id", "source_id", "indicator", "measure", "value", "mention"],
                bad[:SHOWN])),
        },
    )


@dg.asset_check(
    asset=observations,
    name="grdp_shares_sum_to_100",
    description=(
        "Where a document gives the GRDP share (`share_pct`) of all four components "
        f"({', '.join(GRDP_COMPONENTS)}) for one place, period and status, they add up to "
        f"100 ± {SHARE_TOLERANCE_PP:g} %."
    ),
)
def grdp_shares_sum_to_100(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read_only() as con:
        if not table_exists(con, "landing", "observations"):
            return _missing("landing.observations")
        codes = ", ".join(f"'{c}'" for c in GRDP_COMPONENTS)
        rows = con.execute(
            f"""
            select source_id, geo_code, period_code, status, indicator_code, avg(value)
            from landing.observations
            where measure = 'share_pct' and indicator_code in ({codes}) and value is not null
            group by all
            """
        ).fetchall()
    groups: dict[tuple, dict[str, float]] = defaultdict(dict)
    for source_id, geo, period, status, code, value in rows:
        groups[(source_id, geo, period, status)][code] = value
    complete = {k: v for k, v in groups.items() if len(v) == len(GRDP_COMPONENTS)}
    bad = sorted(
        (*key, round(sum(shares.values()), 2))
        for key, shares in complete.items()
        if abs(sum(shares.values()) - 100.0) > SHARE_TOLERANCE_PP
    )
    return dg.AssetCheckResult(
        passed=not bad,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "complete_groups": len(complete),
            "groups_off_100": len(bad),
            "examples": dg.MetadataValue.md(markdown_table(
                ["source_id", "geo", "period", "status", "sum of shares"], bad[:SHOWN])),
        },
    )


@dg.asset_check(
    asset=observations,
    name="periods_defined",
    description="Every period and base period of an observation has its row in landing.periods.",
)
def periods_defined(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read_only() as con:
        if not table_exists(con, "landing", "observations"):
            return _missing("landing.observations")
        if not table_exists(con, "landing", "periods"):
            return dg.AssetCheckResult(passed=False, metadata={"note": "no landing.periods"})
        missing = con.execute(
            """
            select code, count(*) from (
                select period_code as code from landing.observations
                union all
                select base_period_code from landing.observations
                where base_period_code is not null
            ) used
            where code not in (select period_code from landing.periods)
            group by code order by code
            """
        ).fetchall()
        periods = con.execute("select count(*) from landing.periods").fetchone()[0]
    return dg.AssetCheckResult(
        passed=not missing,
        metadata={
            "periods": periods,
            "undefined_codes": len(missing),
            "examples": dg.MetadataValue.md(
                markdown_table(["period_code", "uses"], missing[:SHOWN])
            ),
        },
    )


ASSET_CHECKS = [
    no_quarantined_files,
    spans_index_numbers,
    growth_rates_plausible,
    grdp_shares_sum_to_100,
    periods_defined,
]
