"""二、经费补助标准: category mix (2.1.*a), subsidy share (2.1.*b), tranches (2.3), prize caps (2.4c)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from .base import FEN, GENERAL_NOTE, Finding, hard, limit_percent, money, percent, quantity, waivable, yuan
from .choices import RANK_LABELS, TRADITIONAL, require_category
from .ruleset import RuleSet, resolve

# Stable words for finding codes, so each tier of one trade gets its own key.
RANK_WORDS = {1: "first", 2: "second", 3: "third"}


def check_category_split(traditional: int, innovative: int, *,
                         ruleset: RuleSet | None = None) -> list[Finding]:
    """2.1.1a/2.1.2a over the union's plan for the year.

    With two categories "traditional ≤ 40%" and "innovative ≥ 60%" are the same
    fact, so it is reported once (under 2.1.1a) rather than waived twice.
    """
    rs = resolve(ruleset)
    quantity(traditional, "traditional")
    quantity(innovative, "innovative")
    total = traditional + innovative
    if total == 0 or traditional <= rs.max_traditional_share * total:
        return []
    share = Decimal(traditional) / Decimal(total)
    cap = rs.max_traditional_share
    return [waivable(
        "2.1.1a", "traditional_share_high",
        f"年度计划中传统类工种占比 {percent(share, against=cap)}（{traditional}/{total}），"
        f"超过 {limit_percent(cap)}；"
        f"创新类占比 {percent(1 - share, against=1 - cap)}，低于 {limit_percent(1 - cap)}",
    )]


def check_decision_split(before: tuple[int, int], after: tuple[int, int], *, subject: str = "",
                         ruleset: RuleSet | None = None) -> list[Finding]:
    """2.1.1a/2.1.2a for one decision: does approving it leave the year's plan over the cap?

    ``before``/``after`` are (traditional, innovative) trade counts of the year's approved plan
    without and with the project. A decision that adds no traditional share to a year already over
    the cap (an innovative project, say) does not breach it; one that takes the year over, or
    further over, is a waivable finding the party group accepts with its reason.
    """
    rs = resolve(ruleset)
    found = check_category_split(*after, ruleset=rs)
    if not found:
        return []
    t0, i0 = (quantity(n, "before") for n in before)
    t1, i1 = after
    if check_category_split(t0, i0, ruleset=rs) and t1 * (t0 + i0) <= t0 * (t1 + i1):
        return []
    share = Decimal(t1) / Decimal(t1 + i1)
    was = f"{percent(Decimal(t0) / Decimal(t0 + i0))}（{t0}/{t0 + i0}）" if t0 + i0 else "0 个工种"
    return [waivable(
        "2.1.1a", "decision_traditional_share_high",
        f"批准后年度计划传统类工种占比 {percent(share, against=rs.max_traditional_share)}（{t1}/{t1 + i1}），"
        f"超过 {limit_percent(rs.max_traditional_share)}（批准前 {was}）",
        subject=subject,
    )]


def check_year_budget(subsidy_before: Decimal, subsidy_after: Decimal, budget: Decimal | None, *,
                      subject: str = "") -> list[Finding]:
    """The year's subsidy budget (set in the year's call for applications) against the approved plan.

    A decision (3.2, 立项) that takes the approved subsidies of the year past the budget is a waivable
    finding the party group accepts with its reason; one that adds nothing to a year already over does
    not breach it again. No budget set: nothing to check.
    """
    if budget is None:
        return []
    before, after, budget = money(subsidy_before, "before"), money(subsidy_after, "after"), money(budget, "budget")
    if after <= budget or after <= before:
        return []
    return [waivable(
        "3.2", "year_budget_exceeded",
        f"批准后年度核定补助合计 {yuan(after)}，超过年度补助预算 {yuan(budget)}（超出 {yuan(after - budget)}）",
        subject=subject,
    )]


def check_subsidy_share(category: str, budget: Decimal, subsidy: Decimal, *,
                        ruleset: RuleSet | None = None) -> list[Finding]:
    """2.1.1b cap for traditional trades, 2.1.2b floor for innovative ones, each on the trade's budget."""
    rs = resolve(ruleset)
    clause = "2.1.1b" if require_category(category) == TRADITIONAL else "2.1.2b"
    budget = money(budget, "budget")
    subsidy = money(subsidy, "subsidy")
    # Impossible amounts make the share meaningless, so they stop the check here.
    if budget <= 0:
        return [hard(clause, "budget_not_positive", f"工种总预算 {yuan(budget)}，必须大于 0")]
    if subsidy < 0:
        return [hard(clause, "subsidy_negative", f"申请补助 {yuan(subsidy)}，不能为负数")]
    if subsidy > budget:
        return [hard(clause, "subsidy_exceeds_budget",
                     f"申请补助 {yuan(subsidy)} 超过工种总预算 {yuan(budget)}")]
    share = subsidy / budget

    def stated(limit: Decimal) -> str:
        return f"区总工会补助 {yuan(subsidy)}，占该工种总预算 {yuan(budget)} 的 {percent(share, against=limit)}"

    if clause == "2.1.1b" and subsidy > rs.traditional_subsidy_cap * budget:
        cap = rs.traditional_subsidy_cap
        # The largest whole-fen subsidy within the cap, so "超出" is what must come off.
        over = subsidy - (cap * budget).quantize(FEN, ROUND_DOWN)
        return [waivable(clause, "traditional_subsidy_high",
                         f"传统类工种{stated(cap)}，高于 {limit_percent(cap)}（超出 {yuan(over)}）")]
    if clause == "2.1.2b" and subsidy < rs.innovative_subsidy_floor * budget:
        floor = rs.innovative_subsidy_floor
        short = (floor * budget).quantize(FEN, ROUND_UP) - subsidy
        return [waivable(clause, "innovative_subsidy_low",
                         f"创新类工种{stated(floor)}，低于 {limit_percent(floor)}（差 {yuan(short)}）")]
    return []


