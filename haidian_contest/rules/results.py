"""Results against the approved plan (三（二）): no more winners, and no more prize money, than planned.

Why 3.2 and not 2.4c or 3.1a: 2.4c caps the prize *per person* (checked row by row at import);
3.1a is what the organizer must submit. The count of prizes per rank and the prize money are part
of the plan the group approved, and 三（二） has the project run "按照方案组织实施" — a fourth first
prize where the plan has three is a departure from the approved plan. Departures may have reasons
(a tie on points, a sponsor's extra prize), so the finding is waivable: the organizer explains,
the department decides.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .base import Finding, money, quantity, waivable, yuan
from .choices import RANK_LABELS
from .funding import RANK_WORDS
from .ruleset import RuleSet


def check_winners_against_plan(
    trade: str,
    planned: Iterable[tuple[int, int, Decimal]],
    awarded: Iterable[tuple[int, Decimal]],
    *,
    ruleset: RuleSet | None = None,
) -> list[Finding]:
    """``planned`` is the plan's (rank, count, amount per person); ``awarded`` one (rank, amount) per winner.

    One finding per rank awarded more often than planned, and one if the trade's prize money in
    total exceeds the plan's (count × amount summed over the ranks).
    """
    plan_count: dict[int, int] = {}
    plan_total = Decimal("0.00")
    for rank, count, amount in planned:
        plan_count[rank] = plan_count.get(rank, 0) + quantity(count, "count")
        plan_total += count * money(amount, "amount")
    got_count: dict[int, int] = {}
    got_total = Decimal("0.00")
    for rank, amount in awarded:
        got_count[rank] = got_count.get(rank, 0) + 1
        got_total += money(amount, "amount")
    findings = []
    for rank in sorted(got_count):
        n, planned_n = got_count[rank], plan_count.get(rank, 0)
        if n > planned_n:
            label = RANK_LABELS.get(rank, f"第{rank}档奖")
            findings.append(waivable(
                "3.2", f"{RANK_WORDS.get(rank, str(rank))}_winners_over_plan",
                f"{trade}{label}获奖 {n} 人，超过竞赛方案设定的 {planned_n} 人（多 {n - planned_n} 人）",
                subject=trade,
            ))
    if got_total > plan_total:
        findings.append(waivable(
            "3.2", "prize_money_over_plan",
            f"{trade}奖金合计 {yuan(got_total)}，超过竞赛方案设定的 {yuan(plan_total)}"
            f"（超出 {yuan(got_total - plan_total)}）",
            subject=trade,
        ))
    return findings
