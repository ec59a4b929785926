"""Whole-application and whole-plan evaluation: the dataclasses the web apps fill in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from .base import Finding, hard, money
from .choices import INNOVATIVE, RANK_LABELS, TRADITIONAL, require_category
from .dates import TradeDates, check_cycle_dates, check_event_dates, check_start_not_passed, check_trade_dates
from .conditions import (
    check_certifiable_share,
    check_innovative_field,
    check_judges,
    check_lead_organization,
    check_participants,
    check_trade_standard,
)
from .funding import RANK_WORDS, check_category_split, check_prize, check_prize_budget, check_subsidy_share
from .ruleset import RuleSet, resolve, ruleset_for

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class PrizeTier:
    rank: int
    count: int
    amount: Decimal


@dataclass(frozen=True)
class TradeInput:
    name: str
    category: str                 # "traditional" | "innovative"
    certifiable: bool
    planned_participants: int
    judges: int
    budget: Decimal
    subsidy: Decimal
    occupation_code: str = ""     # "" => non-standard trade
    standard_reference: str = ""  # industry standard, required for a non-standard trade (1.2, hard)
    field: str = ""               # required for innovative (2.2, hard); one of INNOVATIVE_FIELDS keys
    prizes: tuple[PrizeTier, ...] = ()
    preliminary_date: date | None = None
    final_date: date | None = None


@dataclass(frozen=True)
class ApplicationInput:
    trades: tuple[TradeInput, ...]
    organization_type: str = ""
    co_applicant_count: int = 0
    missing_plan_sections: tuple[str, ...] = ()  # Chinese labels of empty plan sections
    submitted_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    # The day the start is judged against (2.3b): today for a draft, the submission day after it.
    checked_on: date | None = None
    # The application's year (年度), i.e. the call it answers; None skips the check.
    cycle: int | None = None


@dataclass(frozen=True)
class PlanTrade:
    category: str
    certifiable: bool
    budget: Decimal
    subsidy: Decimal


@dataclass(frozen=True)
class PlanSummary:
    total: int
    traditional: int
    innovative: int
    certifiable: int
    traditional_share: Decimal   # 0..1, 4 places; 0 when total is 0
    innovative_share: Decimal
    certifiable_share: Decimal
    budget: Decimal
    subsidy: Decimal
    findings: tuple[Finding, ...]


def _about(findings: list[Finding], subject: str) -> list[Finding]:
    return [replace(finding, subject=subject) for finding in findings]


def _trade_findings(trade: TradeInput, rs: RuleSet) -> list[Finding]:
    findings = check_trade_standard(trade.occupation_code, trade.standard_reference, ruleset=rs)
    findings += check_innovative_field(trade.category, trade.field, ruleset=rs)
    findings += check_judges(trade.judges, ruleset=rs)
    findings += check_participants(trade.planned_participants, ruleset=rs)
    findings += check_subsidy_share(trade.category, trade.budget, trade.subsidy, ruleset=rs)
    for tier in trade.prizes:
        if isinstance(tier.rank, bool) or tier.rank not in rs.prize_caps:
            raise ValueError(f"prize rank must be one of {sorted(rs.prize_caps)}, got {tier.rank!r}")
        money(tier.amount, "amount")  # a float is a bug even in an empty tier
        if isinstance(tier.count, bool) or not isinstance(tier.count, int):
            raise TypeError(f"prize count must be int, not {type(tier.count).__name__}")
        if tier.count < 0:
            findings.append(hard(
                "2.4c", f"{RANK_WORDS[tier.rank]}_prize_count_negative",
                f"{RANK_LABELS[tier.rank]}获奖人数 {tier.count}，不能为负数",
            ))
        elif tier.count > 0:
            # An empty tier pays nothing, so its amount cannot breach a cap.
            findings += check_prize(trade.category, tier.rank, tier.amount, ruleset=rs)
    paid_out = sum((t.amount * t.count for t in trade.prizes if t.count > 0), Decimal("0.00"))
    if money(trade.budget, "budget") > 0:  # a budget of nothing is already refused by 2.1.*b
        findings += check_prize_budget(paid_out, trade.budget)
    return _about(findings, trade.name)


def evaluate_application(app: ApplicationInput, ruleset: RuleSet | None = None) -> list[Finding]:
    """All application-time findings, in input order (the UI does its own sorting).

    Without an explicit ruleset, the measures in force on the submission date
    apply, so re-evaluating an old application never applies newer measures.
    An empty organization_type skips 1.1: the form requires it, and callers
    that only check trades leave it out.
    """
    if ruleset is None and app.submitted_on is not None:
        ruleset = ruleset_for(app.submitted_on)
    rs = resolve(ruleset)
    findings: list[Finding] = []
    if not app.trades:
        findings.append(hard("3.1a", "no_trades", "至少申报一个职业（工种）"))
    if app.organization_type:
        findings += check_lead_organization(app.organization_type, app.co_applicant_count, ruleset=rs)
    if app.missing_plan_sections:
        findings.append(hard("3.1a", "plan_sections_missing",
                             f"竞赛方案缺少以下内容：{'、'.join(app.missing_plan_sections)}"))
    findings += check_event_dates(app.start_date, app.end_date)
    findings += check_cycle_dates(app.cycle, app.start_date, app.end_date)
    findings += check_start_not_passed(app.start_date, app.checked_on)
    findings += check_trade_dates(
        (TradeDates(t.name, t.preliminary_date, t.final_date) for t in app.trades), app.start_date, app.end_date)
    findings += check_certifiable_share(
        sum(1 for trade in app.trades if trade.certifiable), len(app.trades), ruleset=rs)
    for trade in app.trades:
        findings += _trade_findings(trade, rs)
    return findings


def _share(part: int, total: int) -> Decimal:
    if total == 0:
        return Decimal(0).quantize(SHARE_PLACES)
    return (Decimal(part) / Decimal(total)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def evaluate_plan(trades: Iterable[PlanTrade], ruleset: RuleSet | None = None) -> PlanSummary:
    """The union's plan for the year: mix of categories (2.1.1a/2.1.2a) and totals."""
    rs = resolve(ruleset)
    counts = {TRADITIONAL: 0, INNOVATIVE: 0}
    certifiable = 0
    budget = subsidy = Decimal(0)
    for trade in trades:
        counts[require_category(trade.category)] += 1
        certifiable += bool(trade.certifiable)
        budget += money(trade.budget, "budget")
        subsidy += money(trade.subsidy, "subsidy")
    total = counts[TRADITIONAL] + counts[INNOVATIVE]
    return PlanSummary(
        total=total,
        traditional=counts[TRADITIONAL],
        innovative=counts[INNOVATIVE],
        certifiable=certifiable,
        traditional_share=_share(counts[TRADITIONAL], total),
        innovative_share=_share(counts[INNOVATIVE], total),
        certifiable_share=_share(certifiable, total),
        budget=budget,
        subsidy=subsidy,
        findings=tuple(check_category_split(counts[TRADITIONAL], counts[INNOVATIVE], ruleset=rs)),
    )
