"""Translate an application into the rules module's dataclasses and read its findings back."""

from decimal import Decimal

from haidian_contest import rules

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
    )


def application_input(application: Application, trades=None) -> rules.ApplicationInput:
    trades = list(application.trades.all()) if trades is None else trades
    submitted = application.submitted_at.date() if application.submitted_at else None
    return rules.ApplicationInput(
        trades=tuple(trade_input(t) for t in trades),
        organization_type=application.lead_organization.org_type,
        co_applicant_count=len(application.co_applicants.all()),
        missing_plan_sections=tuple(label for key, label, value in application.plan_sections() if not (value or "").strip()),
        submitted_on=submitted,
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