def check_approved_above_request(requested: Decimal, approved: Decimal) -> list[Finding]:
    """An approved subsidy above the amount requested needs the party group's own written reason.

    The measures do not cap the subsidy at the request: 二（一） grants it "根据项目类型和竞赛规模", and
    二（一）2 lets highly innovative, exemplary trades get more. But the organizer's plan states the money
    needed and its source (三（一）), so granting more than it asked departs from the plan the review
    judged: a waivable finding of its own (the trade's budget stays a hard ceiling, 2.1.*b).
    """
    requested, approved = money(requested, "requested"), money(approved, "approved")
    if approved <= requested:
        return []
    return [waivable("3.1a", "approved_above_request",
                     f"批准补助 {yuan(approved)} 高于申报表所列申请补助 {yuan(requested)}（高出 {yuan(approved - requested)}），"
                     f"与申报的所需资金及来源不一致", note="（须由党组会写明提高补助的理由）")]


def check_prize_budget(prize_total: Decimal, budget: Decimal) -> list[Finding]:
    """The prize money a trade plans cannot exceed that trade's whole budget.

    三（一） asks for an itemised budget (预算明细) with the plan, and 二（三） pays the subsidy against
    that budget: prizes are one of its lines, so prizes totalling more than the budget make the budget
    untrue. A hard finding: no reason can make the parts exceed the whole (the per-person caps of
    二（四） stay waivable).
    """
    prize_total, budget = money(prize_total, "prize_total"), money(budget, "budget")
    if prize_total <= budget:
        return []
    return [hard("3.1a", "prizes_exceed_budget",
                 f"奖金合计 {yuan(prize_total)} 超过该工种总预算 {yuan(budget)}（超出 {yuan(prize_total - budget)}），"
                 f"预算明细不实")]


