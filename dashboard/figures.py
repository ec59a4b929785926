"""The year's figures, read from the stages' own selectors so they equal the records they summarise.

- The category mix (二（一）1/2) and the certifiable share come from review.selectors.portfolio
  over the whole year; with an organization-type or union-role filter the same rules function
  (rules.evaluate_plan) runs over the filtered trades instead.
- Paid and outstanding come from funding.selectors.year_ledger (net of reversals).
- Actual participants are the current roster rows (rosters).

Each part is computed on first use, so a chart endpoint runs only the queries its chart needs, and
the number of queries does not depend on the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q
from django.utils import timezone

from applications.models import Application, Trade
from funding.selectors import TRANCHE_LABELS, year_ledger
from haidian_contest import rules
from haidian_contest.money import MoneyTotal
from haidian_contest.workflow import APPROVED_STATES, State
from review.selectors import portfolio
from rosters.models import Participant

from .scope import Scope, approved_projects, pending_projects, projects

ZERO = Decimal("0.00")
SHARE_PLACES = Decimal("0.0001")
# Declared trades that are no longer in the running do not count as planned.
DEAD_STATES = (State.REJECTED, State.NOT_APPROVED)
AUDITED_STATES = (State.AUDIT_PASSED, State.CLOSED)


@dataclass(frozen=True)
class TradeRow:
    pk: int
    application_id: int
    project: str
    name: str
    category: str
    field: str
    certifiable: bool
    planned: int
    budget: Decimal
    subsidy: Decimal  # approved if the party group set it, else the amount requested (as portfolio does)

    def plan_trade(self) -> rules.PlanTrade:
        return rules.PlanTrade(self.category, self.certifiable, self.budget, self.subsidy)

    @property
    def share(self) -> Decimal | None:
        if self.budget <= 0:
            return None
        return (self.subsidy / self.budget).quantize(SHARE_PLACES)


def trade_rows(application_ids) -> list[TradeRow]:
    """Trades of the given projects with their budget total, in one query."""
    budget = MoneyTotal("budget_lines__amount")  # exact on SQLite too (haidian_contest/money.py)
    rows = (
        Trade.objects.filter(application_id__in=application_ids)
        .annotate(budget=budget)
        .values("pk", "application_id", "application__title", "occupation__name", "custom_name", "category",
                "field", "certifiable", "planned_participants", "subsidy_requested", "approved_subsidy", "budget")
        .order_by("application__title", "application_id", "position", "pk")
    )
    return [
        TradeRow(
            pk=r["pk"], application_id=r["application_id"], project=r["application__title"],
            name=r["occupation__name"] or r["custom_name"] or "（未命名工种）",
            category=r["category"], field=r["field"], certifiable=r["certifiable"],
            planned=r["planned_participants"] or 0, budget=r["budget"] or ZERO,
            subsidy=(r["approved_subsidy"] if r["approved_subsidy"] is not None else r["subsidy_requested"]) or ZERO,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Plan:
    """The category mix before (approved) and after (plus the pending projects ticked on the page)."""

    before: rules.PlanSummary
    after: rules.PlanSummary
    ruleset: rules.RuleSet
    whole_year: bool  # False: computed over the filtered part of the year only
    included: tuple[int, ...]

    @property
    def limit(self) -> Decimal:
        return self.ruleset.max_traditional_share

    @property
    def innovative_floor(self) -> Decimal:
        return 1 - self.ruleset.max_traditional_share

    @property
    def certifiable_floor(self) -> Decimal:
        return self.ruleset.min_certifiable_share

    @property
    def on_the_line(self) -> bool:
        return self.whole_year and self.after.total > 0 and self.after.traditional_share == self.limit

    @property
    def findings(self) -> tuple[rules.Finding, ...]:
        # 二（一） judges the union's whole year: a part of it (e.g. only 街镇) may well be all traditional.
        return self.after.findings if self.whole_year else ()

    def breach(self, summary: rules.PlanSummary) -> bool:
        return self.whole_year and bool(summary.findings)


class Overview:
    def __init__(self, user, scope: Scope, *, today: date | None = None):
        self.user = user
        self.scope = scope
        self.today = today or timezone.localdate()
        self.ruleset = rules.ruleset_for(self.today)

    # ------------------------------------------------------------------ projects and trades

    @cached_property
    def status_counts(self) -> dict[str, int]:
        rows = projects(self.user, self.scope).order_by().values("status").annotate(n=Count("pk"))
        return {r["status"]: r["n"] for r in rows}

    @property
    def status_rows(self) -> list[tuple[State, int]]:
        return [(state, self.status_counts[state]) for state in State if self.status_counts.get(state)]

    @property
    def submitted(self) -> int:
        return sum(self.status_counts.values())

    @property
    def approved_count(self) -> int:
        return sum(n for status, n in self.status_counts.items() if status in APPROVED_STATES)

    @cached_property
    def trades(self) -> list[TradeRow]:
        """Trades of the approved projects in scope."""
        return trade_rows(approved_projects(self.user, self.scope).values("pk"))

    @cached_property
    def trades_declared(self) -> int:
        live = projects(self.user, self.scope).exclude(status__in=DEAD_STATES)
        return Trade.objects.filter(application__in=live.values("pk")).count()

    @cached_property
    def pending(self) -> list[Application]:
        """Projects the page offers to count in (待集体决策 / 待党组会审议), with their trade mix."""
        apps = list(pending_projects(self.user, self.scope).annotate(
            trade_count=Count("trades", distinct=True),
            traditional_count=Count("trades", filter=Q(trades__category="traditional"), distinct=True),
        ))
        for app in apps:
            app.included = app.pk in self.scope.include
        return apps

    @property
    def included_ids(self) -> tuple[int, ...]:
        # Only ids the page offered: an approved, foreign or unknown id in the URL counts nothing.
        return tuple(app.pk for app in self.pending if app.included)

    @cached_property
    def plan(self) -> Plan:
        included = self.included_ids
        if not self.scope.filtered:
            p = portfolio(self.scope.cycle, [app for app in self.pending if app.included], on=self.today)
            return Plan(p.before, p.after, p.ruleset, True, included)
        before = [t.plan_trade() for t in self.trades]
        extra = [t.plan_trade() for t in trade_rows(included)] if included else []
        return Plan(
            rules.evaluate_plan(before, ruleset=self.ruleset),
            rules.evaluate_plan(before + extra, ruleset=self.ruleset),
            self.ruleset, False, included,
        )

    # ------------------------------------------------------------------ people and money

    @cached_property
    def participants_planned(self) -> int:
        return sum(t.planned for t in self.trades)

    @cached_property
    def participants_actual(self) -> int:
        return Participant.objects.filter(
            application_id__in=approved_projects(self.user, self.scope).values("pk"), is_current=True
        ).count()

    @cached_property
    def ledger(self):
        return year_ledger(self.scope.cycle, projects(self.user, self.scope))

    @property
    def ledger_projects(self):
        return self.ledger.projects

    def tranche_totals(self, number: int):
        return dict(self.ledger.tranche_totals)[TRANCHE_LABELS[number]]

    @property
    def budget(self) -> Decimal:
        return sum((t.budget for t in self.trades), ZERO)

    @property
    def approved_subsidy(self) -> Decimal:
        return sum((t.subsidy for t in self.trades), ZERO)

    @property
    def unsigned_subsidy(self) -> Decimal:
        """Approved subsidy of projects without an agreement yet: owed, but not yet in the ledger."""
        signed = {p.application.pk for p in self.ledger_projects if p.agreement}
        return sum((t.subsidy for t in self.trades if t.application_id not in signed), ZERO)

    def headline(self) -> dict:
        total = self.ledger.total
        return {
            "submitted": self.submitted,
            "approved": self.approved_count,
            "trades_declared": self.trades_declared,
            "trades_approved": len(self.trades),
            "participants_planned": self.participants_planned,
            "participants_actual": self.participants_actual,
            "budget": self.budget,
            "approved_subsidy": self.approved_subsidy,
            "scheduled": total.scheduled,
            "paid_tranche_1": self.tranche_totals(1).paid,
            "paid_tranche_2": self.tranche_totals(2).paid,
            "paid": total.paid,
            "outstanding": total.outstanding,
            "unsigned_subsidy": self.unsigned_subsidy,
            **self.year_budget_figures(),
        }

    def year_budget_figures(self) -> dict:
        """The budget of the year's call (issue 16) against the approved subsidies and the money paid."""
        from applications.models import Call

        budget = Call.objects.filter(cycle=self.scope.cycle).values_list("budget", flat=True).first()
        if budget is None:
            return {"year_budget": None}
        approved, paid = self.approved_subsidy, self.ledger.total.paid
        return {"year_budget": budget, "budget_left": budget - approved,
                "budget_over": approved > budget, "budget_paid_share": (paid / budget) if budget else None}

    # ------------------------------------------------------------------ series for the charts

    def funnel(self) -> list[tuple[str, int]]:
        paid = {1: 0, 2: 0}
        for p in self.ledger_projects:
            for t in p.tranches:
                paid[t.number] += t.is_paid
        audited = sum(n for status, n in self.status_counts.items() if status in AUDITED_STATES)
        return [("已提交", self.submitted), ("已立项", self.approved_count), ("首笔已拨付", paid[1]),
                ("绩效审核通过", audited), ("剩余已拨付", paid[2])]

    def payments_by_month(self) -> list[tuple[str, Decimal, Decimal]]:
        """Net paid per month (reversals count in the month they were booked), tranche 1 and 2."""
        months: dict[str, dict[int, Decimal]] = defaultdict(lambda: {1: ZERO, 2: ZERO})
        for p in self.ledger_projects:
            for t in p.tranches:
                for e in t.entries:
                    months[e.paid_on.strftime("%Y-%m")][t.number] += e.amount
        return [(month, v[1], v[2]) for month, v in sorted(months.items())]

    def fields(self) -> list[tuple[str, str, int, Decimal]]:
        counts = {key: [0, ZERO] for key, _label in rules.INNOVATIVE_FIELDS}
        for t in self.trades:
            if t.category == "innovative" and t.field in counts:
                counts[t.field][0] += 1
                counts[t.field][1] += t.subsidy
        return [(key, label, *counts[key]) for key, label in rules.INNOVATIVE_FIELDS]

    def subsidy_shares(self) -> list[dict]:
        """Each approved trade's subsidy against its budget; the rule (二（一）1/2) says whether it is off."""
        out = []
        for t in self.trades:
            findings = rules.check_subsidy_share(t.category, t.budget, t.subsidy, ruleset=self.ruleset)
            out.append({"trade": t, "share": t.share, "findings": findings,
                        "line": self.ruleset.traditional_subsidy_cap if t.category == "traditional"
                        else self.ruleset.innovative_subsidy_floor})
        return out

