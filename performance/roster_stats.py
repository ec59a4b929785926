"""Read-only figures from the accepted roster and winners list (rosters app), for the report and the PDF.

Only current rows count; nothing here ever reads a full ID number (the masked copy is enough).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from applications.models import Application
from haidian_contest import rules
from rosters.models import Participant, Winner

RANK_LABELS = dict(rules.PRIZE_RANKS)


@dataclass
class TradeCount:
    trade_id: int
    name: str
    total: int = 0
    members: int = 0

    @property
    def non_members(self) -> int:
        return self.total - self.members


@dataclass
class ParticipantStats:
    trades: list[TradeCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t.total for t in self.trades)

    @property
    def members(self) -> int:
        return sum(t.members for t in self.trades)

    @property
    def non_members(self) -> int:
        return self.total - self.members


def participant_stats(application: Application) -> ParticipantStats:
    counts = {
        row["trade_id"]: row
        for row in Participant.objects.filter(application=application, is_current=True)
        .values("trade_id")
        .annotate(total=Count("id"), members=Count("id", filter=Q(is_member=True)))
    }
    stats = ParticipantStats()
    for trade in application.trades.select_related("occupation").order_by("position", "id"):
        row = counts.get(trade.pk, {})
        stats.trades.append(TradeCount(trade.pk, trade.name, row.get("total", 0), row.get("members", 0)))
    return stats


@dataclass(frozen=True)
class WinnerRow:
    trade: str
    rank: int
    name: str
    id_masked: str
    employer: str
    amount: Decimal

    @property
    def rank_label(self) -> str:
        return RANK_LABELS.get(self.rank, "")


def winner_rows(application: Application) -> list[WinnerRow]:
    qs = (
        Winner.objects.filter(application=application, is_current=True)
        .select_related("participant", "trade__occupation")
        .order_by("trade__position", "trade_id", "rank", "row_number")
    )
    return [
        WinnerRow(w.trade.name, w.rank, w.participant.name, rules.mask_id_number(w.participant.id_masked),
                  w.participant.employer, w.amount)
        for w in qs
    ]


def participants_text(stats: ParticipantStats) -> str:
    if not stats.total:
        return ""
    per_trade = "、".join(f"{t.name} {t.total} 人" for t in stats.trades if t.total)
    return (
        f"本次竞赛共有 {stats.total} 名职工实名参赛，其中{per_trade}；"
        f"工会会员 {stats.members} 人，非会员职工 {stats.non_members} 人。"
    )


def winners_text(rows: list[WinnerRow]) -> str:
    if not rows:
        return ""
    lines: list[str] = []
    current: tuple[str, int] | None = None
    for row in rows:
        if (row.trade, row.rank) != current:
            current = (row.trade, row.rank)
            lines.append(f"{row.trade} {row.rank_label}：{row.name}")
        else:
            lines[-1] += f"、{row.name}"
    return "\n".join(lines)