def check_prize(category: str, rank: int, amount: Decimal, *,
                ruleset: RuleSet | None = None) -> list[Finding]:
    """2.4c per-person prize caps; both categories are 一般 (in principle)."""
    rs = resolve(ruleset)
    require_category(category)
    if isinstance(rank, bool) or rank not in rs.prize_caps:
        raise ValueError(f"prize rank must be one of {sorted(rs.prize_caps)}, got {rank!r}")
    amount = money(amount, "amount")
    word, label = RANK_WORDS[rank], RANK_LABELS[rank]
    if amount < 0:
        return [hard("2.4c", f"{word}_prize_negative", f"{label}每人奖励 {yuan(amount)}，不能为负数")]
    cap = rs.prize_caps[rank]
    if amount <= cap:
        return []
    if category == TRADITIONAL:
        text = f"{label}每人奖励 {yuan(amount)}，超过 {yuan(cap)}"
    else:
        text = f"{label}每人奖励 {yuan(amount)}，超过一般标准 {yuan(cap)}；创新类可适当提高"
    return [waivable("2.4c", f"{word}_prize_over_cap", text, note=GENERAL_NOTE)]


def check_first_tranche_paid_before_start(paid_on: date | None, start: date | None, *,
                                          ruleset: RuleSet | None = None) -> list[Finding]:
    """2.3b after the fact: the first tranche paid on or after the competition's start as it now stands.

    check_tranche_release judges a payment on the day it is registered; when a 日期调整 later moves the
    start to or before that day, the payment is late all the same, and the record must say so.
    """
    rs = resolve(ruleset)
    if paid_on is None or start is None or paid_on < start:
        return []
    return [waivable(
        "2.3b", "first_tranche_after_start",
        f"首笔资金（{limit_percent(rs.first_tranche_share)}）应在比赛启动前拨付，"
        f"实际于 {paid_on.isoformat()} 拨付，不早于竞赛开始日期 {start.isoformat()}",
    )]


def split_tranches(total: Decimal, *, ruleset: RuleSet | None = None) -> tuple[Decimal, Decimal]:
    """2.3b: (before the start, after the audit), to the fen, always summing to ``total``.

    The first tranche is rounded half-up, so it takes the odd fen: paying the
    organizer early is the measures' intent, and the second is the remainder.
    """
    rs = resolve(ruleset)
    total = money(total, "total")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    exact = total.quantize(FEN)
    if exact != total:
        raise ValueError(f"total has fractions of a fen: {total}")
    first = (exact * rs.first_tranche_share).quantize(FEN, ROUND_HALF_UP)
    return first, exact - first


def check_tranche_release(
    number: int,
    *,
    agreement_signed: bool,
    release_date: date,
    competition_start: date | None,
    audit_passed: bool,
    ruleset: RuleSet | None = None,
) -> list[Finding]:
    """2.3a/2.3b: may tranche ``number`` (1 or 2) be released on ``release_date``?"""
    rs = resolve(ruleset)
    if isinstance(number, bool) or number not in (1, 2):
        raise ValueError(f"tranche number must be 1 or 2, got {number!r}")
    findings: list[Finding] = []
    if not agreement_signed:
        findings.append(hard("2.3a", "agreement_not_signed", "尚未签署合作协议，不能拨付经费"))
    if number == 1 and competition_start is not None and release_date >= competition_start:
        # Late is tolerated with a recorded reason; the money is still owed.
        findings.append(waivable(
            "2.3b", "first_tranche_late",
            f"第一笔经费（{limit_percent(rs.first_tranche_share)}）应在比赛启动前拨付，"
            f"拨付日期 {release_date.isoformat()} 不早于比赛启动日期 {competition_start.isoformat()}",
        ))
    if number == 2 and not audit_passed:
        findings.append(hard(
            "2.3b", "audit_not_passed",
            f"绩效审核材料尚未审核通过，不能拨付剩余 {limit_percent(1 - rs.first_tranche_share)} 经费",
        ))
    return findings
