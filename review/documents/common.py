"""Reads both review documents share: trades with their money, and the performance targets."""

from __future__ import annotations

from decimal import Decimal

from applications.models import Application
from haidian_contest import rules
from haidian_contest.documents import capital_amount, money
from haidian_contest.formatting import percent

CATEGORY_LABELS = dict(rules.CATEGORIES)
FIELD_LABELS = dict(rules.INNOVATIVE_FIELDS)
ZERO = Decimal("0.00")


def performance_targets_rows(application: Application) -> list[dict]:
    """The project's performance targets (绩效目标), one dict per row: {"name", "target", "measure"}:
    the indicator with its two category levels, the target as declared (≥ 200人), and its points."""
    rows = []
    for t in application.performance_targets.all():
        # 预算执行率 is its own level-1 and level-2 category: print a label once.
        categories = "·".join(dict.fromkeys([t.category_1_label, t.category_2_label]))
        name = t.name if t.name.startswith(t.category_2_label) else f"{categories}：{t.name}"
        rows.append({"name": name, "target": t.target_text, "measure": str(t.points)})
    return rows


def trade_rows(application: Application) -> tuple[list[dict], dict]:
    """Each trade with its category, 取证 mark, budget, requested and approved subsidy; and the totals.

    Figures are strings as printed (128,000.00); the approved subsidy also in capitals.
    """
    trades = list(application.trades.select_related("occupation").prefetch_related("budget_lines").order_by("position", "id"))
    rows = []
    budget = requested = approved = ZERO
    any_approved = False
    for t in trades:
        b = t.budget_total
        budget += b
        requested += t.subsidy_requested
        if t.approved_subsidy is not None:
            approved += t.approved_subsidy
            any_approved = True
        rows.append({
            "name": t.name,
            "code": t.code or t.standard_reference,
            "category": CATEGORY_LABELS.get(t.category, t.category),
            "field": FIELD_LABELS.get(t.field, ""),
            "certifiable": "是" if t.certifiable else "否",
            "planned": t.planned_participants,
            "budget": money(b),
            "requested": money(t.subsidy_requested),
            "share": percent(t.subsidy_requested / b) if b else "—",
            "approved": money(t.approved_subsidy) if t.approved_subsidy is not None else "",
            "approved_capital": capital_amount(t.approved_subsidy) if t.approved_subsidy is not None else "",
        })
    totals = {
        "budget": money(budget),
        "requested": money(requested),
        "approved": money(approved) if any_approved else "",
        "approved_capital": capital_amount(approved) if any_approved else "",
        "approved_value": approved if any_approved else None,
    }
    return rows, totals
