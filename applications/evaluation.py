"""Translate an application into the rules module's dataclasses and read its findings back."""

from decimal import Decimal

from django.db import connection
from django.utils import timezone

from haidian_contest import rules
from haidian_contest.sql import db_date
from haidian_contest.workflow import EDITABLE_STATES

from .models import Application, Trade

ZERO = Decimal("0.00")


def trade_input(trade: Trade) -> rules.TradeInput:
    return rules.TradeInput(
        name=trade.name,
        category=trade.category or rules.CATEGORIES[0][0],
        certifiable=trade.certifiable,
        planned_participants=trade.planned_participants or 0,
        judges=len(trade.judges.all()),
        budget=trade.budget_total,
        subsidy=trade.subsidy_requested or ZERO,
        occupation_code=trade.code,
        standard_reference=trade.standard_reference,
        field=trade.field,
        prizes=tuple(rules.PrizeTier(t.rank, t.count, t.amount) for t in trade.prize_tiers.all()),
        preliminary_date=trade.preliminary_date,
        final_date=trade.final_date,
    )


def application_input(application: Application, trades=None) -> rules.ApplicationInput:
    trades = list(application.trades.all()) if trades is None else trades
    submitted = timezone.localtime(application.submitted_at).date() if application.submitted_at else None
    # 2.3b is judged on the day of submission: today while the organizer edits, then frozen.
    checked_on = timezone.localdate() if application.state in EDITABLE_STATES or submitted is None else submitted
    return rules.ApplicationInput(
        trades=tuple(trade_input(t) for t in trades),
        organization_type=application.lead_organization.org_type,
        co_applicant_count=len(application.co_applicants.all()),
        missing_plan_sections=tuple(label for key, label, value in application.plan_sections() if not (value or "").strip()),
        submitted_on=submitted,
        start_date=application.start_date,
        end_date=application.end_date,
        checked_on=checked_on,
        cycle=application.cycle,
    )


def findings_for(application: Application, trades=None) -> list[rules.Finding]:
    return rules.evaluate_application(application_input(application, trades))


def unmet(findings: list[rules.Finding], justifications: dict) -> list[str]:
    """Why the application cannot be submitted yet: hard findings and unjustified waivable ones."""
    reasons = [f"{f.message}" for f in findings if not f.waivable]
    reasons += [
        f"{f.clause_label} {f.subject or ''} 须填写豁免理由".replace("  ", " ")
        for f in findings
        if f.waivable and not (justifications.get(f.key) or "").strip()
    ]
    return reasons


def finding_dict(finding: rules.Finding, justification: str = "") -> dict:
    """A finding as stored with a submission or a decision (JSON); the one serialiser for every stage."""
    return {
        "clause": finding.clause,
        "clause_label": finding.clause_label,
        "code": finding.code,
        "key": finding.key,
        "subject": finding.subject,
        "message": finding.message,
        "waivable": finding.waivable,
        "justification": justification,
    }


def schedule_for(application: Application) -> rules.Schedule:
    """The project's competition dates as they stand now (adjusted by the department if it moved)."""
    if "trades" in getattr(application, "_prefetched_objects_cache", {}):
        finals = tuple(t.final_date for t in application.trades.all() if t.final_date)
    else:  # the dates only, in plain SQL (the project page's timeline, on every visit)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT final_date FROM {Trade._meta.db_table} WHERE application_id = %s "
                           f"AND final_date IS NOT NULL ORDER BY position, id", [application.pk])
            finals = tuple(db_date(d) for (d,) in cursor.fetchall())
    return rules.Schedule(application.start_date, application.end_date, finals)
