"""Performance targets (绩效目标) and the project's self-evaluation (项目支出绩效自评表), 2.3b / 4.1.

Public money is managed by performance targets: the plan declares each indicator with a target
value (年度指标值) and points, and at the audit the actual value (实际完成值) is scored against it.
The second 50% of 2.3b follows "达到预期效果": a total at or above the rule set's
``expected_results_score``. Pure Python: the web apps fill in the dataclasses below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .base import Finding, money, quantity, waivable
from .ruleset import RuleSet, resolve

TWO = Decimal("0.01")
HUNDRED = Decimal(100)

GE, LE, EQ = "ge", "le", "eq"
COMPARISONS: tuple[tuple[str, str], ...] = ((GE, "≥"), (LE, "≤"), (EQ, "="))
COMPARISON_SIGNS = dict(COMPARISONS)

# Level-1 categories (一级指标) of the common form, in its order; their points come from the rule set.
CATEGORY_1: tuple[tuple[str, str], ...] = (
    ("budget", "预算执行率"),
    ("output", "产出指标"),
    ("effect", "效益指标"),
    ("satisfaction", "满意度指标"),
)
CATEGORY_1_LABELS = dict(CATEGORY_1)
# Level-2 categories (二级指标) allowed under each level-1 one.
CATEGORY_2: dict[str, tuple[tuple[str, str], ...]] = {
    "budget": (("execution", "预算执行率"),),
    "output": (("quantity", "数量指标"), ("quality", "质量指标"), ("timeliness", "时效指标"), ("cost", "成本指标")),
    "effect": (("social", "社会效益指标"), ("economic", "经济效益指标"), ("sustainable", "可持续影响指标")),
    "satisfaction": (("users", "服务对象满意度指标"),),
}
CATEGORY_2_LABELS = {key: label for rows in CATEGORY_2.values() for key, label in rows}
CATEGORY_2_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (key, f"{CATEGORY_1_LABELS[c1]}·{label}") for c1, rows in CATEGORY_2.items() for key, label in rows
)

SCORING_RULE = (
    "评分规则：实际完成值达到年度指标值的，得该项全部分值；“≥”类指标未达到的，按 实际完成值÷指标值×分值 计分；"
    "“≤”类指标超出的，按 指标值÷实际完成值×分值 计分；“=”类指标未达到的不得分；未填报实际完成值的不得分。"
    "各项得分保留两位小数，合计满分 100 分。"
)


def scoring_rule(ruleset: RuleSet | None = None) -> str:
    """The rule as printed on the form, with the threshold of the measures in force."""
    rs = resolve(ruleset)
    return f"{SCORING_RULE}合计达到 {rs.expected_results_score.normalize():f} 分的，视为达到预期效果（二（三））。"


@dataclass(frozen=True)
class Indicator:
    """One line of the 绩效目标表. ``key`` names a system indicator ("" for the organizer's own)."""

    key: str
    category_1: str
    category_2: str
    name: str
    comparison: str
    target: Decimal
    unit: str
    points: int


@dataclass(frozen=True)
class PlanFigures:
    """What the application already says, from which the targets are prefilled."""

    planned_participants: int
    trades: int
    certifiable_trades: int
    # Prize places planned in certifiable trades: the winners expected to take a certificate.
    certifiable_winner_places: int
    subsidy: Decimal


# key: (category_1, category_2, name, comparison, unit, points). Points per level-1 category sum
# to the 2026 weights (10/50/30/10); a revision with other weights rescales them (propose_targets).
SYSTEM_INDICATORS: dict[str, tuple[str, str, str, str, str, int]] = {
    "execution_rate": ("budget", "execution", "预算执行率（实际支出÷预算）", GE, "%", 10),
    "participants": ("output", "quantity", "实名参赛人数", GE, "人", 20),
    "trades_held": ("output", "quantity", "举办竞赛工种数", GE, "个", 10),
    "certifiable_share": ("output", "quality", "取证工种占比", GE, "%", 5),
    "held_on_schedule": ("output", "timeliness", "在计划日期内举办竞赛（1=是，0=否）", EQ, "", 5),
    "materials_days": ("output", "timeliness", "赛后提交绩效审核材料用时", LE, "天", 5),
    "subsidy_per_participant": ("output", "cost", "人均补助（区总工会补助÷实际参赛人数）", LE, "元/人", 5),
    "certified_winners": ("effect", "social", "获奖选手取得职业技能等级证书人数（取证工种）", GE, "人", 20),
    "media_reports": ("effect", "social", "媒体报道及信息简报", GE, "篇", 10),
    "satisfaction": ("satisfaction", "users", "参赛职工满意度", GE, "%", 10),
}
SYSTEM_KEYS = tuple(SYSTEM_INDICATORS)
MEDIA_REPORTS_TARGET = 2


def _share_percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO, ROUND_HALF_UP)


def _rescaled(points: dict[str, int], weights: dict[str, int]) -> dict[str, int]:
    """Points per indicator so that each level-1 category sums to its weight (largest remainder)."""
    out = dict(points)
    for category, weight in weights.items():
        keys = [k for k in points if SYSTEM_INDICATORS[k][0] == category]
        total = sum(points[k] for k in keys)
        if not keys or total == weight:
            continue
        exact = {k: Decimal(points[k] * weight) / Decimal(total) for k in keys}
        floors = {k: int(v) for k, v in exact.items()}
        left = weight - sum(floors.values())
        for k in sorted(keys, key=lambda k: (-(exact[k] - floors[k]), keys.index(k)))[:left]:
            floors[k] += 1
        out.update(floors)
    return out


