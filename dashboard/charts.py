"""Chart payloads for the JSON endpoints: plain dicts, numbers the server already rounded.

Shares travel as percent strings ("40.00") and money as yuan strings ("128000.00"): the browser
only plots them, it never computes a figure shown to the user.
"""

from __future__ import annotations

from decimal import Decimal

from haidian_contest import rules
from haidian_contest.formatting import percent_number
from haidian_contest.rules.base import limit_percent

from .figures import Overview

HUNDREDTH = Decimal("0.01")
CATEGORY_LABELS = dict(rules.CATEGORIES)


def pct_number(share) -> str:
    return percent_number(Decimal(share or 0))


def pct(share) -> str:
    return pct_number(share) + "%"


def yuan(amount) -> str:
    return str(Decimal(amount or 0).quantize(HUNDREDTH))


def _finding(f: rules.Finding) -> dict:
    return {"clause_label": f.clause_label, "message": f.message, "waivable": f.waivable,
            "waivable_label": "可豁免" if f.waivable else "不可豁免"}


def _summary(label: str, plan: rules.PlanSummary, breach: bool) -> dict:
    return {
        "label": label, "total": plan.total, "traditional": plan.traditional, "innovative": plan.innovative,
        "certifiable": plan.certifiable,
        "traditional_share": pct_number(plan.traditional_share), "traditional_pct": pct(plan.traditional_share),
        "innovative_share": pct_number(plan.innovative_share), "innovative_pct": pct(plan.innovative_share),
        "certifiable_share": pct_number(plan.certifiable_share), "certifiable_pct": pct(plan.certifiable_share),
        "budget": yuan(plan.budget), "subsidy": yuan(plan.subsidy), "breach": breach,
    }


def plan_chart(ov: Overview) -> dict:
    """二（一）1/2 (traditional ≤ 40%, innovative ≥ 60%) and 一（四） (certifiable ≥ 30%), before and after."""
    plan = ov.plan
    bars = [_summary("已立项", plan.before, plan.breach(plan.before))]
    if plan.included:
        bars.append(_summary("含选中的待审议项目", plan.after, plan.breach(plan.after)))
    return {
        "chart": "plan",
        "whole_year": plan.whole_year,
        "limit": pct_number(plan.limit),
        "innovative_floor": pct_number(plan.innovative_floor),
        "certifiable_floor": pct_number(plan.certifiable_floor),
        "limit_label": limit_percent(plan.limit),
        "innovative_floor_label": limit_percent(plan.innovative_floor),
        "certifiable_floor_label": limit_percent(plan.certifiable_floor),
        "included": list(plan.included),
        "before": bars[0],
        "after": bars[-1],
        "bars": bars,
        "on_the_line": plan.on_the_line,
        "findings": [_finding(f) for f in plan.findings],
    }


def subsidy_chart(ov: Overview) -> dict:
    """Each approved trade's subsidy share of its budget against its line (二（一）1 ≤ 40%, 二（一）2 ≥ 60%)."""
    rows = sorted(ov.subsidy_shares(), key=lambda r: (r["trade"].category != "traditional", r["trade"].project,
                                                       r["trade"].pk))
    return {
        "chart": "subsidy",
        "traditional_cap": pct_number(ov.ruleset.traditional_subsidy_cap),
        "innovative_floor": pct_number(ov.ruleset.innovative_subsidy_floor),
        "traditional_cap_label": limit_percent(ov.ruleset.traditional_subsidy_cap),
        "innovative_floor_label": limit_percent(ov.ruleset.innovative_subsidy_floor),
        "trades": [
            {
                "id": r["trade"].pk, "name": r["trade"].name, "project": r["trade"].project,
                "category": r["trade"].category, "category_label": CATEGORY_LABELS.get(r["trade"].category, ""),
                "budget": yuan(r["trade"].budget), "subsidy": yuan(r["trade"].subsidy),
                "share": pct_number(r["share"]) if r["share"] is not None else None,
                "share_pct": pct(r["share"]) if r["share"] is not None else "—",
                "line": pct_number(r["line"]),
                "off_line": bool(r["findings"]),
                "findings": [_finding(f) for f in r["findings"]],
            }
            for r in rows
        ],
    }


def funnel_chart(ov: Overview) -> dict:
    return {"chart": "funnel", "stages": [{"label": label, "count": n} for label, n in ov.funnel()]}


def payments_chart(ov: Overview) -> dict:
    months = ov.payments_by_month()
    return {
        "chart": "payments",
        "months": [
            {"month": m, "tranche_1": yuan(t1), "tranche_2": yuan(t2), "total": yuan(t1 + t2)}
            for m, t1, t2 in months
        ],
        "total": yuan(sum((t1 + t2 for _m, t1, t2 in months), Decimal("0.00"))),
    }


def fields_chart(ov: Overview) -> dict:
    return {
        "chart": "fields",
        "fields": [{"key": key, "label": label, "count": n, "subsidy": yuan(subsidy)}
                   for key, label, n, subsidy in ov.fields()],
    }


CHARTS = {
    "plan": plan_chart,
    "subsidy": subsidy_chart,
    "funnel": funnel_chart,
    "payments": payments_chart,
    "fields": fields_chart,
}
