"""The lists that need someone to act: materials due or overdue (3.5), tranche 1 before the start
(2.3b), and the waivers granted this year with their reasons.

Deadlines come from performance.selectors (which applies rules.materials_deadline), payments from
the funding ledger the Overview already holds; each list costs at most one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F
from django.utils import timezone

from haidian_contest import formatting, rules
from haidian_contest.workflow import State
from performance.selectors import outstanding_deadlines
from review.models import AgendaItem, WaiverDecision
from rosters.models import Winner

from .figures import Overview
from .scope import projects

DUE_SOON_DAYS = 7
STARTS_WITHIN_DAYS = 14
TRANCHE_1_WAITING = (State.APPROVED, State.AGREEMENT_SIGNED)
RANK_LABELS = dict(rules.PRIZE_RANKS)


@dataclass(frozen=True)
class MaterialsRow:
    application: object
    due: date
    days_left: int
    days_overdue: int


def materials(overview: Overview) -> tuple[list[MaterialsRow], list[MaterialsRow]]:
    """(due within 7 days, overdue), each ordered by deadline."""
    in_scope = {p.application.pk: p.application for p in overview.ledger_projects}
    soon, overdue = [], []
    for pk, deadline in outstanding_deadlines(overview.today, overview.scope.cycle):
        app = in_scope.get(pk)
        if app is None:
            continue
        row = MaterialsRow(app, deadline.due, deadline.days_left, deadline.days_overdue)
        if deadline.overdue:
            overdue.append(row)
        elif deadline.days_left <= DUE_SOON_DAYS:
            soon.append(row)
    key = lambda r: (r.due, r.application.pk)  # noqa: E731
    return sorted(soon, key=key), sorted(overdue, key=key)


@dataclass(frozen=True)
class TrancheRow:
    application: object
    start: date
    days_to_start: int  # negative: the event has already started
    amount: Decimal
    agreement_number: str  # "" while no agreement is signed


def tranche_1_due(overview: Overview) -> list[TrancheRow]:
    """Tranche 1 not paid for an event that starts within 14 days (or already has: 2.3b wants it before)."""
    horizon = overview.today + timedelta(days=STARTS_WITHIN_DAYS)
    subsidy = {}
    for t in overview.trades:
        subsidy[t.application_id] = subsidy.get(t.application_id, Decimal("0.00")) + t.subsidy
    rows = []
    for p in overview.ledger_projects:
        app = p.application
        if app.state not in TRANCHE_1_WAITING or app.start_date is None or app.start_date > horizon:
            continue
        tranche = p.tranche(1)
        if tranche.is_paid:
            continue
        if tranche.scheduled is not None:
            amount = tranche.scheduled - tranche.paid
        else:
            amount = rules.split_tranches(subsidy.get(app.pk, Decimal("0.00")), ruleset=overview.ruleset)[0]
        rows.append(TrancheRow(app, app.start_date, (app.start_date - overview.today).days, amount,
                               p.agreement.number if p.agreement else ""))
    return sorted(rows, key=lambda r: (r.start, r.application.pk))


@dataclass(frozen=True)
class WaiverRow:
    project: str
    application_id: int
    organization: str
    source: str
    clause_label: str
    subject: str
    message: str
    justification: str  # the organizer's reason
    reason: str  # the deciding role's reason
    decided_by: str
    decided_on: date | None


def _day(value):
    return timezone.localtime(value).date() if value else None


def waivers(overview: Overview) -> list[WaiverRow]:
    """Waivable findings accepted in the year: review, party group, late tranche 1, prizes over the cap."""
    scope_ids = projects(overview.user, overview.scope).values("pk")
    rows: list[WaiverRow] = []
    decisions = (
        WaiverDecision.objects.current().filter(accepted=True, review__application__in=scope_ids,
                                      review__round=F("review__application__submitted_version"))
        .select_related("review__application__lead_organization", "decided_by")
    )
    for w in decisions:
        app = w.review.application
        rows.append(WaiverRow(app.title, app.pk, app.lead_organization.name, "可行性审核", w.clause_label, w.subject,
                              w.message, w.justification, w.reason, str(w.decided_by), _day(w.decided_at)))
    items = (
        AgendaItem.objects.filter(decision=AgendaItem.Decision.APPROVED, application__in=scope_ids)
        .select_related("application__lead_organization", "meeting", "decided_by")
    )
    for item in items:
        app = item.application
        for g in item.group_waivers or []:
            rows.append(WaiverRow(app.title, app.pk, app.lead_organization.name, item.meeting.session,
                                  g.get("clause_label", ""), g.get("subject", ""), g.get("message", ""), "",
                                  g.get("reason", "") or item.note, str(item.decided_by or ""), _day(item.decided_at)))
    for p in overview.ledger_projects:
        reversed_ids = {e.reverses_id for t in p.tranches for e in t.entries if e.reverses_id}
        for t in p.tranches:
            for e in t.entries:
                if e.is_payment and e.late_reason and e.pk not in reversed_ids:
                    app = p.application
                    rows.append(WaiverRow(app.title, app.pk, app.lead_organization.name, "资金拨付",
                                          rules.chinese_clause("2.3b"), t.label,
                                          f"{t.label}于 {e.paid_on:%Y-%m-%d} 拨付，不早于比赛启动日期", "",
                                          e.late_reason, str(e.created_by), e.paid_on))
    prizes = (
        Winner.objects.filter(application__in=scope_ids, is_current=True).exclude(waiver_reason="")
        .values("application_id", "application__title", "application__lead_organization__name",
                "trade__occupation__name", "trade__custom_name", "rank", "amount", "waiver_reason")
        .annotate(n=Count("pk")).order_by("application_id", "trade_id", "rank")
    )
    for r in prizes:
        trade = r["trade__occupation__name"] or r["trade__custom_name"]
        rows.append(WaiverRow(
            r["application__title"], r["application_id"], r["application__lead_organization__name"], "获奖名单",
            rules.chinese_clause("2.4c"), f"{trade} {RANK_LABELS.get(r['rank'], '')}",
            f"{r['n']} 人每人奖金 {formatting.yuan(r['amount'])}，超过一般标准", r["waiver_reason"], "", "", None,
        ))
    return sorted(rows, key=lambda r: (r.project, r.application_id, r.decided_on or date.max))


@dataclass(frozen=True)
class PortfolioWaiver:
    session: str
    project: str
    application_id: int
    message: str
    reason: str
    decided_by: str
    decided_on: date | None


PORTFOLIO_CODES = ("decision_traditional_share_high:",)


def portfolio_waivers(cycle: int) -> list[PortfolioWaiver]:
    """The party group's recorded acceptances of a breach of the year's category split (2.1.1a/2.1.2a).

    The year's plan is the union's, not one unit's, so these are listed whatever the filters.
    """
    items = (
        AgendaItem.objects.filter(decision=AgendaItem.Decision.APPROVED, application__cycle=cycle)
        .select_related("application", "meeting", "decided_by").order_by("decided_at", "pk")
    )
    return [
        PortfolioWaiver(item.meeting.session, item.application.title, item.application_id, g.get("message", ""),
                        g.get("reason", "") or item.note, str(item.decided_by or ""), _day(item.decided_at))
        for item in items for g in item.group_waivers or [] if str(g.get("key", "")).startswith(PORTFOLIO_CODES)
    ]
