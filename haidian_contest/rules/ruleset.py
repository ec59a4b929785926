"""Every threshold of the measures, versioned by the date a revision takes effect.

How to add a revision
---------------------
Never edit a published RuleSet: past applications must keep being judged by
the measures in force when they were submitted. Instead derive a new one and
append it to RULESETS (which must stay ordered by ``effective_from``)::

    RULESET_2028 = replace(
        RULESET_2026,
        title="……管理办法（2028 年修订）",
        effective_from=date(2028, 1, 1),
        min_participants=150,
    )
    RULESETS = (RULESET_2026, RULESET_2028)

Messages read their numbers from the RuleSet, so nothing else needs to change
unless the revision adds a new kind of rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from .base import money

MIB = 1024 * 1024


def _prize_caps_2026() -> Mapping[int, Decimal]:
    return {1: Decimal(5000), 2: Decimal(3000), 3: Decimal(2000)}


def _performance_weights_2026() -> Mapping[str, int]:
    # 项目支出绩效自评表: 预算执行率 10, 产出指标 50, 效益指标 30, 满意度指标 10 (of 100).
    return {"budget": 10, "output": 50, "effect": 30, "satisfaction": 10}


@dataclass(frozen=True)
class RuleSet:
    title: str = "海淀区总工会鼓励开展职工职业技能竞赛管理办法（试行）"
    effective_from: date = date(2026, 4, 20)
    # 1.4, 1.6, 1.7
    min_certifiable_share: Decimal = Decimal("0.30")
    min_judges: int = 3
    min_participants: int = 200
    # 1.8
    retention_years: int = 1
    # 2.1.1a / 2.1.2a (innovative ≥ 1 − this), 2.1.1b, 2.1.2b
    max_traditional_share: Decimal = Decimal("0.40")
    traditional_subsidy_cap: Decimal = Decimal("0.40")
    innovative_subsidy_floor: Decimal = Decimal("0.60")
    # 2.3b
    first_tranche_share: Decimal = Decimal("0.5")
    # 2.4c, yuan per person by rank; hash=False because a mapping is unhashable
    prize_caps: Mapping[int, Decimal] = field(default_factory=_prize_caps_2026, hash=False)
    # 3.5
    materials_days: int = 14
    # 4.1
    report_chars: int = 1500
    report_min_chars: int = 1200
    report_max_chars: int = 1800
    # 4.2a, 4.2b
    min_photos: int = 50
    max_photos: int = 100
    max_photo_bytes: int = 10 * MIB
    min_photo_dpi: int = 300
    min_video_seconds: int = 1200
    # 2.3b "达到预期效果": the self-evaluation's points per level-1 category, and the total score
    # from which the expected results count as reached (below it tranche 2 needs a waiver or a cut).
    performance_weights: Mapping[str, int] = field(default_factory=_performance_weights_2026, hash=False)
    expected_results_score: Decimal = Decimal("80")
    # Participants' satisfaction (满意度) the plan's target is prefilled with, in percent.
    min_satisfaction_percent: Decimal = Decimal("90")

    def __post_init__(self) -> None:
        # A frozen dataclass would still let someone mutate a plain dict.
        caps = {int(rank): money(cap, "prize cap") for rank, cap in dict(self.prize_caps).items()}
        object.__setattr__(self, "prize_caps", MappingProxyType(caps))
        weights = {str(k): int(v) for k, v in dict(self.performance_weights).items()}
        object.__setattr__(self, "performance_weights", MappingProxyType(weights))
        if sum(weights.values()) != 100:
            raise ValueError("performance weights must sum to 100")
        if not 0 <= self.expected_results_score <= 100:
            raise ValueError("expected_results_score must be between 0 and 100")
        if not self.report_min_chars <= self.report_chars <= self.report_max_chars:
            raise ValueError("report length band must contain the nominal length")
        if not 0 < self.min_photos <= self.max_photos:
            raise ValueError("photo count band is empty")
        for name in ("min_certifiable_share", "max_traditional_share",
                     "traditional_subsidy_cap", "innovative_subsidy_floor", "first_tranche_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1")


RULESET_2026 = RuleSet()

RULESETS: tuple[RuleSet, ...] = (RULESET_2026,)


def ruleset_for(day: date, rulesets: tuple[RuleSet, ...] | None = None) -> RuleSet:
    """The revision in force on ``day``; before the first one, the first one.

    ``rulesets`` exists for tests and what-if views; it defaults to RULESETS.
    """
    rulesets = RULESETS if rulesets is None else rulesets
    if isinstance(day, datetime):
        # date and datetime do not compare with each other.
        day = day.date()
    chosen = rulesets[0]
    for candidate in rulesets:
        if candidate.effective_from <= day:
            chosen = candidate
    return chosen


def resolve(ruleset: RuleSet | None) -> RuleSet:
    # Looked up per call, not cached, so a long-running worker crosses a
    # revision's effective date without a restart.
    return ruleset if ruleset is not None else ruleset_for(date.today())


# In force when the module was imported; the check_* functions re-resolve per call.
CURRENT: RuleSet = ruleset_for(date.today())
