"""The project lives in time: its own dates (3.1a), the start before submission (2.3b), the steps
that wait for the event (1.7, 3.5, 2.3b) and late materials (3.5).

Decisions, written down once:

* End before start is invalid input: the form refuses it and keeps what was typed. It is also a
  hard finding here (3.1a: the plan states the competition's time), so data that reached the
  database some other way still blocks submission and the review.
* A trade's preliminary or final outside the competition's dates is a hard finding, not a form
  error: the competition's dates and a trade's dates are saved on different pages, and either may
  change after the other, so only a check over the whole application sees the conflict. A trade's
  preliminary after its own final is on one form and so is refused there as invalid input (and is a
  hard finding here too).
* A start date already past on the day the application is submitted is a waivable finding (2.3b:
  the first 50% is paid before the competition starts): the organizer explains, the reviewer
  accepts or refuses the waiver at the feasibility review, like every other "in principle" rule.
* Gates (which step waits for which date) are declared in haidian_contest.workflow.DATE_GATES; the
  arithmetic is here. All dates are local (Asia/Shanghai) calendar days, passed in by the caller.
* Dates in another year than the application's (its year's call) are a waivable finding: the
  project would be counted in the wrong year's plan (二（一）), yet a competition may run across the
  new year, with a reason.
* Materials handed in after the two-week deadline (3.5) are a waivable finding: the organizer gives
  the reason, the reviewer decides at the audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .base import Finding, hard, waivable
from .materials import materials_deadline
from .ruleset import RuleSet, resolve


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class TradeDates:
    name: str
    preliminary: date | None = None
    final: date | None = None


@dataclass(frozen=True)
class Schedule:
    """A project's competition dates as they stand (planned, or as adjusted by the department)."""

    start: date | None
    end: date | None
    finals: tuple[date, ...] = ()

    @property
    def final_day(self) -> date | None:
        """The day of the competition's final: the last trade final within the competition's dates,
        else the end date (a final outside them is itself a 3.1a finding, or left behind by a move)."""
        inside = [d for d in self.finals if (not self.start or d >= self.start) and (not self.end or d <= self.end)]
        return max(inside) if inside else self.end


def check_event_dates(start: date | None, end: date | None) -> list[Finding]:
    """3.1a: the competition ends on or after the day it starts."""
    if start and end and end < start:
        return [hard("3.1a", "end_before_start",
                     f"竞赛结束日期 {chinese_date(end)} 早于开始日期 {chinese_date(start)}")]
    return []


def check_cycle_dates(cycle: int | None, start: date | None, end: date | None) -> list[Finding]:
    """3.1a with 二（一）: a project is planned in one year's call, whose counts and budget it joins.

    A competition dated in another year than the application's would be counted in the wrong year's
    plan. Waivable: a competition running across the new year is possible, with a reason.
    """
    if cycle is None:
        return []
    outside = [(label, day) for label, day in (("开始", start), ("结束", end)) if day and day.year != cycle]
    if not outside:
        return []
    dates = "、".join(f"{label}日期 {chinese_date(day)}" for label, day in outside)
    return [waivable("3.1a", "dates_outside_cycle",
                     f"申报年度为 {cycle} 年（{cycle} 年度申报通知），竞赛{dates}不在该年度内")]


def check_trade_dates(trades: Iterable[TradeDates], start: date | None, end: date | None) -> list[Finding]:
    """3.1a: each trade's preliminary and final lie within the competition's dates, preliminary first."""
    findings: list[Finding] = []
    for trade in trades:
        for label, day in (("初赛", trade.preliminary), ("决赛", trade.final)):
            if day is None:
                continue
            if (start and day < start) or (end and day > end):
                span = f"{chinese_date(start) if start else '—'}至{chinese_date(end) if end else '—'}"
                findings.append(hard("3.1a", "trade_date_outside",
                                     f"{trade.name}的{label}日期 {chinese_date(day)} 不在竞赛日期（{span}）之内",
                                     subject=trade.name))
        if trade.preliminary and trade.final and trade.final < trade.preliminary:
            findings.append(hard("3.1a", "final_before_preliminary",
                                 f"{trade.name}的决赛日期 {chinese_date(trade.final)} 早于初赛日期 "
                                 f"{chinese_date(trade.preliminary)}", subject=trade.name))
    return findings


def check_start_not_passed(start: date | None, on: date | None) -> list[Finding]:
    """2.3b: the first 50% is paid before the competition starts, so the start must still be ahead."""
    if start and on and start < on:
        return [waivable("2.3b", "start_passed",
                         f"竞赛开始日期 {chinese_date(start)} 早于提交日期 {chinese_date(on)}，"
                         f"首笔 50% 补助无法在竞赛开始前拨付")]
    return []


def gate_opens(schedule: Schedule, anchor: str, offset_days: int) -> date | None:
    """The first day a gated step may be taken; None when the anchoring date is not known."""
    day = {"start": schedule.start, "final": schedule.final_day, "end": schedule.end}[anchor]
    return day + timedelta(days=offset_days) if day else None


def materials_late_days(end: date | None, submitted_on: date | None, *, ruleset: RuleSet | None = None) -> int:
    """Days past the 3.5 deadline (0 when on time or not known)."""
    if end is None or submitted_on is None:
        return 0
    return max((submitted_on - materials_deadline(end, ruleset=resolve(ruleset))).days, 0)


def check_materials_on_time(end: date | None, submitted_on: date | None, *,
                            ruleset: RuleSet | None = None) -> list[Finding]:
    """3.5: materials within two weeks after the event; later is waivable with the organizer's reason."""
    rs = resolve(ruleset)
    late = materials_late_days(end, submitted_on, ruleset=rs)
    if not late:
        return []
    deadline = materials_deadline(end, ruleset=rs)
    return [waivable("3.5", "materials_late",
                     f"绩效审核材料应于 {chinese_date(deadline)} 前提交（赛后 {rs.materials_days} 天内），"
                     f"{chinese_date(submitted_on)} 提交，逾期 {late} 天")]
