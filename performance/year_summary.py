"""The year's figures over every approved project of a cycle: counts, 40/60 split (二（一）),
certifiable share (一（四）), budget, subsidy and money paid. Printed as PDF and written as xlsx.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from applications.models import Application, Trade
from haidian_contest import rules
from haidian_contest.rules.base import percent
from haidian_contest.workflow import APPROVED_STATES, STATE_LABELS, State

from .summary import UNION_ROLE_LABELS, money

ZERO = Decimal("0.00")


def year_summary(cycle: int) -> dict:
    from funding.selectors import project_ledgers

    status_counts = Counter(
        Application.objects.filter(cycle=cycle).exclude(status=State.DRAFT).values_list("status", flat=True)
    )
    trades = Trade.objects.select_related("occupation").prefetch_related("budget_lines")
    apps = list(
        Application.objects.filter(cycle=cycle, status__in=APPROVED_STATES)
        .select_related("lead_organization")
        .prefetch_related(Prefetch("trades", queryset=trades))
        .order_by("lead_organization__name", "pk")
    )
    ledgers = {ledger.application.pk: ledger for ledger in project_ledgers(apps)}
    plan_trades, rows = [], []
    for app in apps:
        app_trades = list(app.trades.all())
        budget = sum((t.budget_total for t in app_trades), ZERO)
        approved = sum((t.approved_subsidy if t.approved_subsidy is not None else t.subsidy_requested
                        for t in app_trades), ZERO)
        for t in app_trades:
            subsidy = t.approved_subsidy if t.approved_subsidy is not None else t.subsidy_requested
            plan_trades.append(rules.PlanTrade(t.category, t.certifiable, t.budget_total, subsidy))
        ledger = ledgers[app.pk]
        rows.append({
            "title": app.title,
            "organization": app.lead_organization.name,
            "status": app.status_label,
            "union_role": UNION_ROLE_LABELS.get(app.union_role, ""),
            "trades": len(app_trades),
            "traditional": sum(1 for t in app_trades if t.category == "traditional"),
            "innovative": sum(1 for t in app_trades if t.category == "innovative"),
            "certifiable": sum(1 for t in app_trades if t.certifiable),
            "budget": money(budget),
            "subsidy": money(approved),
            "paid": money(ledger.paid),
            "_budget": budget, "_subsidy": approved, "_paid": ledger.paid,
        })
    plan = rules.evaluate_plan(plan_trades, ruleset=rules.ruleset_for(date(cycle, 12, 31)))
    paid = sum((r.pop("_paid") for r in rows), ZERO)
    for r in rows:
        r.pop("_budget"), r.pop("_subsidy")
    return {
        "cycle": cycle,
        "status_counts": [{"status": STATE_LABELS[State(s)], "count": status_counts[s]}
                          for s in State if status_counts.get(s)],
        "submitted": sum(status_counts.values()),
        "approved": len(apps),
        "trades": plan.total,
        "traditional": plan.traditional,
        "innovative": plan.innovative,
        "traditional_share": percent(plan.traditional_share),
        "innovative_share": percent(plan.innovative_share),
        "certifiable": plan.certifiable,
        "certifiable_share": percent(plan.certifiable_share),
        "budget": money(plan.budget),
        "subsidy": money(plan.subsidy),
        "paid": money(paid),
        "findings": [{"clause": f.clause_label, "message": f.message, "waivable": f.waivable} for f in plan.findings],
        "projects": rows,
    }
