"""Actual values (实际完成值) of the system indicators, from data the system already holds.

One function per indicator key of rules.performance_targets.SYSTEM_INDICATORS. Each returns a
Decimal, or None when the system does not know it (yet): the organizer then fills the value in,
with evidence. `SOURCES` says in Chinese where each value comes from, for the form.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from applications.models import Application, BudgetLine
from rosters.models import Participant, Winner

from .models import ActualSpending, AuditMaterials, CertificateRecord, EventDocument
from .survey.selectors import satisfaction_rate

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

SOURCES = {
    "execution_rate": "资金使用情况：实际支出合计÷预算合计",
    "participants": "参赛名单（当前版本）人数",
    "trades_held": "参赛名单中有选手的工种数",
    "certifiable_share": "举办的工种中取证工种所占比例",
    "held_on_schedule": "职工发展部是否登记过日期调整",
    "materials_days": "竞赛结束日期至绩效材料提交日期的天数",
    "subsidy_per_participant": "批准补助合计÷实际参赛人数",
    "certified_winners": "取证记录中获奖选手人数",
    "media_reports": "上传的媒体报道和信息简报份数",
    "satisfaction": "参赛职工满意度调查",
}


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(TWO, ROUND_HALF_UP)


def _participants(application: Application) -> int | None:
    count = Participant.objects.filter(application=application, is_current=True).count()
    return count or None  # no roster yet: unknown, not zero


def execution_rate(application: Application) -> Decimal | None:
    spent = [s.amount for s in ActualSpending.objects.filter(application=application)]
    if not spent:
        return None
    budget = sum((b.amount for b in BudgetLine.objects.filter(trade__application=application)), ZERO)
    return _percent(sum(spent, ZERO), budget) if budget > 0 else None


def participants(application: Application) -> Decimal | None:
    count = _participants(application)
    return None if count is None else Decimal(count)


def _held_trades(application: Application) -> list:
    held = set(Participant.objects.filter(application=application, is_current=True)
               .values_list("trade_id", flat=True).distinct())
    return [t for t in application.trades.all() if t.pk in held]


def trades_held(application: Application) -> Decimal | None:
    held = _held_trades(application)
    return Decimal(len(held)) if held else None


def certifiable_share(application: Application) -> Decimal | None:
    held = _held_trades(application)
    if not held:
        return None
    return _percent(Decimal(sum(1 for t in held if t.certifiable)), Decimal(len(held)))


def held_on_schedule(application: Application) -> Decimal | None:
    moved = application.status_changes.filter(transition="adjust_dates").exists()
    return Decimal(0 if moved else 1)


def materials_days(application: Application) -> Decimal | None:
    from .evaluation import handed_in_on

    materials = AuditMaterials.objects.filter(application=application).first()
    if materials is None or materials.submitted_at is None or application.end_date is None:
        return None
    return Decimal((handed_in_on(materials) - application.end_date).days)


def subsidy_per_participant(application: Application) -> Decimal | None:
    count = _participants(application)
    approved = [t.approved_subsidy for t in application.trades.all()]
    if count is None or any(a is None for a in approved):
        return None
    return (sum(approved, ZERO) / Decimal(count)).quantize(TWO, ROUND_HALF_UP)


def certified_winners(application: Application) -> Decimal | None:
    winners = Winner.objects.filter(application=application, is_current=True, trade__certifiable=True)
    count = (CertificateRecord.objects.filter(application=application)
             .filter(Q(participant__awards__in=winners)).values("participant_id").distinct().count())
    return Decimal(count)


def media_reports(application: Application) -> Decimal | None:
    return Decimal(EventDocument.objects.filter(application=application,
                                                kind__in=("media_report", "briefing")).count())


def actual_satisfaction(application: Application) -> Decimal | None:
    """Participants' satisfaction in percent, from the project's survey (None without answers: then the
    organizer fills it in with evidence)."""
    return satisfaction_rate(application)


ACTUALS = {
    "execution_rate": execution_rate,
    "participants": participants,
    "trades_held": trades_held,
    "certifiable_share": certifiable_share,
    "held_on_schedule": held_on_schedule,
    "materials_days": materials_days,
    "subsidy_per_participant": subsidy_per_participant,
    "certified_winners": certified_winners,
    "media_reports": media_reports,
    "satisfaction": actual_satisfaction,
}


# Indicators whose evidence is the event itself: before the competition has ended there is nothing to
# measure (a competition not yet held was not "held on schedule", and 0 reports is not a result).
AFTER_THE_EVENT = frozenset({"held_on_schedule", "certified_winners", "media_reports"})
NOT_YET_TEXT = "尚不可测"
NOT_YET_NOTE = "竞赛结束后方可计量"


def not_yet_measurable(application: Application, today=None) -> frozenset[str]:
    """The system indicators that cannot be measured yet: all of AFTER_THE_EVENT until the day after the end."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if application.end_date is not None and today > application.end_date:
        return frozenset()
    return AFTER_THE_EVENT


def system_actuals(application: Application) -> dict[str, Decimal | None]:
    """The values the system knows; None for what it does not know, or cannot know yet."""
    pending = not_yet_measurable(application)
    return {key: None if key in pending else func(application) for key, func in ACTUALS.items()}
