"""The performance step's sections of the project page (applications.panels)."""

from accounts.roles import STAFF_ROLES, Role
from applications import panels
from haidian_contest.workflow import APPROVED_STATES, EXECUTION_STATES, State

from .models import AuditDecision, AuditMaterials, AuditPhoto, EventDocument, ExportJob, SupervisionVisit
from .selectors import deadline_of

# The event runs from the first tranche on; before that there is nothing to record.
EVENT_STATES = frozenset(APPROVED_STATES) - {State.APPROVED, State.AGREEMENT_SIGNED}


def materials_panel(request, application):
    if application.state not in EVENT_STATES:
        return None
    role = getattr(request.user, "role", None)
    materials = AuditMaterials.objects.filter(application=application).first()
    return {
        "application": application,
        "deadline": deadline_of(application),
        "outstanding": application.state == State.IN_PROGRESS,
        "materials": materials,
        "photo_count": AuditPhoto.objects.filter(application=application).count(),
        "document_count": EventDocument.objects.filter(application=application).count(),
        "visit_count": SupervisionVisit.objects.filter(application=application).count(),
        "can_edit": role == Role.ORGANIZER and application.state in EXECUTION_STATES,
        "is_reviewer": role == Role.REVIEWER,
    }


def audit_panel(request, application):
    decisions = list(AuditDecision.objects.filter(application=application).select_related("decided_by"))
    awaiting = application.state == State.MATERIALS_SUBMITTED
    if not decisions and not awaiting:
        return None
    role = getattr(request.user, "role", None)
    return {
        "application": application,
        "decisions": decisions,
        "awaiting": awaiting,
        "can_audit": awaiting and role == Role.REVIEWER,
        "can_open_audit": role in {Role.REVIEWER, Role.ADMIN, Role.AUDITOR},
    }


def self_evaluation_panel(request, application):
    """2.3b: the self-evaluation's outcome and the way to the form (scores are computed on its page)."""
    from applications import performance_plan

    if application.state not in EVENT_STATES or not performance_plan.needs_expected_results(application):
        return None
    return {"application": application, "outcome": performance_plan.current_expected_results(application),
            "is_reviewer": getattr(request.user, "role", None) == Role.REVIEWER,
            "awaiting_outcome": application.state == State.AUDIT_PASSED}


def exports_panel(request, application):
    role = getattr(request.user, "role", None)
    if role not in STAFF_ROLES or application.state not in APPROVED_STATES:
        return None
    latest = {
        kind: ExportJob.objects.filter(application=application, kind=kind, status="done").first()
        for kind in ("summary_pdf", "bundle")
    }
    return {"application": application, "latest": latest, "is_auditor": role == Role.AUDITOR}


def in_event(user, application) -> bool:
    return application.state in EVENT_STATES


def exports_shown(user, application) -> bool:
    return getattr(user, "role", None) in STAFF_ROLES and application.state in APPROVED_STATES


def register() -> None:
    tab = {"tab": "performance", "tab_title": "实施与绩效"}
    panels.register(panels.Panel("performance_materials", "竞赛实施与绩效审核材料", "performance/panels/materials.html",
                                 materials_panel, order=60, shown=in_event, **tab))
    panels.register(panels.Panel("performance_audit", "绩效审核结论", "performance/panels/audit.html",
                                 audit_panel, order=70, shown=in_event, **tab))
    panels.register(panels.Panel("performance_self_evaluation", "项目支出绩效自评", "performance/panels/self_evaluation.html",
                                 self_evaluation_panel, order=75, shown=in_event, **tab))
    panels.register(panels.Panel("performance_exports", "审计资料", "performance/panels/exports.html",
                                 exports_panel, order=90, shown=exports_shown))