def subsidy_per_participant_target(subsidy: Decimal, participants: Decimal | int) -> Decimal:
    """人均补助's ceiling: the subsidy (the approved one once the party group has decided) per participant."""
    participants = Decimal(participants)
    if participants <= 0:
        return Decimal("0.00")
    return (money(subsidy, "subsidy") / participants).quantize(TWO, ROUND_HALF_UP)


# The system indicators whose target is computed from the subsidy: they follow the approved amounts.
SUBSIDY_DERIVED_KEYS = ("subsidy_per_participant",)


def propose_targets(plan: PlanFigures, *, ruleset: RuleSet | None = None) -> list[Indicator]:
    """The indicators that follow from the measures, with targets prefilled from the application."""
    rs = resolve(ruleset)
    participants = quantity(plan.planned_participants, "planned_participants")
    subsidy = money(plan.subsidy, "subsidy")
    target_participants = max(participants, rs.min_participants)
    share = max(_share_percent(plan.certifiable_trades, plan.trades), rs.min_certifiable_share * HUNDRED)
    per_person = subsidy_per_participant_target(subsidy, target_participants)
    targets = {
        "execution_rate": HUNDRED,
        "participants": Decimal(target_participants),
        "trades_held": Decimal(quantity(plan.trades, "trades")),
        "certifiable_share": share.quantize(TWO, ROUND_HALF_UP),
        "held_on_schedule": Decimal(1),
        "materials_days": Decimal(rs.materials_days),
        "subsidy_per_participant": per_person,
        "certified_winners": Decimal(quantity(plan.certifiable_winner_places, "certifiable_winner_places")),
        "media_reports": Decimal(MEDIA_REPORTS_TARGET),
        "satisfaction": rs.min_satisfaction_percent,
    }
    points = _rescaled({k: v[5] for k, v in SYSTEM_INDICATORS.items()}, dict(rs.performance_weights))
    return [
        Indicator(key, c1, c2, name, comparison, targets[key], unit, points[key])
        for key, (c1, c2, name, comparison, unit, _points) in SYSTEM_INDICATORS.items()
    ]


def points_problems(rows: Iterable[tuple[str, str, int]], *, ruleset: RuleSet | None = None) -> list[str]:
    """Why a target table cannot stand: (category_1, category_2, points) per line → Chinese errors.

    The points of each level-1 category must add up to its weight in the rule set, so the total is 100.
    """
    rs = resolve(ruleset)
    weights = dict(rs.performance_weights)
    sums = {key: 0 for key in weights}
    errors = []
    rows = list(rows)
    if not rows:
        return ["请填写绩效目标（至少包括系统建议的各项指标）。"]
    for c1, c2, points in rows:
        if c1 not in weights:
            errors.append(f"一级指标“{c1}”不在绩效自评表的分类中。")
            continue
        if c2 not in dict(CATEGORY_2[c1]):
            errors.append(f"二级指标“{CATEGORY_2_LABELS.get(c2, c2)}”不属于一级指标“{CATEGORY_1_LABELS[c1]}”。")
        if points < 0:
            errors.append("分值不能为负数。")
        sums[c1] += points
    for key, weight in weights.items():
        if sums[key] != weight:
            errors.append(
                f"“{CATEGORY_1_LABELS[key]}”各项分值合计应为 {weight} 分，现为 {sums[key]} 分。"
            )
    return errors


def score_line(comparison: str, target: Decimal, actual: Decimal | None, points: int) -> Decimal:
    """The points earned by one line (see SCORING_RULE), to two places."""
    if comparison not in COMPARISON_SIGNS:
        raise ValueError(f"comparison must be one of {sorted(COMPARISON_SIGNS)}, got {comparison!r}")
    full = Decimal(quantity(points, "points"))
    if actual is None:
        return Decimal("0.00")
    target, actual = money(target, "target"), money(actual, "actual")
    if is_met(comparison, target, actual):
        earned = full
    elif comparison == GE:
        earned = full * max(actual, Decimal(0)) / target if target > 0 else Decimal(0)
    elif comparison == LE:
        earned = full * target / actual if target > 0 and actual > 0 else Decimal(0)
    else:
        earned = Decimal(0)
    return min(earned, full).quantize(TWO, ROUND_HALF_UP)


def is_met(comparison: str, target: Decimal, actual: Decimal | None) -> bool:
    if actual is None:
        return False
    if comparison == GE:
        return actual >= target
    if comparison == LE:
        return actual <= target
    return actual == target


def total_score(scores: Iterable[Decimal]) -> Decimal:
    return sum((money(s, "score") for s in scores), Decimal("0.00")).quantize(TWO, ROUND_HALF_UP)


def expected_results_reached(total: Decimal, *, ruleset: RuleSet | None = None) -> bool:
    return money(total, "total") >= resolve(ruleset).expected_results_score


def check_expected_results(total: Decimal, *, ruleset: RuleSet | None = None) -> list[Finding]:
    """2.3b: the second 50% follows "达到预期效果"; a lower self-evaluation score is a waivable finding
    (the department may waive it, or pay a reduced second tranche, each with a written reason)."""
    rs = resolve(ruleset)
    total = money(total, "total")
    if expected_results_reached(total, ruleset=rs):
        return []
    threshold = rs.expected_results_score.normalize()
    return [waivable(
        "2.3b", "expected_results_not_reached",
        f"绩效自评得分 {total.quantize(TWO):f} 分，低于达到预期效果的 {threshold:f} 分；"
        f"剩余资金须经职工发展部同意豁免或核减后拨付",
    )]
