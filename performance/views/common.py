"""Helpers shared by the performance views: loading a project the user may see, the materials context."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from applications.models import Application, BudgetLine
from applications.selectors import get_application_for
from applications import workflow_engine
from applications.workflow_engine import WorkflowError
from haidian_contest import rules
from haidian_contest.workflow import EXECUTION_STATES
from rosters import selectors as roster_selectors

from ..evaluation import materials_state, photo_findings, retention_date_for
from ..models import ActualSpending, AuditDecision, AuditMaterials, EventDocument, SupervisionVisit
from ..selectors import deadline_of
from ..services import materials_for

ZERO = Decimal("0.00")
USER_ERRORS = (ValidationError, WorkflowError, PermissionDenied)


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "操作未完成。"


def report_error(request, exc: Exception) -> None:
    messages.error(request, error_text(exc))


def project(request, pk) -> Application:
    return get_application_for(request.user, pk)


def can_edit(application: Application, user) -> bool:
    return (
        user.role == Role.ORGANIZER
        and application.lead_organization_id == user.organization_id
        and application.state in EXECUTION_STATES
    )


@dataclass
class SpendingRow:
    trade: str
    line: BudgetLine
    actual: ActualSpending | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.actual is None else self.actual.amount - self.line.amount


def spending_rows(application: Application) -> tuple[list[SpendingRow], dict]:
    actual = {s.budget_line_id: s for s in ActualSpending.objects.filter(application=application)}
    lines = BudgetLine.objects.filter(trade__application=application).select_related("trade__occupation")
    rows = [SpendingRow(line.trade.name, line, actual.get(line.pk))
            for line in lines.order_by("trade__position", "trade_id", "id")]
    approved = sum((r.line.amount for r in rows), ZERO)
    spent = sum((r.actual.amount for r in rows if r.actual), ZERO)
    totals = {"approved": approved, "actual": spent, "difference": spent - approved,
              "complete": all(r.actual for r in rows)}
    return rows, totals


def materials_context(application: Application, user) -> dict:
    editable = can_edit(application, user)
    if editable:
        materials = materials_for(application=application)
    else:
        materials = AuditMaterials.objects.filter(application=application).first() or AuditMaterials(
            application=application)
    state = materials_state(application, materials)
    rows, totals = spending_rows(application)
    photos = [(n, p, photo_findings(p, state.ruleset)) for n, p in enumerate(state.photos, 1)]
    return {
        "application": application,
        "materials": materials,
        "state": state,
        "ruleset": state.ruleset,
        "deadline": deadline_of(application),
        "retention_date": retention_date_for(application),
        "photos": photos,
        "documents": list(EventDocument.objects.filter(application=application).select_related("uploaded_by")),
        "visits": list(SupervisionVisit.objects.filter(application=application).prefetch_related("photos")
                       .select_related("recorded_by")),
        "spending_rows": rows,
        "spending_totals": totals,
        "decisions": list(AuditDecision.objects.filter(application=application).select_related("decided_by")),
        "report_sections": [(label, materials.section(key)) for key, label in rules.REPORT_SECTIONS],
        "can_edit": editable,
        # The date gate, shown beside the button before it is pressed (the findings are listed apart).
        "submit_blocks": workflow_engine.blockers(application, "submit_materials", with_guards=False) if editable else [],
        "is_reviewer": user.role == Role.REVIEWER,
        "plan_waivers": roster_selectors.plan_waivers(application),
    }
